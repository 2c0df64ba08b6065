// make e2e: the dashboard in Debian's headless Chromium, driven by
// playwright-core, against a real attache. What a person sees is checked
// against what the API answers; screenshots at 1280 and 390 px wide go to
// build/e2e/; a console error fails the run (but where the test breaks the
// API on purpose).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.TEST_ATTACHE_BIN || path.join(ROOT, 'build/attache');
const SHOTS = path.join(ROOT, 'build/e2e');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let server, base, browser, page;
const consoleErrors = [];
let expectErrors = false;

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function startServer(port) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ATTACHE_')));
  const child = spawn(BIN, ['--port', String(port), '--access-log=false'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return child;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`attache did not start:\n${log}`);
}

async function stopServer(child) {
  if (child.exitCode !== null) return child.exitCode;
  const done = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return done;
}

const api = async (p) => (await fetch(base + p)).json();

// The ids of the deals on the page's table, in order.
const rowIds = () => page.$$eval('#deal-rows tr[data-deal]', (rows) => rows.map((r) => r.dataset.deal));

async function settled() {
  await page.waitForSelector('#deal-rows[aria-busy="false"]');
}

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = await startServer(port);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error' && !expectErrors) consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  await page.goto(base + '/');
  await settled();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await stopServer(server);
});

test('the tiles show the API\'s counts and totals', async () => {
  const stats = await api('/api/v1/stats');
  await page.waitForSelector('#tiles[aria-busy="false"]');
  const tile = (name) => page.textContent(`[data-tile="${name}"]`);
  assert.equal(await tile('meetings'), String(stats.counts.meetings));
  assert.equal(await tile('countries'), String(stats.counts.countries));
  assert.equal(await tile('deals'), String(stats.counts.deals));
  const krw = stats.deals.totals.find((t) => t.currency === 'KRW');
  const trillions = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(krw.amount / 1e12);
  assert.equal(await tile('value'), `₩${trillions} trillion`);
  assert.equal(await page.textContent('#title'), (await api('/api/v1')).dataset.title);
});

test('the timeline shows the 13 bilateral meetings across two days', async () => {
  const facets = await api('/api/v1/meetings?kind=bilateral&facet=date&limit=0');
  assert.equal(facets.meta.total, 13);
  const days = await page.$$eval('.day', (ds) => ds.map((d) => d.querySelectorAll('.meeting').length));
  const want = facets.meta.facets.date.sort((a, b) => a.value.localeCompare(b.value)).map((f) => f.count);
  assert.deepEqual(days, want);
  assert.deepEqual(days, [7, 6]);
  const headings = await page.$$eval('.day h3', (hs) => hs.map((h) => h.textContent));
  assert.match(headings[0], /11 July 2023/);
  assert.match(headings[1], /12 July 2023/);
  const nl = await page.textContent('[data-meeting="bilateral-nl"]');
  assert.match(nl, /Netherlands/);
  assert.match(nl, /Prime Minister Mark Rutte/);
});

test('the first page of deals is the API\'s first page', async () => {
  const answer = await api('/api/v1/deals?limit=10');
  assert.deepEqual(await rowIds(), answer.data.map((d) => d.id));
  assert.equal(await page.textContent('#deals-status'), `Showing 1–10 of ${answer.meta.total} deals.`);
  const tritium = await api('/api/v1/deals/cernavoda-tritium-removal');
  assert.equal(tritium.value.amount, 260000000000);
});

test('values read as money', async () => {
  await page.goto(base + '/?q=Cernavod%C4%83');
  await settled();
  assert.match(await page.textContent('tr[data-deal="cernavoda-tritium-removal"] .value'), /^₩260 billion$/);
  await page.goto(base + '/?q=reconstruction&sector=reconstruction');
  await settled();
  assert.match(await page.textContent('tr[data-deal="ukraine-reconstruction"] .value'), /₩1,200 trillion\s*\(US\$940 billion\)/);
});

test('filtering by a country narrows the table to the API\'s answer for it', async () => {
  await page.goto(base + '/');
  await settled();
  await page.selectOption('#f-country', 'RO');
  await page.waitForURL(/\?country=RO$/);
  await settled();
  const answer = await api('/api/v1/deals?countries=RO&limit=10');
  assert.deepEqual(await rowIds(), answer.data.map((d) => d.id));
  assert.equal(await page.textContent('#deals-status'), `Showing 1–${answer.data.length} of ${answer.meta.total} deals.`);
  await page.waitForSelector('#country-view:not([hidden]) h3');
  assert.equal(await page.textContent('#country-view h3'), 'Romania');
});

