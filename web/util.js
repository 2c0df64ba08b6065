// Small helpers the dashboard's modules share: building DOM nodes, and
// reading money and dates as a person does.

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
