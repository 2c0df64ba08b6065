// Small helpers the dashboard's modules share: building DOM nodes, reading
// money and dates as a person does, and marking the words a search matched.

export const $ = (id) => document.getElementById(id);

// Children that are null, undefined or false are left out, and arrays are
// flattened: a missing value never becomes the text "null" on the page.
function children(list) {
  return list.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false);
}

export function el(tag, attrs, ...kids) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children(kids));
  return node;
}

// replaceChildren without the "null" trap.
export function fill(node, ...kids) {
  node.replaceChildren(...children(kids));
  return node;
}

// ---- money: "₩260 billion", "US$940 billion" ----

const SYMBOLS = { KRW: '₩', USD: 'US$', EUR: '€', GBP: '£', JPY: '¥', CNY: 'CN¥' };
const SCALES = [[1e12, 'trillion'], [1e9, 'billion'], [1e6, 'million']];
const EXACT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
// A sum of estimates is no more precise than an estimate: two significant digits.
const ROUGH = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2 });

// "₩260 billion". opts.rough: round to two significant digits (a total of
// estimates, which would otherwise read "₩1,203.5 trillion").
export function money(m, opts = {}) {
  if (!m || typeof m.amount !== 'number' || !m.currency) return '';
  const symbol = SYMBOLS[m.currency] || `${m.currency} `;
  const format = opts.rough ? ROUGH : EXACT;
  for (const [size, word] of SCALES) {
    if (m.amount >= size) return `${symbol}${format.format(m.amount / size)} ${word}`;
  }
  return `${symbol}${format.format(m.amount)}`;
}

// "about ₩1,200 trillion (US$940 billion)": the value, its second currency
// where the source gives one, "about" where the API marks it an estimate.
export function moneyText(value, alt, opts) {
  if (!value) return '';
  const main = `${value.estimate ? 'about ' : ''}${money(value, opts)}`;
  return alt && money(alt) ? `${main} (${money(alt, opts)})` : main;
}

// ---- dates ----

const parts = (iso) => iso.split('-').map(Number);
const utc = (iso) => { const [y, m, d] = parts(iso); return new Date(Date.UTC(y, m - 1, d)); };

export function longDate(iso) {
  return utc(iso).toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
}

export function shortDate(iso) {
  return utc(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' });
}

// "11–12 July", "12–14 July", or one day.
export function dateRange(from, to) {
  if (!to || to === from) return shortDate(from);
  const [, m1, d1] = parts(from);
  const [, m2] = parts(to);
  return m1 === m2 ? `${d1}–${shortDate(to)}` : `${shortDate(from)} – ${shortDate(to)}`;
}

// Every day from one ISO date to another, both included.
export function daysBetween(from, to) {
  const out = [];
  for (let t = utc(from).getTime(); t <= utc(to).getTime(); t += 86400000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

// ---- why a row matched a search ----
//
// Today the API's q matches its text as one case-insensitive substring, so
// the words are [q]. Once the API folds diacritics and matches every word
// (meta.search), pass its words and { diacritics: true }.

function foldChar(c, diacritics) {
  let f = c.toLowerCase();
  if (diacritics) f = f.normalize('NFD').replace(/\p{M}/gu, '');
  return f;
}

// The folded text, and for each of its code units the index in the original.
function folded(text, diacritics) {
  let out = '';
  const at = [];
  let i = 0;
  for (const c of text) {
    const f = foldChar(c, diacritics);
    out += f;
    for (let k = 0; k < f.length; k++) at.push(i);
    i += c.length;
  }
  at.push(i);
  return { out, at };
}

// [start, end) ranges of the original text where any word occurs.
export function matchRanges(text, words, opts = {}) {
  if (!text || !words || !words.length) return [];
  const { out, at } = folded(text, opts.diacritics);
  const ranges = [];
  for (const w of words) {
    const needle = folded(w.trim(), opts.diacritics).out;
    if (!needle) continue;
    for (let i = out.indexOf(needle); i !== -1; i = out.indexOf(needle, i + needle.length)) {
      ranges.push([at[i], at[i + needle.length]]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  return merged;
}

// The text as nodes, the matched parts in <mark>.
export function highlight(text, words, opts) {
  const ranges = matchRanges(text, words, opts);
  if (!ranges.length) return [text];
  const out = [];
  let pos = 0;
  for (const [a, b] of ranges) {
    if (a > pos) out.push(text.slice(pos, a));
    out.push(el('mark', { text: text.slice(a, b) }));
    pos = b;
  }
  if (pos < text.length) out.push(text.slice(pos));
  return out;
}

// A short piece of a long text around its first match, marked.
export function excerpt(text, words, opts, room = 50) {
  const ranges = matchRanges(text, words, opts);
  if (!ranges.length) return null;
  const [a, b] = ranges[0];
  let from = Math.max(0, a - room);
  let to = Math.min(text.length, b + room);
  if (from > 0) { const sp = text.indexOf(' ', from); if (sp !== -1 && sp < a) from = sp + 1; }
  if (to < text.length) { const sp = text.lastIndexOf(' ', to); if (sp > b) to = sp; }
  const piece = text.slice(from, to);
  return [from > 0 ? '…' : '', ...highlight(piece, words, opts), to < text.length ? '…' : ''];
}
