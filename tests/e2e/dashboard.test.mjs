// make e2e: the dashboard in Debian's headless Chromium, driven by
// playwright-core, against a real attache. What a person sees is checked
// against what the API answers; every state of the page (landing, filtered,
// detail, empty, error) is checked at 1280, 390 and 320 px by axe-core, for
// overflow and for "null", "undefined" or "NaN" shown as values, and saved as
// a screenshot in build/e2e/. Layout shift is measured in the same Chromium.
// A console error fails a test, but where the test breaks the API on purpose.
//
// TEST_WEB_ROOT=DIR serves another copy of the page (e.g. an older web/), to
// see which of these tests it fails.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.TEST_ATTACHE_BIN || path.join(ROOT, 'build/attache');
const WEB_ROOT = process.env.TEST_WEB_ROOT || '';
const SHOTS = path.join(ROOT, 'build/e2e');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [1280, 390, 320];

let server, base, browser;
const figures = {};   // what the run measured, printed at the end

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function startServer(port) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ATTACHE_')));
  const args = ['--port', String(port), '--access-log=false'];
  if (WEB_ROOT) args.push('--web-root', WEB_ROOT);
  const child = spawn(BIN, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
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
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
});

after(async () => {
  if (browser) await browser.close();
  if (server) await stopServer(server);
  if (Object.keys(figures).length) console.log(`# measured: ${JSON.stringify(figures)}`);
});

// ---- one page per test ----

// Waits until the page has drawn everything for its state.
function settled(page) {
  return page.waitForFunction(() => {
    const busy = document.documentElement.dataset.busy;
    if (busy !== undefined) return busy === 'false';
    return !!document.querySelector('#deal-rows[aria-busy="false"]');
  });
}

// Opens the dashboard at a path in a fresh context; `delay` holds every API
// answer back that long (as a network would); console errors fail the test
// unless `errorsExpected`.
async function withPage(p, opts, body) {
  const { width = 1280, delay = 0, js = true, errorsExpected = false, blockApi = false } = opts;
  const context = await browser.newContext({ viewport: { width, height: width >= 800 ? 900 : 844 }, javaScriptEnabled: js });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  if (delay) await page.route('**/api/v1**', async (route) => { await sleep(delay); await route.continue(); });
  if (blockApi) await page.route('**/api/v1**', (route) => route.abort('connectionrefused'));
  try {
    await page.goto(base + p);
    if (js) await settled(page);
    await body(page, errors);
    if (!errorsExpected) assert.deepEqual(errors, [], 'console errors');
  } finally {
    await context.close();
  }
}

const rowIds = (page) => page.$$eval('#deal-rows tr[data-deal]', (rows) => rows.map((r) => r.dataset.deal));

// Text a person sees or hears that is "null", "undefined" or "NaN".
const badText = (page) => page.evaluate(() => {
  const bad = /\b(null|undefined|NaN)\b/;
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!bad.test(n.textContent) || e.closest('noscript, script, style, [hidden]')) continue;
    const r = e.getBoundingClientRect();
    if (r.width || r.height) out.push(n.textContent.trim().slice(0, 80));
  }
  for (const e of document.querySelectorAll('[aria-label], [title], [alt]')) {
    for (const a of ['aria-label', 'title', 'alt']) {
      const v = e.getAttribute(a);
      if (v && bad.test(v)) out.push(`${a}="${v}"`);
    }
  }
  return out;
});

// axe-core's WCAG 2.1 A and AA rules, run inside the page.
async function axe(page) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

// The sum of every layout shift without recent input, from the start.
const layoutShift = (page) => page.evaluate(() => new Promise((resolve) => {
  let sum = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  setTimeout(() => resolve(sum), 250);
}));

const inViewport = (page, selector) => page.$eval(selector, (e) => {
  const r = e.getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
});

// The focused element: its id, else its tag, class and data-value.
const activeId = (page) => page.evaluate(() => {
  const e = document.activeElement;
  if (e === document.body) return 'BODY';
  return e.id || `${e.tagName.toLowerCase()}.${e.className}${e.dataset.value ? `[${e.dataset.value}]` : ''}`;
});

const pageWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth);

// ---- what the first edition did, still done ----

test('the first page of deals is the API\'s, values read as money, and the title is the dataset\'s', async () => {
  const answer = await api('/api/v1/deals?limit=10');
  await withPage('/', {}, async (page) => {
    assert.deepEqual(await rowIds(page), answer.data.map((d) => d.id));
    assert.equal(await page.textContent('#deals-status'), `Showing 1–10 of ${answer.meta.total} deals.`);
    assert.equal(await page.textContent('#title'), (await api('/api/v1')).dataset.title);
    assert.match(await page.textContent('tr[data-deal="cernavoda-tritium-removal"] .value'), /^₩260 billion$/);
  });
  await withPage('/?sector=reconstruction', {}, async (page) => {
    // An estimate (value.estimate) reads "about".
    assert.match(await page.textContent('tr[data-deal="ukraine-reconstruction"] .value'), /about ₩1,200 trillion\s*\(about US\$940 billion\)/);
  });
});

test('paging walks the API\'s pages, and back undoes a choice', async () => {
  await withPage('/', {}, async (page) => {
    await page.click('#next');
    await page.waitForURL(/page=2/);
    await settled(page);
    assert.deepEqual(await rowIds(page), (await api('/api/v1/deals?limit=10&offset=10')).data.map((d) => d.id));
    assert.equal(await page.textContent('#page'), 'Page 2 of 3');
    await page.click('[data-meeting="bilateral-nl"]');
    await page.waitForURL(/meeting=bilateral-nl/);
    await settled(page);
    assert.doesNotMatch(page.url(), /page=/);
    assert.deepEqual(await rowIds(page), (await api('/api/v1/meetings/bilateral-nl/deals?limit=10')).data.map((d) => d.id));
    await page.goBack();
    await settled(page);
    assert.match(page.url(), /\?page=2$/);
    assert.equal(await page.getAttribute('[data-meeting="bilateral-nl"]', 'aria-pressed'), 'false');
    assert.deepEqual(await rowIds(page), (await api('/api/v1/deals?limit=10&offset=10')).data.map((d) => d.id));
  });
});

test('search goes through the API\'s q, and every control has a label', async () => {
  await withPage('/?country=RO', {}, async (page) => {
    await page.fill('#f-q', 'Equinor');
    await page.press('#f-q', 'Enter');
    await page.waitForURL(/q=Equinor/);
    await settled(page);
    assert.deepEqual(await rowIds(page), (await api('/api/v1/deals?countries=RO&q=Equinor&limit=10')).data.map((d) => d.id));
    const unlabelled = await page.$$eval('select, input, button', (cs) => cs
      .filter((c) => (c.labels ? !c.labels.length : true) && !c.textContent.trim() && !c.getAttribute('aria-label'))
      .map((c) => c.id || c.outerHTML.slice(0, 60)));
    assert.deepEqual(unlabelled, []);
  });
});

// ---- the defects of the first edition, one test each ----

test('a country without a named leader shows no "null"', async () => {
  await withPage('/?country=NO', {}, async (page) => {
    await page.waitForSelector('#country-view:not([hidden]) h3');
    assert.equal(await page.textContent('#country-view h3'), 'Norway');
    assert.deepEqual(await badText(page), []);
    assert.doesNotMatch(await page.textContent('#country-view'), /null/);
  });
  const romania = await api('/api/v1/countries/RO');
  await withPage('/?country=RO', {}, async (page) => {
    await page.waitForSelector('#country-view:not([hidden]) h3');
    assert.match(await page.textContent('#country-view'), new RegExp(romania.leader.name));
  });
});

