// attache dashboard: the summit's sales diplomacy at a glance, fed by the API.
//
// The page's URL is its state (?country=RO&sector=nuclear&status=proposed
// &q=reactor&meeting=bilateral-ro&sort=-value.amount&page=2, or ?deal=ID for
// one deal), so a view can be shared and the back button works. Every filter
// becomes the API's own query grammar: the request the page makes is the view,
// and the page shows it ("This view in the API"). No framework, no build step,
// nothing fetched from anywhere but this server.
import { API, get, query } from './api.js';
import { barChart } from './charts.js';
import { renderDetail } from './detail.js';
import { drawMap } from './map.js';
import {
  $, basisText, dateRange, daysBetween, el, excerpt, fill, highlight, longDate, matchRanges, moneyText,
} from './util.js';

const PAGE_SIZE = 10;
const FIELDS = ['id', 'title', 'countries', 'sector', 'status', 'value', 'value_alt', 'companies'];
// The API's q also searches these, which the table does not show: they are
// fetched when there is a search, to say why a row matched.
const HIDDEN_TEXT = [['summary', 'the summary'], ['location', 'the location'], ['partners', 'the public bodies'],
  ['incentives', 'the incentives'], ['items', 'the items']];
const FILTERS = ['country', 'sector', 'status', 'q', 'meeting'];
// Formats a view can be downloaded in. CSV joins when the API has ?format=csv.
const FORMATS = [{ label: 'JSON', param: null, ext: 'json' }];
// A select moved by the arrow keys settles this long before the page follows it.
const SETTLE_MS = 450;

// What the API says about itself, loaded once.
const ref = {
  countries: new Map(),   // code -> {code, name, roles, ...}
  homes: new Set(),       // codes whose role is "home": party to every deal
  vocab: {},              // kind|sector|status|... -> Map(id -> label)
  meetings: new Map(),    // id -> meeting, in date order
  sources: new Map(),     // id -> source, once the API has a sources collection
};

const label = (vocab, id) => (ref.vocab[vocab] && ref.vocab[vocab].get(id)) || id;
const countryName = (code) => (ref.countries.get(code) || { name: code }).name;
const partners = (codes) => codes.filter((c) => !ref.homes.has(c));
const reduceMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

let seqNow = 0;           // answers to older renders than the latest are dropped
let ready = false;        // the reference data is in
let shownDeal = null;     // the deal whose detail is shown, to focus its row on the way back
let renderedSearch = null; // the query string last drawn

// ---- the page's URL is the state ----

function readState() {
  const p = new URLSearchParams(location.search);
  const s = {};
  for (const k of [...FILTERS, 'sort', 'deal']) s[k] = (p.get(k) || '').trim();
  s.country = s.country.toUpperCase(); // ISO codes, as the select holds them
  s.page = Math.max(1, parseInt(p.get('page') || '1', 10) || 1);
  return s;
}

function pageHref(s) {
  const p = new URLSearchParams();
  for (const k of [...FILTERS, 'sort', 'deal']) if (s[k]) p.set(k, s[k]);
  if (s.page > 1) p.set('page', String(s.page));
  return query(p) || location.pathname;
}

const hasFilters = (s) => FILTERS.some((k) => s[k]);

// Moves to a new state: a history entry (or a replacement), then a render.
function go(next, { replace = false, focus = null } = {}) {
  const href = pageHref(next);
  if (href !== (location.search || location.pathname)) history[replace ? 'replaceState' : 'pushState'](null, '', href);
  render({ focus });
}

// ---- the API requests for a state ----

function apiFilters(s, omit) {
  const p = new URLSearchParams();
  if (s.country && omit !== 'country') p.set('countries', s.country);
  if (s.sector && omit !== 'sector') p.set('sector', s.sector);
  if (s.status && omit !== 'status') p.set('status', s.status);
  if (s.q) p.set('q', s.q);
  return p;
}

const listBase = (s, omit) => (s.meeting && omit !== 'meeting'
  ? `${API}/meetings/${encodeURIComponent(s.meeting)}/deals` : `${API}/deals`);

