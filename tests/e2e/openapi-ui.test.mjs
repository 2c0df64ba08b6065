// The OpenAPI document in Swagger UI, offline, as the README says to open it:
// scripts/openapi-ui.mjs writes the page (Swagger UI from npm's
// swagger-ui-dist, the document inline), headless Chromium opens it from the
// file, and every operation of the document must be shown, with nothing
// fetched from the network and no error on the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.TEST_ATTACHE_BIN || path.join(ROOT, 'build/attache');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const OUT = path.join(ROOT, 'build/e2e/openapi-ui');
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

test('Swagger UI shows every operation of the document, from a file, offline', async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/openapi-ui.mjs'), BIN, OUT], { stdio: 'pipe' });
  const doc = JSON.parse(readFileSync(path.join(OUT, 'openapi.json'), 'utf8'));
  const operations = Object.values(doc.paths).reduce((n, item) => n + METHODS.filter((m) => item[m]).length, 0);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const outside = [], errors = [];
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith('file:')) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(path.join(OUT, 'index.html')).href);
    // Tags start closed (scripts/openapi-ui.mjs): each is opened in turn, its operations counted, and closed.
    const tags = [...new Set(Object.values(doc.paths).flatMap((item) => METHODS.flatMap((m) => item[m]?.tags ?? [])))];
    await page.waitForFunction((n) => document.querySelectorAll('.opblock-tag').length >= n, tags.length, { timeout: 30000 });
    assert.equal(await page.locator('.opblock-tag').count(), tags.length);
    let shown = 0, gets = 0;
    for (const name of tags) {
      const tag = page.locator(`.opblock-tag[data-tag="${name}"]`);
      const want = Object.values(doc.paths).reduce((n, item) => n + METHODS.filter((m) => item[m]?.tags?.includes(name)).length, 0);
      await tag.click();
      await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, want, { timeout: 30000 });
      assert.equal(await page.locator('.opblock').count(), want, `tag ${name}`);
      shown += want;
      gets += await page.locator('.opblock-get').count();
      await tag.click();
      await page.waitForFunction(() => !document.querySelector('.opblock'), null, { timeout: 30000 });
    }
    assert.equal(shown, operations);
    assert.equal(gets, Object.keys(doc.paths).length);
    assert.match(await page.locator('.info .title').innerText(), /attache/);
    // One operation opened: its parameters are the document's, the list grammar included.
    await page.locator('.opblock-tag[data-tag="deals"]').click();
    await page.locator('#operations-deals-listDeals .opblock-summary').click();
    await page.waitForSelector('#operations-deals-listDeals .parameters');
    const names = await page.locator('#operations-deals-listDeals .parameter__name').allInnerTexts();
    assert.ok(names.some((n) => n.startsWith('value.amount:gte')), names.slice(0, 10).join(' '));
    await page.screenshot({ path: path.join(ROOT, 'build/e2e/openapi-ui.png') });
    assert.deepEqual(outside, [], 'fetched from the network');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