test('an API failure while filtering shows the error in view, and the table says so', async () => {
  await withPage('/', { errorsExpected: true }, async (page) => {
    await page.$eval('#filters', (f) => f.scrollIntoView({ block: 'start' }));
    await page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
    await page.selectOption('#f-country', 'SE');
    await page.waitForSelector('#error:not([hidden])');
    await settled(page);
    assert.equal(await inViewport(page, '#error'), true, 'the banner is inside the viewport');
    // No table of headers alone, no pager promising pages it cannot show.
    const table = await page.isVisible('#deals thead');
    const rows = await page.$$eval('#deal-rows tr', (r) => r.length);
    assert.ok(!table || rows > 0, 'the table is not left with headers only');
    const pager = await page.isVisible('#pager');
    assert.ok(!pager || (await page.isDisabled('#next')), 'no enabled Next after a failure');
    assert.doesNotMatch(pager ? await page.textContent('#page') : '', /Page 1 of 3/);
    assert.match(await page.textContent('#deals-status'), /could not be loaded/);
    // Try again, once the API answers again.
    await page.unroute('**/api/v1/**');
    await page.click('#error-retry');
    await settled(page);
    assert.equal(await page.isHidden('#error'), true);
    assert.deepEqual(await rowIds(page), (await api('/api/v1/deals?countries=SE&limit=10')).data.map((d) => d.id));
  });
});

test('choosing a meeting brings its deals into view and moves focus to them', async () => {
  for (const width of [1280, 390]) {
    await withPage('/', { width }, async (page) => {
      await page.click('[data-meeting="bilateral-ro"]');
      await page.waitForURL(/meeting=bilateral-ro/);
      await settled(page);
      assert.equal(await activeId(page), 'meeting-view', `focus at ${width}`);
      assert.equal(await inViewport(page, '#meeting-view h3'), true, `the meeting's deals in view at ${width}`);
      const answer = await api('/api/v1/meetings/bilateral-ro/deals?limit=10');
      assert.deepEqual(await rowIds(page), answer.data.map((d) => d.id));
      const firstRow = await page.$eval('#deal-rows tr', (r) => r.getBoundingClientRect().top);
      assert.ok(firstRow < (width >= 800 ? 900 : 844), `the first deal starts on screen at ${width} (${firstRow})`);
    });
  }
});

test('focus stays on the pager when Next is disabled, and on the deals when a panel closes', async () => {
  await withPage('/?page=2', {}, async (page) => {
    await page.focus('#next');
    await page.keyboard.press('Enter');
    await page.waitForURL(/page=3/);
    await settled(page);
    assert.equal(await page.isDisabled('#next'), true);
    assert.equal(await activeId(page), 'prev');
  });
  await withPage('/?meeting=bilateral-ro', {}, async (page) => {
    await page.getByRole('button', { name: 'Show all deals' }).click();
    await settled(page);
    assert.equal(await page.isHidden('#meeting-view'), true);
    assert.equal(await activeId(page), 'deals-title');
  });
});

test('the tiles count what they say: 13 bilateral meetings, 13 partners, no sum of unlike figures', async () => {
  const [bilateral, partnersMet, stats, valued] = await Promise.all([
    api('/api/v1/meetings?kind=bilateral&limit=0'),
    api('/api/v1/countries?roles=bilateral-partner&limit=0'),
    api('/api/v1/stats'),
    api('/api/v1/deals?value.amount:isnull=false&limit=100'),
  ]);
  await withPage('/', {}, async (page) => {
    const tile = (name) => page.textContent(`[data-tile="${name}"]`);
    assert.equal(await tile('bilaterals'), String(bilateral.meta.total));
    assert.equal(await tile('bilaterals'), '13');
    assert.equal(await tile('partners'), String(partnersMet.meta.total));
    assert.equal(await tile('partners'), '13');
    assert.equal(await tile('deals'), String(stats.counts.deals));
    // Each stated figure appears on its own, and no total across deals does.
    const shown = await page.$$eval('[data-tile="figures"] li', (li) => li.length);
    assert.equal(shown, valued.meta.total);
    const text = await page.textContent('body');
    const krw = stats.deals.totals.find((t) => t.currency === 'KRW');
    const total = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(krw.amount / 1e12);
    assert.doesNotMatch(text, new RegExp(`₩${total.replace('.', '\\.')} trillion`));
    assert.doesNotMatch(text, /\b(17|20)\s*(meetings|countries)\b/);
    assert.equal(await page.$$eval('#timeline [data-meeting]', (b) => b.length), 17);
  });
});