function dealsUrl(s, page) {
  const p = apiFilters(s);
  if (s.sort) p.set('sort', s.sort);
  p.set('fields', [...FIELDS, ...(s.q ? HIDDEN_TEXT.map(([f]) => f) : [])].join(','));
  p.set('limit', String(PAGE_SIZE));
  p.set('offset', String((page - 1) * PAGE_SIZE));
  return listBase(s) + query(p);
}

// The whole view, every field, for downloading.
function viewUrl(s, format) {
  const p = apiFilters(s);
  if (s.sort) p.set('sort', s.sort);
  p.set('limit', '1000');
  if (format.param) p.set('format', format.param);
  return listBase(s) + query(p);
}

// Counts for each filter, Datasette's way: each within the other filters.
const DIMENSIONS = [['country', 'countries'], ['sector', 'sector'], ['status', 'status'], ['meeting', 'meetings']];

async function loadFacets(s) {
  const groups = new Map();
  for (const [key, field] of DIMENSIONS) {
    const base = listBase(s, key);
    const params = apiFilters(s, key);
    const id = `${base}?${params}`;
    if (!groups.has(id)) groups.set(id, { base, params, fields: [] });
    groups.get(id).fields.push(field);
  }
  const facets = {};
  await Promise.all([...groups.values()].map(async ({ base, params, fields }) => {
    params.set('limit', '0');
    params.set('facet', fields.join(','));
    const answer = await get(base + query(params));
    for (const f of fields) {
      facets[f] = new Map((answer.body.meta.facets[f] || []).filter((x) => x.value !== null).map((x) => [x.value, x.count]));
    }
  }));
  return facets;
}

// ---- errors ----

let retryAction = null;

function showError(err, retry) {
  $('error-text').textContent = err.message;
  $('error-technical').textContent = err.technical || '';
  $('error-details').hidden = !err.technical;
  retryAction = retry;
  $('error').hidden = false;
}

function clearError() {
  $('error').hidden = true;
  retryAction = null;
}

// ---- rendering: the overview ----

function renderFilters(s, facets) {
  const form = $('filters');
  form.country.value = s.country;
  form.sector.value = s.sector;
  form.status.value = s.status;
  form.q.value = s.q;
  form.sort.value = [...form.sort.options].some((o) => o.value === s.sort) ? s.sort : '';
  for (const th of document.querySelectorAll('#deals th[data-sort]')) {
    const key = s.sort.replace(/^-/, '');
    if (key === th.dataset.sort) th.setAttribute('aria-sort', s.sort.startsWith('-') ? 'descending' : 'ascending');
    else th.removeAttribute('aria-sort');
  }
  if (!facets) return;
  const count = (select, field) => {
    for (const o of select.options) {
      if (!o.value) continue;
      const base = o.dataset.label || o.textContent;
      o.dataset.label = base;
      o.textContent = `${base} (${facets[field].get(o.value) || 0})`;
    }
  };
  count(form.country, 'countries');
  count(form.sector, 'sector');
  count(form.status, 'status');
}

function renderMeetingPanel(s) {
  const view = $('meeting-view');
  if (!s.meeting) { view.hidden = true; fill(view); return; }
  const m = ref.meetings.get(s.meeting);
  const who = m && m.counterpart ? `${m.counterpart.title ? m.counterpart.title + ' ' : ''}${m.counterpart.name}` : null;
  fill(view,
    el('h3', { id: 'meeting-view-title', text: `Deals raised at: ${m ? m.title : s.meeting}` }),
    m ? el('p', { class: 'muted', text: [label('kind', m.kind), dateRange(m.date, m.end_date), m.location, who].filter(Boolean).join(' · ') }) : null,
    m && m.summary ? el('p', { text: m.summary }) : null,
    el('button', {
      type: 'button', class: 'secondary',
      onclick: () => go({ ...readState(), meeting: '', page: 1 }, { focus: 'deals' }),
    }, 'Show all deals'));
  view.hidden = false;
}

