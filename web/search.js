// Why a record matched a search, as the API matched it: its meta.search gives
// the query's terms (single words; `prefix` when a word matches the words it
// begins) and phrases (words in a row). Text is split into words and folded
// the way the API folds it (compatibility decomposition, marks dropped, full
// case folding), so "cernavoda" marks "Cernavodă" and "strasse" "Straße",
// and a term marks whole words only: "port" marks "Portugal" but not
// "Support", and "\"port\"" marks neither.
import { el } from './util.js';

// A word is a run of letters, marks and digits; everything else separates words.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

// toUpperCase then toLowerCase is Unicode's full case folding for all but a
// few letters ("ß" becomes "ss", final "ς" becomes "σ").
export function fold(word) {
  return word.normalize('NFKD').replace(/\p{Mn}/gu, '').toUpperCase().toLowerCase().normalize('NFC');
}

function words(text) {
  const out = [];
  for (const m of text.matchAll(WORD)) out.push({ start: m.index, end: m.index + m[0].length, f: fold(m[0]) });
  return out;
}

// What to look for, from the API's meta.search: [{words, prefix, text}], one
// per term and per phrase. Without one (no search), nothing.
export function matcher(search) {
  if (!search) return [];
  const terms = (search.terms || []).map((t) => ({ words: [fold(t.word)], prefix: !!t.prefix, text: t.word }));
  const phrases = (search.phrases || []).map((p) => ({ words: p.map(fold), prefix: false, text: `“${p.join(' ')}”` }));
  return [...terms, ...phrases].filter((x) => x.words.length && x.words.every(Boolean));
}

// [start, end) ranges of the text where any of the items occurs, merged.
export function matchRanges(text, items) {
  if (typeof text !== 'string' || !text || !items || !items.length) return [];
  const ws = words(text);
  const ranges = [];
  for (const item of items) {
    const n = item.words.length;
    for (let i = 0; i + n <= ws.length; i++) {
      const hit = item.words.every((w, j) => (item.prefix ? ws[i + j].f.startsWith(w) : ws[i + j].f === w));
      if (hit) ranges.push([ws[i].start, ws[i + n - 1].end]);
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

export const occurs = (text, item) => matchRanges(text, [item]).length > 0;

// The text as nodes, the matched words in <mark>.
export function highlight(text, items) {
  const ranges = matchRanges(text, items);
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

// A short piece of a long text around its first match, marked; null if none.
export function excerpt(text, items, room = 50) {
  const ranges = matchRanges(text, items);
  if (!ranges.length) return null;
  const [a, b] = ranges[0];
  let from = Math.max(0, a - room);
  let to = Math.min(text.length, b + room);
  if (from > 0) { const sp = text.indexOf(' ', from); if (sp !== -1 && sp < a) from = sp + 1; }
  if (to < text.length) { const sp = text.lastIndexOf(' ', to); if (sp > b) to = sp; }
  return [from > 0 ? '…' : '', ...highlight(text.slice(from, to), items), to < text.length ? '…' : ''];
}