test('each row of a search says why it matched', async () => {
  await withPage('/?q=nuclear', {}, async (page) => {
    const why = await page.$$eval('#deal-rows tr[data-deal]', (rows) => rows.map((r) => ({
      id: r.dataset.deal,
      marked: r.querySelectorAll('mark').length,
      note: (r.querySelector('.why') || { textContent: '' }).textContent,
    })));
    assert.ok(why.length > 0);
    for (const w of why) assert.ok(w.marked > 0, `${w.id}: nothing marked`);
    const defence = why.find((w) => w.id === 'defense-sales');
    assert.ok(defence, 'defense-sales matches "nuclear" in its summary');
    assert.match(defence.note, /^Matched in the summary: .*nuclear/i);
    const titled = why.find((w) => w.id === 'nuclear-power-cooperation');
    assert.equal(titled.note, '', 'a match in the title needs no note');
  });
  await withPage('/?q=busan', {}, async (page) => {
    assert.deepEqual(await rowIds(page), ['constantza-port-development']);
    assert.equal(await page.textContent('tr[data-deal="constantza-port-development"] mark'), 'Busan');
  });
});

test('nothing overflows at 320 px, and chart text is at least 12 px at 390', async () => {
  for (const p of ['/', '/?country=RO&sector=nuclear', '/?deal=ukraine-reconstruction']) {
    await withPage(p, { width: 320 }, async (page) => {
      assert.ok(await pageWidth(page) <= 320, `${p} is ${await pageWidth(page)} px wide at 320`);
    });
  }
  await withPage('/', { width: 390 }, async (page) => {
    const small = await page.evaluate(() => {
      const out = [];
      for (const e of document.querySelectorAll('#charts-title ~ * *, #grid *')) {
        if (e.closest('title') || !e.childNodes.length || ![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
        if (e.closest('.visually-hidden')) continue;
        const size = e instanceof SVGElement
          ? e.getBoundingClientRect().height
          : parseFloat(getComputedStyle(e).fontSize);
        if (size < 12) out.push(`${e.tagName} "${e.textContent.trim().slice(0, 20)}" ${size.toFixed(1)}px`);
      }
      return out;
    });
    assert.deepEqual(small, []);
  });
});

test('layout shift stays under 0.1 while the data arrives', async () => {
  for (const width of WIDTHS) {
    await withPage('/', { width, delay: 300 }, async (page) => {
      await sleep(300);
      const cls = await layoutShift(page);
      figures[`cls_${width}`] = Number(cls.toFixed(4));
      assert.ok(cls < 0.1, `CLS ${cls.toFixed(3)} at ${width} px`);
    });
  }
  await withPage('/?deal=cernavoda-tritium-removal', { width: 390, delay: 300 }, async (page) => {
    await sleep(300);
    const cls = await layoutShift(page);
    figures.cls_detail_390 = Number(cls.toFixed(4));
    assert.ok(cls < 0.1, `CLS ${cls.toFixed(3)} on a deal's page`);
  });
});

test('every event can be chosen, the summit, the briefing, the photo session and the visit too', async () => {
  const meetings = (await api('/api/v1/meetings?limit=100')).data;
  const deals = (await api('/api/v1/deals?limit=100&fields=id,meetings')).data;
  const bilateral = new Set(meetings.filter((m) => m.kind === 'bilateral').map((m) => m.id));
  const onlyOthers = deals.filter((d) => d.meetings.every((m) => !bilateral.has(m)));
  assert.equal(onlyOthers.length, 10, 'the article hangs 10 deals on other events alone');
  await withPage('/', {}, async (page) => {
    const buttons = await page.$$eval('#timeline button[data-meeting]', (b) => b.map((x) => x.dataset.meeting));
    assert.deepEqual(buttons.sort(), meetings.map((m) => m.id).sort());
    await page.click('[data-meeting="briefing-choi"]');
    await page.waitForURL(/meeting=briefing-choi/);
    await settled(page);
    const answer = await api('/api/v1/meetings/briefing-choi/deals?limit=10');
    assert.deepEqual(await rowIds(page), answer.data.map((d) => d.id));
    assert.equal(await page.getAttribute('[data-meeting="briefing-choi"]', 'aria-pressed'), 'true');
  });
});

test('arrow keys in a select neither fetch nor push history on every key', async () => {
  await withPage('/', {}, async (page) => {
    const requests = [];
    page.on('request', (r) => { if (/\/deals\?.*limit=10/.test(r.url())) requests.push(r.url()); });
    const before = await page.evaluate(() => history.length);
    await page.focus('#f-sector');
    for (let i = 0; i < 3; i++) { await page.keyboard.press('ArrowDown'); await sleep(60); }
    const third = await page.$eval('#f-sector', (s) => s.options[3].value);
    await page.waitForURL(new RegExp(`sector=${third}`));
    await settled(page);
    await sleep(200);
    assert.equal(await page.evaluate(() => history.length) - before, 1, 'one history entry');
    assert.equal(requests.length, 1, `one request for the table: ${requests.join(' ')}`);
    assert.match(requests[0], new RegExp(`sector=${third}`));
  });
});

test('?page=9 of 3 pages shows the last page and says so', async () => {
  await withPage('/?page=9', {}, async (page) => {
    assert.equal(await page.textContent('#page'), 'Page 3 of 3');
    assert.match(page.url(), /page=3$/);
    assert.deepEqual(await rowIds(page), (await api('/api/v1/deals?limit=10&offset=20')).data.map((d) => d.id));
  });
});

test('an empty result says so once and offers to clear the filters', async () => {
  await withPage('/?q=no%20such%20thing%20anywhere&status=proposed', {}, async (page) => {
    const text = await page.evaluate(() => document.body.innerText);
    assert.equal(text.match(/No deals match/g).length, 1, 'the message appears once');
    assert.equal(await page.isVisible('#deals thead'), false, 'no table of headers alone');
    await page.getByRole('button', { name: 'Clear all filters' }).click();
    await settled(page);
    assert.deepEqual(await rowIds(page), (await api('/api/v1/deals?limit=10')).data.map((d) => d.id));
    assert.equal(new URL(page.url()).search, '');
  });
});

test('errors are written for a visitor and offer to try again', async () => {
  await withPage('/?meeting=no-such-meeting', { errorsExpected: true }, async (page) => {
    await page.waitForSelector('#error:not([hidden])');
    const text = await page.textContent('#error-text');
    assert.doesNotMatch(text, /^\d{3}\b|Not Found:|Failed to fetch|API/);
    assert.match(text, /no meeting with id "no-such-meeting"/);
    assert.equal(await page.isVisible('#error-retry'), true);
    assert.equal(await inViewport(page, '#error'), true);
    assert.match(await page.textContent('#error-technical'), /GET \/api\/v1\/meetings\/no-such-meeting\/deals.* 404 Not Found/);
    assert.equal(await page.isVisible('#deals-status button:has-text("Clear all filters")'), true);
  });
});

test('when the API cannot be reached at all, the page says so and can try again', async () => {
  await withPage('/', { errorsExpected: true, js: true, blockApi: true }, async (page) => {
    await page.waitForSelector('#error:not([hidden])');
    assert.equal(await inViewport(page, '#error'), true);
    assert.match(await page.textContent('#error-text'), /cannot reach its server/);
    assert.match(await page.textContent('#deals-status'), /could not load its data/);
    assert.match(await page.textContent('#timeline'), /could not be loaded/);
    assert.deepEqual(await badText(page), []);
    await page.unroute('**/api/v1**');
    // The API is back but slow: the page must not look settled before its answers come.
    await page.route('**/api/v1**', async (route) => { await sleep(300); await route.continue(); });
    await page.click('#error-retry');
    await settled(page);
    assert.equal(await page.textContent('[data-tile="bilaterals"]'), '13');
    assert.deepEqual(await rowIds(page), (await api('/api/v1/deals?limit=10')).data.map((d) => d.id));
  });
});

test('a skip link leads to the content, and <noscript> says where the data is', async () => {
  await withPage('/', {}, async (page) => {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to main content');
    assert.equal(await inViewport(page, '.skip-link'), true, 'the skip link shows when focused');
    await page.keyboard.press('Enter');
    assert.equal(await activeId(page), 'main');
  });
  await withPage('/', { js: false }, async (page) => {
    assert.equal(await page.isVisible('.noscript'), true);
    assert.equal(await page.getAttribute('.noscript a', 'href'), '/api/v1');
  });
});

// ---- what the second edition adds ----

test('a deal has its own page: story, value, meetings, parties, and room for the quotes', async () => {
  const deal = await api('/api/v1/deals/cernavoda-tritium-removal');
  await withPage('/?country=RO', {}, async (page) => {
    await page.click('tr[data-deal="cernavoda-tritium-removal"] a');
    await page.waitForURL(/deal=cernavoda-tritium-removal/);
    await settled(page);
    assert.equal(await activeId(page), 'detail-title');
    assert.equal(await page.textContent('#detail-title'), deal.title);
    const text = await page.textContent('#detail');
    assert.match(text, new RegExp(deal.summary.slice(0, 40)));
    assert.match(text, /₩260 billion/);
    assert.match(text, /Korea Hydro & Nuclear Power/);
    assert.match(text, new RegExp(deal.location));
    assert.match(text, /What the article says/);
    const meetingLinks = await page.$$eval('#detail a[href*="meeting="]', (a) => a.map((x) => new URL(x.href).searchParams.get('meeting')));
    assert.deepEqual(meetingLinks, deal.meetings);
    assert.equal(await page.isHidden('#overview'), true);
    // Back to the list it came from, focus on its row.
    await page.click('#detail .back');
    await settled(page);
    assert.match(page.url(), /\?country=RO$/);
    assert.match(await activeId(page), /deal-link/);
    await page.goBack();
    await settled(page);
    assert.equal(await page.textContent('#detail-title'), deal.title);
  });
  await withPage('/?deal=no-such-deal', { errorsExpected: true }, async (page) => {
    assert.equal(await page.textContent('#detail-title'), 'No such deal');
  });
});

test('a deal\'s page shows the article\'s quotes and the money\'s basis once the API has them', async () => {
  await withPage('/', {}, async (page) => {
    await page.route('**/api/v1/deals/cernavoda-tritium-removal', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.value = { ...body.value, basis: 'contract', estimate: false };
      body.evidence = [{ source: 'businesskorea', quote: 'Korea Hydro & Nuclear Power recently won a project worth 260 billion won.' }];
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${base}/?deal=cernavoda-tritium-removal`);
    await settled(page);
    assert.match(await page.textContent('#detail blockquote'), /recently won a project worth 260 billion won/);
    assert.match(await page.textContent('#detail blockquote cite'), /businesskorea/);
    assert.match(await page.textContent('#detail'), /₩260 billion — contract value/);
  });
});

test('filter options and charts count within the current filters, and a bar is a filter', async () => {
  const [withinRO, allCountries, vocab] = await Promise.all([
    api('/api/v1/deals?countries=RO&limit=0&facet=sector,status'),
    api('/api/v1/deals?limit=0&facet=countries'),
    api('/api/v1'),
  ]);
  await withPage('/?country=RO', {}, async (page) => {
    const option = (sel, v) => page.$eval(`${sel} option[value="${v}"]`, (o) => o.textContent);
    const nuclear = withinRO.meta.facets.sector.find((f) => f.value === 'nuclear').count;
    assert.equal(await option('#f-sector', 'nuclear'), `Nuclear power (${nuclear})`);
    assert.equal(await option('#f-country', 'RO'), `Romania (${allCountries.meta.facets.countries.find((f) => f.value === 'RO').count})`);
    const bars = await page.$$eval('#chart-sector .bar-row', (b) => b.map((x) => [x.dataset.value, parseInt(x.querySelector('.bar-count').textContent, 10)]));
    assert.deepEqual(bars.sort(), withinRO.meta.facets.sector.map((f) => [f.value, f.count]).sort());
    // Status from the earliest stage to the latest: the vocabulary's order, reversed.
    const order = await page.$$eval('#chart-status .bar-row', (b) => b.map((x) => x.dataset.value));
    assert.deepEqual(order, vocab.dataset.vocabularies.status.map((s) => s.id).reverse());
    assert.ok(order.indexOf('proposed') < order.indexOf('awarded'));
    await page.click('#chart-sector [data-value="nuclear"]');
    await page.waitForURL(/sector=nuclear/);
    await settled(page);
    assert.deepEqual(await rowIds(page), (await api('/api/v1/deals?countries=RO&sector=nuclear&limit=10')).data.map((d) => d.id));
    assert.equal(await page.getAttribute('#chart-sector [data-value="nuclear"]', 'aria-pressed'), 'true');
    assert.equal(await activeId(page), 'button.bar-row[nuclear]', 'focus stays on the bar');
  });
});

test('the timeline runs 11 to 14 July with each meeting\'s number of deals; a grid shows sectors by meeting', async () => {
  const facets = await api('/api/v1/deals?limit=0&facet=meetings');
  const meetings = (await api('/api/v1/meetings?limit=100')).data;
  const vocab = (await api('/api/v1')).dataset.vocabularies;
  await withPage('/', {}, async (page) => {
    const days = await page.$$eval('#timeline .day h3', (h) => h.map((x) => x.textContent));
    assert.equal(days.length, 4);
    days.forEach((d, i) => assert.match(d, new RegExp(`${11 + i} July`)));
    for (const f of facets.meta.facets.meetings) {
      const n = await page.$eval(`[data-meeting="${f.value}"] [data-count]`, (s) => s.textContent);
      assert.equal(n, `${f.count} deal${f.count === 1 ? '' : 's'}`, f.value);
    }
    assert.equal(await page.$eval('[data-meeting="photo-asia-pacific"] [data-count]', (s) => s.textContent), 'no deals');
    assert.equal(await page.$$eval('#timeline .tag', (t) => t.length), 0, 'no repeated topic tags');
    assert.equal(await page.$$eval('#grid tbody tr', (r) => r.length), meetings.length);
    assert.equal(await page.$$eval('#grid thead th.sector', (t) => t.length), vocab.sector.length);
    const ro = await api('/api/v1/meetings/bilateral-ro/deals?sector=nuclear&limit=0');
    const cell = await page.$$eval('#grid td a', (links) => links.find((a) => {
      const q = new URL(a.href).searchParams;
      return q.get('meeting') === 'bilateral-ro' && q.get('sector') === 'nuclear';
    }).textContent);
    assert.equal(cell, `${ro.meta.total} deal${ro.meta.total === 1 ? '' : 's'}`);
  });
  // With a filter, the counts are of the matching deals.
  await withPage('/?sector=nuclear', {}, async (page) => {
    const n = (await api('/api/v1/deals?sector=nuclear&meetings=bilateral-ro&limit=0')).meta.total;
    assert.equal(await page.$eval('[data-meeting="bilateral-ro"] [data-count]', (s) => s.textContent), `${n} matching deals`);
  });
});

test('the table sorts through the API, and the view can be downloaded and seen in the API', async () => {
  await withPage('/?country=RO', {}, async (page) => {
    const requests = [];
    page.on('request', (r) => { if (/\/deals\?.*limit=10/.test(r.url())) requests.push(r.url()); });
    await page.selectOption('#f-sort', '-value.amount');
    await page.waitForURL(/sort=-value.amount/);
    await settled(page);
    const answer = await api('/api/v1/deals?countries=RO&sort=-value.amount&limit=10');
    assert.deepEqual(await rowIds(page), answer.data.map((d) => d.id));
    assert.equal(await page.getAttribute('#deals th[data-sort="value.amount"]', 'aria-sort'), 'descending');
    // "This view in the API" is the very request the page made.
    const shown = await page.getAttribute('#api-link', 'href');
    assert.equal(base + shown, requests[requests.length - 1]);
    assert.equal(await page.textContent('#api-link'), shown);
    // Download: every matching deal, every field, as JSON.
    await page.click('#download summary');
    const link = page.locator('#download-list a', { hasText: 'JSON' });
    assert.equal(await link.getAttribute('download'), 'attache-deals.json');
    const file = await api(await link.getAttribute('href'));
    assert.equal(file.data.length, answer.meta.total);
    assert.deepEqual(file.data.map((d) => d.id).slice(0, 10), answer.data.map((d) => d.id));
    assert.ok('summary' in file.data[0]);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), 'attache-deals.json');
    await page.selectOption('#f-sort', 'status');
    await page.waitForURL(/sort=status/);
    await settled(page);
    assert.deepEqual(await rowIds(page), (await api('/api/v1/deals?countries=RO&sort=status&limit=10')).data.map((d) => d.id));
  });
});

test('the map shades countries by their deals, with insets, and a country is a filter', async () => {
  const facets = (await api('/api/v1/deals?limit=0&facet=countries')).meta.facets.countries;
  await withPage('/', {}, async (page) => {
    const frames = await page.$$eval('#map svg', (s) => s.map((x) => x.getAttribute('aria-label')));
    assert.deepEqual(frames, ['Europe', 'Japan', 'Australia', 'New Zealand']);
    const cls = (code) => page.$eval(`#map a[data-code="${code}"]`, (a) => a.getAttribute('class'));
    assert.match(await cls('RO'), /\bs5\b/, 'the most deals, the darkest');
    assert.match(await cls('GB'), /\bs1\b/);
    assert.match(await cls('EE'), /\bs0\b/, 'no deal names Estonia');
    assert.match(await cls('KR'), /\bhome\b/);
    assert.match(await cls('JP'), /\bs0\b/);
    const ro = facets.find((f) => f.value === 'RO').count;
    assert.equal(await page.getAttribute('#map a[data-code="RO"]', 'aria-label'), `Romania: ${ro} deals`);
    await page.click('#map a[data-code="RO"]');
    await page.waitForURL(/country=RO/);
    await settled(page);
    assert.deepEqual(await rowIds(page), (await api('/api/v1/deals?countries=RO&limit=10')).data.map((d) => d.id));
    assert.match(await cls('RO'), /\bselected\b/);
  });
});

// ---- every state at every width: axe, no "null", no overflow, a screenshot ----

const STATES = [
  ['landing', '/', null],
  ['filtered', '/?country=RO&status=proposed', null],
  ['detail', '/?deal=ukraine-reconstruction', null],
  ['empty', '/?q=no%20such%20thing', null],
  ['error', '/', async (page) => {
    await page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
    await page.selectOption('#f-status', 'proposed');
    await page.waitForSelector('#error:not([hidden])');
    await settled(page);
    assert.equal(await inViewport(page, '#error'), true, 'the banner is in view');
  }],
];

for (const width of WIDTHS) {
  test(`every state at ${width} px: no axe violation, no "null", no overflow`, async () => {
    for (const [name, p, act] of STATES) {
      await withPage(p, { width, errorsExpected: name === 'error' }, async (page) => {
        if (act) await act(page);
        await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
        const violations = await axe(page);
        figures[`axe_${name}_${width}`] = violations.length;
        assert.deepEqual(violations, [], `${name} at ${width}`);
        assert.deepEqual(await badText(page), [], `${name} at ${width}`);
        assert.ok(await pageWidth(page) <= width, `${name} is ${await pageWidth(page)} px wide at ${width}`);
      });
    }
  });
}

test('the error banner appears when the server is stopped', async () => {
  await withPage('/', { errorsExpected: true }, async (page) => {
    assert.equal(await page.isHidden('#error'), true);
    assert.equal(await stopServer(server), 0, 'attache stops cleanly');
    await page.selectOption('#f-country', 'SE');
    await page.waitForSelector('#error:not([hidden])');
    assert.match(await page.textContent('#error-text'), /cannot reach its server/);
    assert.equal(await inViewport(page, '#error'), true);
  });
});