async function renderCountryPanel(s, seq) {
  const view = $('country-view');
  if (!s.country) { view.hidden = true; fill(view); return; }
  const c = ref.countries.get(s.country.toUpperCase());
  if (!c) { view.hidden = true; return; }
  let meetings = [];
  try {
    meetings = (await get(`${API}/countries/${encodeURIComponent(c.code)}/meetings?fields=id,title,date,end_date,kind&sort=date&limit=100`)).body.data;
  } catch { /* the deals' own error says what went wrong */ }
  if (seq !== seqNow) return;
  const leader = c.leader && c.leader.name ? `${c.leader.title ? c.leader.title + ' ' : ''}${c.leader.name}` : null;
  const roles = (c.roles || []).map((r) => label('role', r)).join(', ');
  fill(view,
    el('h3', { id: 'country-view-title', text: c.name }),
    roles ? el('p', { class: 'muted', text: roles }) : null,
    leader ? el('p', { text: `Leader named in the article: ${leader}` }) : null,
    c.summary ? el('p', { text: c.summary }) : null,
    meetings.length
      ? [el('p', { class: 'muted', text: `Its meetings and events (${meetings.length}):` }),
        el('ul', {}, meetings.map((m) => el('li', {},
          el('a', { href: pageHref({ meeting: m.id, page: 1 }), 'data-nav': '' }, m.title),
          ` — ${dateRange(m.date, m.end_date)}`)))]
      : el('p', { class: 'muted', text: 'No meeting with it is recorded.' }),
    el('button', { type: 'button', class: 'secondary', onclick: () => go({ ...readState(), country: '', page: 1 }, { focus: 'deals' }) },
      `Show every country's deals`));
  view.hidden = false;
}

// Why a row matched the search: the words marked where they show, or a note
// naming the hidden field they were found in.
function whyMatched(d, words, fold) {
  // The API also searches the sector's and status's labels and the countries' names (shown, marked).
  const shown = [d.title, ...(d.companies || []), label('sector', d.sector), label('status', d.status),
    ...partners(d.countries).map(countryName)];
  const unseen = words.filter((w) => !shown.some((t) => matchRanges(t, [w], fold).length));
  if (!unseen.length) return null;
  for (const [field, name] of HIDDEN_TEXT) {
    const texts = Array.isArray(d[field]) ? d[field] : [d[field]];
    for (const t of texts) {
      const piece = typeof t === 'string' ? excerpt(t, unseen, fold) : null;
      if (piece) return el('span', { class: 'why' }, `Matched in ${name}: `, piece);
    }
  }
  return el('span', { class: 'why', text: 'Matched in text not shown here.' });
}

function dealRow(d, s, words, fold) {
  const cell = (name, ...content) => el('td', { 'data-label': name }, ...content);
  const value = d.value
    ? [el('span', { text: moneyText(d.value) }),
      d.value_alt ? el('span', { class: 'value-alt', text: `(${moneyText(d.value_alt)})` }) : null]
    : [el('span', { class: 'muted', text: 'not given' })];
  const names = partners(d.countries).map(countryName);
  const companies = d.companies || [];
  return el('tr', { 'data-deal': d.id },
    cell('Title',
      el('a', { href: pageHref({ ...s, deal: d.id }), 'data-nav': '', class: 'deal-link' }, highlight(d.title, words, fold)),
      whyMatched(d, words, fold)),
    cell('Countries', highlight(names.length ? names.join(', ') : countryName(d.countries[0]), words, fold)),
    cell('Sector', highlight(label('sector', d.sector), words, fold)),
    cell('Status', highlight(label('status', d.status), words, fold)),
    el('td', { 'data-label': 'Value', class: 'value' }, value),
    cell('Companies', companies.length ? companies.map((c, i) => [i ? ', ' : '', ...highlight(c, words, fold)]) : '—'));
}

function dealsMessage(text, { bad = false, retry = null, clear = false } = {}) {
  return el('p', { class: `message${bad ? ' bad' : ''}` },
    el('span', { text }),
    clear ? el('button', { type: 'button', class: 'secondary', onclick: () => go(clearedState(), { focus: 'deals' }) }, 'Clear all filters') : null,
    retry ? el('button', { type: 'button', onclick: retry }, 'Try again') : null);
}

const clearedState = () => ({ ...readState(), country: '', sector: '', status: '', q: '', meeting: '', page: 1 });