test('search works through the API\'s q', async () => {
  await page.fill('#f-q', 'Equinor');
  await page.press('#f-q', 'Enter');
  await page.waitForURL(/q=Equinor/);
  await settled();
  const answer = await api('/api/v1/deals?countries=RO&q=Equinor&limit=10');
  assert.deepEqual(await rowIds(), answer.data.map((d) => d.id));
  await page.click('#reset');
  await settled();
  await page.fill('#f-q', 'equinor');
  await page.click('button[type="submit"]');
  await settled();
  assert.deepEqual(await rowIds(), (await api('/api/v1/deals?q=equinor&limit=10')).data.map((d) => d.id));
  await page.fill('#f-q', 'no such thing anywhere');
  await page.press('#f-q', 'Enter');
  await settled();
  assert.equal(await page.textContent('#deal-rows td.empty'), 'No deals match these filters.');
});

test('choosing a meeting shows its deals, and back undoes it', async () => {
  await page.goto(base + '/');
  await settled();
  await page.click('[data-meeting="bilateral-ro"]');
  await page.waitForURL(/meeting=bilateral-ro/);
  await settled();
  const answer = await api('/api/v1/meetings/bilateral-ro/deals?limit=10');
  assert.deepEqual(await rowIds(), answer.data.map((d) => d.id));
  assert.equal(await page.getAttribute('[data-meeting="bilateral-ro"]', 'aria-pressed'), 'true');
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes('meeting'));
  await settled();
  assert.deepEqual(await rowIds(), (await api('/api/v1/deals?limit=10')).data.map((d) => d.id));
});

test('paging walks the API\'s pages', async () => {
  await page.goto(base + '/');
  await settled();
  await page.click('#next');
  await page.waitForURL(/page=2/);
  await settled();
  assert.deepEqual(await rowIds(), (await api('/api/v1/deals?limit=10&offset=10')).data.map((d) => d.id));
  await page.click('#next');
  await settled();
  assert.equal(await page.isDisabled('#next'), true);
  assert.equal(await page.textContent('#page'), 'Page 3 of 3');
});

test('the controls are labelled and work from the keyboard', async () => {
  await page.goto(base + '/');
  await settled();
  const unlabelled = await page.$$eval('select, input', (cs) => cs.filter((c) => !c.labels || !c.labels.length).map((c) => c.id));
  assert.deepEqual(unlabelled, []);
  await page.focus('[data-meeting="bilateral-nl"]');
  await page.keyboard.press('Enter');
  await page.waitForURL(/meeting=bilateral-nl/);
  await settled();
  assert.deepEqual(await rowIds(), (await api('/api/v1/meetings/bilateral-nl/deals?limit=10')).data.map((d) => d.id));
  await page.focus('#f-status');
  await page.selectOption('#f-status', 'proposed');
  await page.waitForURL(/status=proposed/);
  await settled();
});

test('the charts draw the stats as SVG bars', async () => {
  const stats = await api('/api/v1/stats');
  const bars = await page.$$eval('#chart-sector rect.bar', (rs) => rs.length);
  assert.equal(bars, stats.deals.by_sector.length);
  const label = await page.getAttribute('#chart-sector svg', 'aria-label');
  assert.match(label, new RegExp(`${stats.deals.by_sector[0].label}: ${stats.deals.by_sector[0].count}`));
});

test('screenshots at 1280 and 390 px, and nothing overflows a phone', async () => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(base + '/');
  await settled();
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + '/?country=RO');
  await settled();
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-390.png'), fullPage: true });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width} px wide at 390`);
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('no console errors in normal use', () => {
  assert.deepEqual(consoleErrors, []);
});

test('an API error shows its problem detail in the banner', async () => {
  expectErrors = true;   // the browser logs the 404 it is about to get
  await page.goto(base + '/?meeting=no-such-meeting');
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error'), /404 Not Found: no meeting with id "no-such-meeting"/);
});

test('the error banner appears when the API is stopped', async () => {
  expectErrors = true;
  await page.goto(base + '/');
  await settled();
  assert.equal(await page.isHidden('#error'), true);
  assert.equal(await stopServer(server), 0, 'attache stops cleanly');
  await page.selectOption('#f-country', 'SE');
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error'), /Cannot reach the API/);
});
