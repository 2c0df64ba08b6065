// attache dashboard: the summit's sales diplomacy at a glance, fed by the API.
//
// The page's own URL holds the filters (?country=RO&sector=nuclear&status=...
// &q=...&meeting=...&page=2), so a view can be shared and the back button
// works; each filter becomes the API's own query grammar, so the URL of every
// request is the filter the user chose. No framework, no build step, and
// nothing fetched from anywhere but this server.
'use strict';

const API = '/api/v1';
const PAGE_SIZE = 10;
const DEAL_FIELDS = 'id,title,countries,sector,status,value,value_alt,companies';

const $ = (id) => document.getElementById(id);

// What the API says about itself, loaded once: names for codes and labels for vocabularies.
const ref = {
  countries: new Map(),   // code -> {code, name, roles}
  homes: new Set(),       // codes whose role is "home": party to every deal
  vocab: {},              // kind|sector|status -> Map(id -> label)
  meetings: new Map(),    // id -> meeting
};

let requestSeq = 0;       // answers to older requests than the latest are dropped

class ApiError extends Error {}

// GETs path; resolves to {body, total, links} or rejects with an ApiError whose
// message a person can act on (the problem's detail, or why the API is unreachable).
async function api(path) {
  let res;
  try {
    res = await fetch(path, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new ApiError(`Cannot reach the API (${e.message}). Is attache running?`);
  }
  const type = res.headers.get('Content-Type') || '';
  let body = null;
  if (type.includes('json')) {
    try { body = await res.json(); } catch (e) { body = null; }
  }
  if (!res.ok) {
    const detail = body && body.detail ? body.detail : `the API answered ${res.status} ${res.statusText}`;
    throw new ApiError(`${res.status} ${body && body.title ? body.title : ''}: ${detail}`);
  }
  return { body, total: Number(res.headers.get('X-Total-Count')) };
}

function showError(message) {
  const banner = $('error');
  banner.textContent = message;
  banner.hidden = false;
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

// ---- money, as a person reads it: "₩260 billion", "US$940 billion" ----

const SYMBOLS = { KRW: '₩', USD: 'US$', EUR: '€', GBP: '£', JPY: '¥', CNY: 'CN¥' };
const SCALES = [[1e12, 'trillion'], [1e9, 'billion'], [1e6, 'million']];
const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

function money(m) {
  if (!m) return '';
  const symbol = SYMBOLS[m.currency] || `${m.currency} `;
  for (const [size, word] of SCALES) {
    if (m.amount >= size) return `${symbol}${NUMBER.format(m.amount / size)} ${word}`;
  }
  return `${symbol}${NUMBER.format(m.amount)}`;
}

const label = (vocab, id) => (ref.vocab[vocab] && ref.vocab[vocab].get(id)) || id;
const countryName = (code) => (ref.countries.get(code) || { name: code }).name;
const partners = (codes) => codes.filter((c) => !ref.homes.has(c));

function longDate(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB',
    { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

// ---- the page's URL is the state ----

function readState() {
  const p = new URLSearchParams(location.search);
  const page = Math.max(1, parseInt(p.get('page') || '1', 10) || 1);
  return {
    country: p.get('country') || '', sector: p.get('sector') || '', status: p.get('status') || '',
    q: p.get('q') || '', meeting: p.get('meeting') || '', page,
  };
}

function go(state) {
  const p = new URLSearchParams();
  for (const k of ['country', 'sector', 'status', 'q', 'meeting']) if (state[k]) p.set(k, state[k]);
  if (state.page > 1) p.set('page', String(state.page));
  const qs = p.toString();
  history.pushState(null, '', qs ? `?${qs}` : location.pathname);
  render();
}

// The API request for a state: the related list of a meeting, or all deals, filtered.
function dealsUrl(state) {
  const base = state.meeting ? `${API}/meetings/${encodeURIComponent(state.meeting)}/deals` : `${API}/deals`;
  const p = new URLSearchParams();
  if (state.country) p.set('countries', state.country);
  if (state.sector) p.set('sector', state.sector);
  if (state.status) p.set('status', state.status);
  if (state.q) p.set('q', state.q);
  p.set('fields', DEAL_FIELDS);
  p.set('limit', String(PAGE_SIZE));
  p.set('offset', String((state.page - 1) * PAGE_SIZE));
  return `${base}?${p.toString().replace(/%2C/g, ',')}`;
}

// ---- rendering ----

function renderTiles(stats) {
  const set = (name, text) => { document.querySelector(`[data-tile="${name}"]`).textContent = text; };
  set('meetings', String(stats.counts.meetings));
  set('countries', String(stats.counts.countries));
  set('deals', String(stats.counts.deals));
  const totals = stats.deals.totals.map((t) => money({ amount: t.amount, currency: t.currency }));
  set('value', totals.length ? totals.join(' · ') : 'no figures');
  document.querySelector('[data-tile="value"] + .tile-label').textContent =
    `deal value, per currency: the ${stats.deals.valued} of ${stats.counts.deals} deals with a stated figure`;
  $('tiles').setAttribute('aria-busy', 'false');
}

function renderTimeline(meetings) {
  const timeline = $('timeline');
  const state = readState();
  const days = new Map();
  timeline.replaceChildren();
  for (const m of meetings.filter((x) => x.kind === 'bilateral')) {
    if (!days.has(m.date)) days.set(m.date, []);
    days.get(m.date).push(m);
  }
  for (const [date, list] of [...days.entries()].sort()) {
    const items = list.map((m) => {
      const who = partners(m.countries).map(countryName).join(', ');
      const counterpart = m.counterpart
        ? el('span', { class: 'meeting-counterpart', text: `${m.counterpart.title ? m.counterpart.title + ' ' : ''}${m.counterpart.name}` })
        : null;
      const topics = m.topics.length
        ? el('span', { class: 'meeting-topics' }, ...m.topics.map((t) => el('span', { class: 'tag', text: label('sector', t) })))
        : el('span', { class: 'meeting-topics', text: 'No agenda reported' });
      return el('li', {}, el('button', {
        type: 'button', class: 'meeting', 'data-meeting': m.id,
        'aria-pressed': state.meeting === m.id ? 'true' : 'false',
        onclick: () => { const s = readState(); go({ ...s, meeting: s.meeting === m.id ? '' : m.id, page: 1 }); },
      }, el('span', { class: 'meeting-country', text: who }), counterpart, topics));
    });
    timeline.append(el('div', { class: 'day' },
      el('h3', {}, `${longDate(date)} `, el('span', { class: 'muted', text: `· ${list.length} meetings` })),
      el('ol', {}, ...items)));
  }
  timeline.setAttribute('aria-busy', 'false');

  const events = $('events');
  events.replaceChildren(...meetings.filter((x) => x.kind !== 'bilateral').map((m) => el('li', {},
    el('strong', { text: m.title }), ` — ${m.date}${m.end_date ? ' to ' + m.end_date : ''}, `,
    `${m.location || 'place not given'} (${label('kind', m.kind)})`)));
}

function barChart(target, rows) {
  const NS = 'http://www.w3.org/2000/svg';
  const width = 480, bar = 22, gap = 6;
  // Room for the longest label at about 7 px a character (12 px text), within reason.
  const labelWidth = Math.min(230, 16 + 7 * Math.max(...rows.map((r) => r.label.length), 4));
  const max = Math.max(1, ...rows.map((r) => r.count));
  const svg = document.createElementNS(NS, 'svg');
  const height = rows.length * (bar + gap) + gap;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', rows.map((r) => `${r.label}: ${r.count}`).join(', '));
  rows.forEach((r, i) => {
    const y = gap + i * (bar + gap);
    const w = Math.max(2, ((width - labelWidth - 40) * r.count) / max);
    const name = document.createElementNS(NS, 'text');
    name.setAttribute('x', String(labelWidth - 8));
    name.setAttribute('y', String(y + bar * 0.7));
    name.setAttribute('text-anchor', 'end');
    name.textContent = r.label;
    const rect = document.createElementNS(NS, 'rect');
    rect.setAttribute('class', 'bar');
    rect.setAttribute('x', String(labelWidth));
    rect.setAttribute('y', String(y));
    rect.setAttribute('width', String(w));
    rect.setAttribute('height', String(bar));
    rect.setAttribute('rx', '3');
    const count = document.createElementNS(NS, 'text');
    count.setAttribute('x', String(labelWidth + w + 6));
    count.setAttribute('y', String(y + bar * 0.7));
    count.textContent = String(r.count);
    svg.append(name, rect, count);
  });
  target.replaceChildren(svg);
}

function renderCharts(stats) {
  barChart($('chart-sector'), stats.deals.by_sector.map((s) => ({ label: s.label || s.value, count: s.count })));
  barChart($('chart-country'), stats.deals.by_country
    .filter((c) => !ref.homes.has(c.value))
    .slice(0, 15)
    .map((c) => ({ label: countryName(c.value), count: c.count })));
}

function fillSelect(select, entries) {
  select.append(...entries.map(([value, text]) => el('option', { value, text })));
}

function renderFilters(state) {
  const form = $('filters');
  form.country.value = state.country;
  form.sector.value = state.sector;
  form.status.value = state.status;
  form.q.value = state.q;
}

function dealRow(d) {
  const cell = (name, ...content) => el('td', { 'data-label': name }, ...content);
  const value = d.value
    ? [el('span', { text: money(d.value) }), d.value_alt ? el('span', { class: 'value-alt', text: `(${money(d.value_alt)})` }) : null]
    : [el('span', { class: 'muted', text: 'not given' })];
  return el('tr', { 'data-deal': d.id },
    cell('Title', d.title),
    cell('Countries', partners(d.countries).map(countryName).join(', ') || countryName(d.countries[0])),
    cell('Sector', label('sector', d.sector)),
    cell('Status', label('status', d.status)),
    el('td', { 'data-label': 'Value', class: 'value' }, ...value),
    cell('Companies', d.companies.length ? d.companies.join(', ') : '—'));
}

async function renderDeals(state, seq) {
  const rows = $('deal-rows');
  const status = $('deals-status');
  rows.setAttribute('aria-busy', 'true');
  rows.replaceChildren(el('tr', {}, el('td', { class: 'loading', colspan: '6', text: 'Loading deals…' })));
  status.textContent = '';
  let answer;
  try {
    answer = await api(dealsUrl(state));
  } catch (e) {
    if (seq !== requestSeq) return;
    rows.replaceChildren();
    rows.setAttribute('aria-busy', 'false');
    showError(e.message);
    return;
  }
  if (seq !== requestSeq) return;
  const { data, meta, links } = answer.body;
  rows.setAttribute('aria-busy', 'false');
  if (!data.length) {
    rows.replaceChildren(el('tr', {}, el('td', { class: 'empty', colspan: '6', text: 'No deals match these filters.' })));
    status.textContent = meta.total ? `No deals on page ${state.page}.` : 'No deals match.';
  } else {
    rows.replaceChildren(...data.map(dealRow));
    status.textContent = `Showing ${meta.offset + 1}–${meta.offset + data.length} of ${meta.total} deals.`;
  }
  const pages = Math.max(1, Math.ceil(meta.total / PAGE_SIZE));
  $('page').textContent = `Page ${state.page} of ${pages}`;
  $('prev').disabled = !links.prev;
  $('next').disabled = !links.next;
}

async function renderCountry(state, seq) {
  const view = $('country-view');
  if (!state.country) {
    view.hidden = true;
    view.replaceChildren();
    return;
  }
  try {
    const code = encodeURIComponent(state.country);
    const [country, meetings] = await Promise.all([
      api(`${API}/countries/${code}`),
      api(`${API}/countries/${code}/meetings?fields=id,title,date,kind&sort=date&limit=100`),
    ]);
    if (seq !== requestSeq) return;
    const c = country.body;
    view.replaceChildren(
      el('h3', { text: c.name }),
      c.leader ? el('p', { text: `${c.leader.title ? c.leader.title + ' ' : ''}${c.leader.name}` }) : null,
      c.summary ? el('p', { text: c.summary }) : null,
      el('p', { class: 'muted', text: `Meetings (${meetings.total}):` }),
      meetings.total
        ? el('ul', {}, ...meetings.body.data.map((m) => el('li', { text: `${m.date}: ${m.title}` })))
        : el('p', { class: 'muted', text: 'None.' }));
    view.hidden = false;
  } catch (e) {
    if (seq === requestSeq) showError(e.message);
  }
}

function renderMeetingNote(state) {
  const note = $('meeting-view');
  const m = ref.meetings.get(state.meeting);
  for (const b of document.querySelectorAll('.meeting')) {
    b.setAttribute('aria-pressed', b.dataset.meeting === state.meeting ? 'true' : 'false');
  }
  if (!state.meeting) {
    note.hidden = true;
    return;
  }
  note.replaceChildren(`Deals raised at: ${m ? m.title : state.meeting} `,
    el('button', { type: 'button', class: 'secondary', onclick: () => go({ ...readState(), meeting: '', page: 1 }) }, 'Show all deals'));
  note.hidden = false;
}

function render() {
  const state = readState();
  const seq = ++requestSeq;
  clearError();
  renderFilters(state);
  renderMeetingNote(state);
  renderDeals(state, seq);
  renderCountry(state, seq);
}

// ---- start ----

function wire() {
  const form = $('filters');
  const fromForm = () => ({
    ...readState(), country: form.country.value, sector: form.sector.value,
    status: form.status.value, q: form.q.value.trim(), page: 1,
  });
  form.addEventListener('submit', (e) => { e.preventDefault(); go(fromForm()); });
  for (const name of ['country', 'sector', 'status']) form[name].addEventListener('change', () => go(fromForm()));
  $('reset').addEventListener('click', () => go({ country: '', sector: '', status: '', q: '', meeting: '', page: 1 }));
  $('prev').addEventListener('click', () => { const s = readState(); go({ ...s, page: Math.max(1, s.page - 1) }); });
  $('next').addEventListener('click', () => { const s = readState(); go({ ...s, page: s.page + 1 }); });
  window.addEventListener('popstate', render);
}

async function start() {
  wire();
  let index, stats, countries, meetings;
  try {
    [index, stats, countries, meetings] = await Promise.all([
      api(API),
      api(`${API}/stats`),
      api(`${API}/countries?limit=1000&fields=code,name,roles&sort=name`),
      api(`${API}/meetings?limit=1000&sort=date`),
    ]);
  } catch (e) {
    showError(e.message);
    return;
  }
  const ds = index.body.dataset;
  document.title = `${ds.title} — attache`;
  $('title').textContent = ds.title;
  $('source').textContent = `Source: ${ds.source.publisher ? ds.source.publisher + ', ' : ''}“${ds.source.title}”. Dataset version ${ds.version}.`;
  for (const [name, entries] of Object.entries(ds.vocabularies || {})) {
    ref.vocab[name] = new Map(entries.map((e) => [e.id, e.label]));
  }
  for (const c of countries.body.data) {
    ref.countries.set(c.code, c);
    if (c.roles.includes('home')) ref.homes.add(c.code);
  }
  for (const m of meetings.body.data) ref.meetings.set(m.id, m);

  const form = $('filters');
  fillSelect(form.country, countries.body.data.map((c) => [c.code, c.name]));
  const fromStats = (rows) => rows.map((r) => [r.value, r.label || r.value]);
  fillSelect(form.sector, ref.vocab.sector ? [...ref.vocab.sector] : fromStats(stats.body.deals.by_sector));
  fillSelect(form.status, ref.vocab.status ? [...ref.vocab.status] : fromStats(stats.body.deals.by_status));

  renderTiles(stats.body);
  renderTimeline(meetings.body.data);
  renderCharts(stats.body);
  render();
}

start();