async function renderDeals(s, seq) {
  const rows = $('deal-rows');
  const status = $('deals-status');
  rows.setAttribute('aria-busy', 'true');
  $('api-link').href = dealsUrl(s, s.page);
  $('api-link').firstChild.textContent = dealsUrl(s, s.page);
  fill($('download-list'), FORMATS.map((f) => el('li', {},
    el('a', { href: viewUrl(s, f), download: `attache-deals.${f.ext}` }, f.label))));
  let answer;
  let page = s.page;
  try {
    answer = await get(dealsUrl(s, page));
    const total = answer.body.meta.total;
    const last = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (page > last) {
      // ?page=9 of 3: show the last page, and say so in the URL.
      page = last;
      if (seq !== seqNow) return false;
      history.replaceState(null, '', pageHref({ ...s, page }));
      answer = await get(dealsUrl(s, page));
      $('api-link').href = dealsUrl(s, page);
      $('api-link').firstChild.textContent = dealsUrl(s, page);
    }
  } catch (e) {
    if (seq !== seqNow) return false;
    rows.setAttribute('aria-busy', 'false');
    $('table-wrap').hidden = true;
    $('pager').hidden = true;
    fill(status, dealsMessage('The deals could not be loaded.', { bad: true, retry: () => { clearError(); render(); }, clear: e.status >= 400 && e.status < 500 && hasFilters(s) }));
    showError(e, () => render());
    return false;
  }
  if (seq !== seqNow) return false;
  const { data, meta } = answer.body;
  // The words the search matched: the API's own account once it gives one
  // (meta.search.words, folded), else the whole query as one substring.
  const explained = meta.search && Array.isArray(meta.search.words) ? meta.search.words : null;
  const words = explained || (s.q ? [s.q] : []);
  const fold = { diacritics: !!explained };
  rows.setAttribute('aria-busy', 'false');
  if (!data.length) {
    $('table-wrap').hidden = true;
    $('pager').hidden = true;
    fill(rows);
    fill(status, dealsMessage(hasFilters(s) ? 'No deals match these filters.' : 'There are no deals in this dataset.', { clear: hasFilters(s) }));
    return true;
  }
  fill(rows, data.map((d) => dealRow(d, s, words, fold)));
  $('table-wrap').hidden = false;
  fill(status, `Showing ${meta.offset + 1}–${meta.offset + data.length} of ${meta.total} deal${meta.total === 1 ? '' : 's'}.`);
  const pages = Math.max(1, Math.ceil(meta.total / PAGE_SIZE));
  $('pager').hidden = pages < 2;
  $('page').textContent = `Page ${page} of ${pages}`;
  $('prev').disabled = page <= 1;
  $('next').disabled = page >= pages;
  return true;
}

// ---- the timeline, the charts, the map ----

function buildTimeline(meetings) {
  const timeline = $('timeline');
  if (!meetings.length) {
    fill(timeline, el('p', { class: 'muted', text: 'No meetings are recorded.' }));
    timeline.setAttribute('aria-busy', 'false');
    return;
  }
  const first = meetings.reduce((a, m) => (m.date < a ? m.date : a), meetings[0].date);
  const lastDay = meetings.reduce((a, m) => ((m.end_date || m.date) > a ? (m.end_date || m.date) : a), first);
  const days = daysBetween(first, lastDay).slice(0, 14);
  const columns = [];
  const sections = days.map((day, i) => {
    const starting = meetings.filter((m) => m.date === day);
    const going = meetings.filter((m) => m.date < day && m.end_date && m.end_date >= day);
    columns.push(starting.length ? 'minmax(0, 1fr)' : 'minmax(0, .55fr)');
    const bilaterals = starting.filter((m) => m.kind === 'bilateral').length;
    const note = [bilaterals ? `${bilaterals} bilateral` : '', starting.length - bilaterals ? `${starting.length - bilaterals} other` : '']
      .filter(Boolean).join(', ');
    return el('section', { class: `day${starting.length ? '' : ' day-quiet'}`, 'aria-labelledby': `day-${i}` },
      el('h3', { id: `day-${i}` }, longDate(day), note ? el('span', { class: 'muted', text: ` · ${note}` }) : null),
      starting.length ? el('ol', {}, starting.map((m) => el('li', {}, eventButton(m)))) : null,
      going.map((m) => el('p', { class: 'continues', text: `${m.title} continues (${dateRange(m.date, m.end_date)})` })));
  });
  timeline.style.setProperty('--days', String(days.length));
  timeline.style.setProperty('--columns', columns.join(' '));
  timeline.classList.toggle('has-quiet-days', columns.some((c) => c.includes('.55')));
  fill(timeline, sections);
  timeline.setAttribute('aria-busy', 'false');
}

function eventButton(m) {
  const bilateral = m.kind === 'bilateral';
  const names = partners(m.countries).map(countryName).join(', ');
  const who = m.counterpart && m.counterpart.name
    ? `${m.counterpart.title ? m.counterpart.title + ' ' : ''}${m.counterpart.name}` : null;
  return el('button', {
    type: 'button', class: 'event', 'data-meeting': m.id, 'aria-pressed': 'false',
    onclick: () => {
      const s = readState();
      const on = s.meeting === m.id;
      go({ ...s, meeting: on ? '' : m.id, page: 1 }, { focus: on ? null : 'meeting' });
    },
  },
  bilateral ? null : el('span', { class: 'event-kind', text: label('kind', m.kind) }),
  el('span', { class: 'event-name', text: bilateral ? names || m.title : m.title }),
  who ? el('span', { class: 'event-who', text: who }) : null,
  m.end_date && m.end_date !== m.date ? el('span', { class: 'event-when', text: dateRange(m.date, m.end_date) }) : null,
  el('span', { class: 'event-count none', 'data-count': '', text: '\u00a0' })); // a line kept for the count
}

function updateTimeline(s, counts) {
  const filtered = ['country', 'sector', 'status', 'q'].some((k) => s[k]);
  for (const b of document.querySelectorAll('#timeline .event')) {
    b.setAttribute('aria-pressed', b.dataset.meeting === s.meeting ? 'true' : 'false');
    if (!counts) continue;
    const n = counts.get(b.dataset.meeting) || 0;
    const span = b.querySelector('[data-count]');
    span.textContent = `${n ? n : 'no'} ${filtered ? 'matching ' : ''}deal${n === 1 ? '' : 's'}`;
    span.className = `event-count${n ? '' : ' none'}`;
  }
}

function renderCharts(s, facets) {
  const note = [];
  if (s.meeting) note.push((ref.meetings.get(s.meeting) || { title: s.meeting }).title);
  if (s.country) note.push(countryName(s.country));
  if (s.sector) note.push(label('sector', s.sector));
  if (s.status) note.push(label('status', s.status));
  if (s.q) note.push(`“${s.q}”`);
  fill($('charts-note'), note.length ? ['Filtered by ', note.join(' · '), '. ',
    el('button', { type: 'button', class: 'link', onclick: () => focusAfter('deals') }, 'See the deals')] : null);

  const status = [...(ref.vocab.status ? ref.vocab.status.keys() : facets.status.keys())].reverse();
  barChart($('chart-status'), status.map((v) => ({ value: v, label: label('status', v), count: facets.status.get(v) || 0 })),
    { selected: s.status, labelledBy: 'chart-status-title', choose: (v) => go({ ...readState(), status: v, page: 1 }) });
  const ranked = (m) => [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  barChart($('chart-sector'), ranked(facets.sector).map(([v, n]) => ({ value: v, label: label('sector', v), count: n })),
    { selected: s.sector, labelledBy: 'chart-sector-title', choose: (v) => go({ ...readState(), sector: v, page: 1 }) });
  barChart($('chart-country'), ranked(facets.countries).filter(([c]) => !ref.homes.has(c))
    .map(([v, n]) => ({ value: v, label: countryName(v), count: n })),
  { selected: s.country, labelledBy: 'chart-country-title', choose: (v) => go({ ...readState(), country: v, page: 1 }) });
  drawMap($('map'), $('map-legend'), {
    counts: facets.countries, homes: ref.homes, known: new Set(ref.countries.keys()), name: countryName,
    selected: s.country, href: (code) => pageHref({ ...s, country: code === s.country ? '' : code, page: 1 }),
    choose: (code) => { const now = readState(); go({ ...now, country: now.country === code ? '' : code, page: 1 }); },
  });
}

async function renderFacets(s, seq) {
  let facets;
  try {
    facets = await loadFacets(s);
  } catch (e) {
    if (seq !== seqNow) return;
    for (const id of ['chart-status', 'chart-sector', 'chart-country']) {
      fill($(id), el('p', { class: 'empty', text: 'The counts could not be loaded.' }));
    }
    return;
  }
  if (seq !== seqNow) return;
  renderFilters(s, facets);
  updateTimeline(s, facets.meetings);
  renderCharts(s, facets);
}

// ---- the tiles and the meetings × sectors grid, drawn once ----

function renderTiles(stats, meetings, valued) {
  const set = (name, text) => { document.querySelector(`[data-tile="${name}"]`).textContent = text; };
  const bilaterals = meetings.filter((m) => m.kind === 'bilateral');
  set('bilaterals', String(bilaterals.length));
  set('partners', String(new Set(bilaterals.flatMap((m) => partners(m.countries))).size));
  set('deals', String(stats.counts.deals));
  // Figures of different kinds are never added up: each is shown with its deal.
  // Once the API gives each value a basis, they are grouped by it, with the
  // API's own total for each basis and currency (stats.deals.totals[].basis).
  const groups = new Map();
  for (const d of valued) {
    const key = d.value.basis || '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(d);
  }
  const totals = (basis) => (stats.deals.totals || []).filter((t) => basis && t.basis === basis)
    .map((t) => moneyText({ amount: t.amount, currency: t.currency }));
  const figures = document.querySelector('[data-tile="figures"]');
  fill(figures,
    valued.length ? [...groups].map(([basis, deals]) => [
      basis ? el('p', { class: 'muted' }, `${basisText({ basis })}`,
        totals(basis).length && deals.length > 1 ? `, together ${totals(basis).join(' and ')}` : '') : null,
      el('ul', {}, deals.map((d) => el('li', {},
        el('span', { class: 'amount', text: moneyText(d.value, d.value_alt) }), ' ',
        el('a', { href: pageHref({ deal: d.id, page: 1 }), 'data-nav': '' }, d.title))))])
      : el('p', { class: 'muted', text: 'No deal states a figure.' }),
    el('p', { class: 'muted', text: `${valued.length} of ${stats.counts.deals} deals state a figure. `
      + (groups.has('') ? 'They are of different kinds, so they are not added up.' : 'Only figures of one basis are added up.') }));
  $('tiles').setAttribute('aria-busy', 'false');
}

function renderGrid(meetings, deals) {
  const sectors = ref.vocab.sector ? [...ref.vocab.sector.keys()] : [...new Set(deals.map((d) => d.sector))];
  const count = new Map();
  for (const d of deals) for (const m of d.meetings) count.set(`${m}|${d.sector}`, (count.get(`${m}|${d.sector}`) || 0) + 1);
  let lastDate = null;
  const rows = meetings.map((m) => {
    const startsDay = m.date !== lastDate;
    lastDate = m.date;
    const name = m.kind === 'bilateral' ? partners(m.countries).map(countryName).join(', ') || m.title : m.title;
    return el('tr', { class: startsDay ? 'day-start' : null },
      el('th', { scope: 'row' }, name, el('span', { class: 'muted', text: ` · ${dateRange(m.date, m.end_date)}` })),
      sectors.map((sec) => {
        const n = count.get(`${m.id}|${sec}`) || 0;
        if (n) {
          return el('td', {}, el('a', { href: pageHref({ meeting: m.id, sector: sec, page: 1 }), 'data-nav': '' },
            String(n), el('span', { class: 'visually-hidden', text: ` deal${n === 1 ? '' : 's'}` })));
        }
        if ((m.topics || []).includes(sec)) {
          return el('td', { class: 'topic' }, el('span', { 'aria-hidden': 'true', text: '•' }),
            el('span', { class: 'visually-hidden', text: 'on the agenda, no deal' }));
        }
        return el('td', {});
      }));
  });
  fill($('grid'), el('table', { class: 'grid' },
    el('caption', { class: 'visually-hidden', text: 'Deals and agenda topics by meeting and sector' }),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Meeting or event' }),
      sectors.map((sec) => el('th', { scope: 'col', class: 'sector', text: label('sector', sec) })))),
    el('tbody', {}, rows)));
}

// ---- one render of the whole page for the URL's state ----

function render({ focus = null } = {}) {
  if (!ready) return;
  const s = readState();
  const seq = ++seqNow;
  renderedSearch = location.search;
  document.documentElement.dataset.busy = 'true';
  clearError();
  if (s.deal) {
    shownDeal = s.deal;
    $('overview').hidden = true;
    $('detail').hidden = false;
    const done = renderDetail($('detail'), s.deal, {
      ref, label, countryName, partners,
      link: (changes) => pageHref({ page: 1, ...changes }),
      back: () => el('a', { class: 'back', href: pageHref({ ...s, deal: '' }), 'data-nav': '' }, '← All deals'),
    });
    done.then(() => {
      if (seq !== seqNow) return;
      if (focus) focusAfter('detail');
      document.documentElement.dataset.busy = 'false';
    });
    return;
  }
  document.title = `${ref.datasetTitle} — attache`;
  const leaving = !$('detail').hidden ? shownDeal : null;
  shownDeal = null;
  $('detail').hidden = true;
  fill($('detail'));
  $('overview').hidden = false;
  renderFilters(s);
  renderMeetingPanel(s);
  updateTimeline(s, null);
  const deals = renderDeals(s, seq).then((ok) => {
    if (seq !== seqNow) return;
    if (leaving) focusAfter('row', leaving);
    else if (focus) focusAfter(focus, ok);
  });
  // html[data-busy="false"] once every part of this view is drawn (tests wait on it).
  Promise.allSettled([deals, renderCountryPanel(s, seq), renderFacets(s, seq)]).then(() => {
    if (seq === seqNow) document.documentElement.dataset.busy = 'false';
  });
}

// Where focus goes once the view a control asked for is on the page, so that
// it never falls to <body> and a choice is never answered out of sight.
function focusAfter(what, arg) {
  const put = (node) => {
    if (!node) return;
    node.focus({ preventScroll: true });
    node.scrollIntoView({ block: 'start', behavior: reduceMotion() ? 'auto' : 'instant' });
  };
  if (what === 'detail') put($('detail-title'));
  else if (what === 'meeting') put($('meeting-view').hidden ? $('deals-title') : $('meeting-view'));
  else if (what === 'deals') put($('deals-title'));
  else if (what === 'row') {
    const link = document.querySelector(`#deal-rows tr[data-deal="${CSS.escape(arg)}"] .deal-link`);
    if (link) link.focus(); else put($('deals-title'));
  } else if (what === 'prev' || what === 'next') {
    const other = what === 'next' ? $('prev') : $('next');
    const same = $(what);
    if ($('pager').hidden) put($('deals-title'));
    else if (!same.disabled) same.focus();
    else other.focus();
  }
}

// ---- start ----

function wire() {
  const form = $('filters');
  const fromForm = () => ({
    ...readState(), country: form.country.value, sector: form.sector.value,
    status: form.status.value, q: form.q.value.trim(), sort: form.sort.value, page: 1,
  });
  form.addEventListener('submit', (e) => { e.preventDefault(); settle(); go(fromForm()); });

  // A select answers a pointer at once; arrow keys move through the options
  // without a request or a history entry each, and the page follows the one
  // the keys settle on (or the one the select holds when it loses focus).
  let timer = null;
  let lastKey = 0;
  const settle = () => { if (timer) { clearTimeout(timer); timer = null; } };
  for (const name of ['country', 'sector', 'status', 'sort']) {
    const select = form[name];
    select.addEventListener('keydown', () => { lastKey = performance.now(); });
    select.addEventListener('change', () => {
      settle();
      if (performance.now() - lastKey < 100) timer = setTimeout(() => { timer = null; go(fromForm()); }, SETTLE_MS);
      else go(fromForm());
    });
    select.addEventListener('blur', () => { if (timer) { settle(); go(fromForm()); } });
  }
  $('reset').addEventListener('click', () => { settle(); go({ ...clearedState(), sort: '' }, { focus: 'deals' }); });
  $('prev').addEventListener('click', () => { const s = readState(); go({ ...s, page: Math.max(1, s.page - 1) }, { focus: 'prev' }); });
  $('next').addEventListener('click', () => { const s = readState(); go({ ...s, page: s.page + 1 }, { focus: 'next' }); });
  $('error-retry').addEventListener('click', () => { const again = retryAction; clearError(); if (again) again(); });
  $('error-close').addEventListener('click', clearError);
  // Back and forward; a link to a fragment (the skip link) changes no state.
  window.addEventListener('popstate', () => { if (location.search !== renderedSearch) { settle(); render(); } });

  // Links within the dashboard change its state without a page load.
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[data-nav]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    const before = readState();
    history.pushState(null, '', a.getAttribute('href'));
    const after = readState();
    let focus = 'deals';
    if (after.deal) focus = 'detail';
    else if (after.meeting && after.meeting !== before.meeting) focus = 'meeting';
    render({ focus });
  });
}

async function start() {
  // (app.js has laid out the view the URL asks for.) Busy until drawn: a retry
  // starts from a failed load, which had said it was done.
  document.documentElement.dataset.busy = 'true';
  let index, stats, countries, meetings, valued, grid;
  // Busy until drawn, on a retry too: html[data-busy] is what "settled" means.
  document.documentElement.dataset.busy = 'true';
  try {
    [index, stats, countries, meetings, valued, grid] = await Promise.all([
      get(API),
      get(`${API}/stats`),
      get(`${API}/countries?limit=1000&sort=name`),
      get(`${API}/meetings?limit=1000&sort=date`),
      get(`${API}/deals?value.amount:isnull=false&sort=-value.amount&fields=id,title,value,value_alt&limit=1000`),
      get(`${API}/deals?fields=id,sector,meetings&limit=1000`),
    ]);
    if (index.body.links && index.body.links.sources) {
      const sources = await get(`${index.body.links.sources}?limit=1000`);
      for (const src of sources.body.data) ref.sources.set(src.id, src);
    }
  } catch (e) {
    showError(e, start);
    fill($('deals-status'), dealsMessage('The dashboard could not load its data.', { bad: true, retry: () => { clearError(); start(); } }));
    for (const tile of document.querySelectorAll('.tile-number')) tile.textContent = '—';
    fill(document.querySelector('[data-tile="figures"]'), el('span', { class: 'muted', text: 'not loaded' }));
    fill($('timeline'), el('p', { class: 'muted', text: 'The meetings could not be loaded.' }));
    if (!$('detail').hidden) fill($('detail'), el('p', { class: 'muted', text: 'The deal could not be loaded.' }));
    $('table-wrap').hidden = true;
    $('pager').hidden = true;
    document.documentElement.dataset.busy = 'false';
    return;
  }
  const ds = index.body.dataset;
  ref.datasetTitle = ds.title;
  $('title').textContent = ds.title;
  // The sources are a collection (/api/v1/sources); the first names the footer.
  const src = ds.source || ref.sources.values().next().value || {};
  fill($('source'), 'Source: ', src.publisher ? `${src.publisher}, ` : '',
    src.url ? el('a', { href: src.url }, `“${src.title}”`) : `“${src.title}”`, `. Dataset version ${ds.version}.`);
  for (const [name, entries] of Object.entries(ds.vocabularies || {})) {
    ref.vocab[name] = new Map(entries.map((e) => [e.id, e.label]));
  }
  for (const c of countries.body.data) {
    ref.countries.set(c.code, c);
    if ((c.roles || []).includes('home')) ref.homes.add(c.code);
  }
  for (const m of meetings.body.data) ref.meetings.set(m.id, m);

  const form = $('filters');
  const options = (select, entries) => fill(select, select.options[0], entries.map(([value, text]) => el('option', { value, text })));
  options(form.country, countries.body.data.map((c) => [c.code, c.name]));
  const fromStats = (rows) => rows.map((r) => [r.value, r.label || r.value]);
  options(form.sector, ref.vocab.sector ? [...ref.vocab.sector] : fromStats(stats.body.deals.by_sector));
  options(form.status, ref.vocab.status ? [...ref.vocab.status] : fromStats(stats.body.deals.by_status));

  renderTiles(stats.body, meetings.body.data, valued.body.data);
  buildTimeline(meetings.body.data);
  renderGrid(meetings.body.data, grid.body.data);
  ready = true;
  clearError();
  render();
}

wire();
start();
