// An independent model of the list grammar, computed in JS over the whole,
// unpaged data. What it knows of each resource it reads from the OpenAPI
// document: the list routes, the filter parameters (a field's name, its
// operators, its value type, its search weight, vocabulary and the records it
// names), the names sort, facet and fields take, the fields q searches, and
// the record schema (which field is an array, and the CSV columns); what it
// knows of the data (the vocabularies, the records a field names) the checker
// gives it (Resource.ctx). The rules themselves (what each operator means, how
// sorting and paging go, how q= folds, matches and ranks, how Accept and
// format= choose a format, how a record becomes a CSV row) are the README's
// and the document's descriptions, written here again.

import { resolve } from './spec.mjs';

export const RESERVED = ['q', 'sort', 'limit', 'offset', 'fields', 'facet', 'format', 'bom'];

// The formats, in the order Accept breaks ties in (README, "CSV and NDJSON").
export const FORMATS = [
  { name: 'json', media: 'application/json', ext: 'json' },
  { name: 'csv', media: 'text/csv', ext: 'csv' },
  { name: 'ndjson', media: 'application/x-ndjson', ext: 'ndjson' },
];
export const formatOf = (name) => FORMATS.find((f) => f.name === name);
export const MAX = { filters: 32, values: 64, sort: 8, facets: 8, limit: 1000, offset: 4294967295 };

export const asciiLower = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const bytes = (s) => Buffer.from(s, 'utf8');

// Strings order ignoring ASCII case, then byte by byte; integers by value; dates as text; false before true.
export function compareValues(type, a, b) {
  if (type === 'integer') return a < b ? -1 : a > b ? 1 : 0;
  if (type === 'boolean') return Number(a) - Number(b);
  if (type === 'date') return Buffer.compare(bytes(a), bytes(b));
  return Buffer.compare(bytes(asciiLower(a)), bytes(asciiLower(b))) || Buffer.compare(bytes(a), bytes(b));
}

// An integer as JSON Schema counts them, exactly (BigInt): null when it is not one.
export function parseInteger(s) {
  const m = /^([+-]?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(s);
  if (!m) return null;
  const digits = m[2] + (m[3] || '');
  let exp = Number(m[4] || 0) - (m[3] || '').length;
  let v = BigInt(digits);
  if (v === 0n) return 0n;
  if (exp > 40) return null; // far past int64
  if (exp < 0) {
    const p = 10n ** BigInt(-exp);
    if (-exp > digits.length + 1 || v % p !== 0n) return null;
    v /= p;
  } else {
    v *= 10n ** BigInt(exp);
  }
  return m[1] === '-' ? -v : v;
}

export function validDate(s) {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
}

// page_url: the path, the parameters but limit and offset, re-encoded, then limit and offset.
const KEEP = /[A-Za-z0-9\-._~,:!$'()*@/]/;
export function encodeQuery(s) {
  let out = '';
  for (const b of bytes(s)) {
    const c = String.fromCharCode(b);
    out += b < 128 && KEEP.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function pageUrl(path, params, limit, offset) {
  let s = `${path}?`;
  for (const [k, v] of params) if (k !== 'limit' && k !== 'offset') s += `${encodeQuery(k)}=${encodeQuery(v)}&`;
  return `${s}limit=${limit}&offset=${offset}`;
}

// What the document says of one resource's lists.
export class Resource {
  constructor(doc, listOp) {
    const params = listOp.parameters.map((p) => [p.$ref?.split('/').pop(), resolve(doc, p)]);
    const byName = Object.fromEntries(params.map(([, p]) => [p.name, p]));
    this.name = params.find(([k]) => k?.endsWith('.fields'))[0].split('.')[0];
    const listSchema = resolve(doc, listOp.responses['200'].content['application/json'].schema);
    this.schema = resolve(doc, listSchema.properties.data.items.oneOf[0]);
    this.members = byName.fields.schema.items.enum;
    this.sortable = byName.sort.schema.items.enum.filter((n) => !/^[-+]/.test(n));
    this.facetable = byName.facet.schema.items.enum;
    this.searched = byName.q['x-searched-fields'];
    this.params = byName;
    this.fields = {};
    // A field named as a reserved parameter (a meeting's format) has no bare form: format:eq and the others.
    for (const p of Object.values(byName)) {
      const [field, op] = p.name.split(':');
      if (!op && RESERVED.includes(field)) continue;
      const f = this.fields[field] ??= { name: field, ops: [], bare: false, type: null, array: false };
      if (op) f.ops.push(op);
      else f.bare = true;
      if (!op || op === 'eq') {
        const item = p.schema.items;
        f.type = item.type === 'integer' ? 'integer' : item.type === 'boolean' ? 'boolean' : item.format === 'date' ? 'date' : 'string';
        f.array = this.isArray(doc, field);
        f.weight = p['x-search-weight'] ?? 0;
        f.vocab = p['x-vocabulary'] ?? null;
        f.ref = p['x-references'] ?? null;
      }
    }
    const content = listOp.responses['200'].content;
    if (JSON.stringify(Object.keys(content).sort()) !== JSON.stringify(FORMATS.map((f) => f.media).sort()) ||
        JSON.stringify(byName.format.schema.enum) !== JSON.stringify(FORMATS.map((f) => f.name)))
      throw new Error(`the document's formats (${Object.keys(content)}; ${byName.format.schema.enum}) are not the README's`);
    this.columns = csvColumns(doc, this.schema);
  }

  // Whether the record schema holds field (dots: nested members) as an array,
  // or inside one (evidence.source: each quote's source).
  isArray(doc, field) {
    let s = this.schema, through = false;
    for (const part of field.split('.')) {
      s = nonNull(doc, s);
      while (s.type === 'array') { through = true; s = nonNull(doc, s.items); }
      s = s.properties[part];
    }
    return through || nonNull(doc, s).type === 'array';
  }

  // A record's value of field: null, a scalar, or (arrays) a list; objects in a list count by name.
  value(rec, field) {
    let vs = [rec];
    for (const part of field.split('.'))
      vs = vs.flatMap((v) => (Array.isArray(v) ? v : [v])).map((v) => (v && typeof v === 'object' ? v[part] : undefined));
    const f = this.fields[field];
    if (f.array) return vs.flatMap((v) => (Array.isArray(v) ? v : v == null ? [] : [v])).map((x) => (x && typeof x === 'object' ? x.name : x));
    return vs[0] ?? null;
  }
}

// A refusal: the parameter named, and whether a finite set of what would do is listed.
const refuse = (param, listed) => ({ error: { param, listed } });

// The format Accept chooses (RFC 9110, 12.5.1): each format takes the q of the
// most specific range that matches its type; the highest q above 0 wins, then
// the more specific range, then the order of FORMATS. No Accept: JSON. null:
// none is acceptable (406).
export function negotiate(accept) {
  if (accept === undefined || accept === null) return 'json';
  const ranges = accept.split(',').map((r) => {
    const [range, ...params] = r.split(';').map((x) => x.trim().toLowerCase());
    const q = params.find((x) => x.startsWith('q='));
    const [type, sub] = range.split('/');
    return { type, sub, q: q ? Number(q.slice(2)) : 1 };
  }).filter((r) => r.type && r.sub);
  let best = null;
  for (const f of FORMATS) {
    const [type, sub] = f.media.split('/');
    let match = null;
    for (const r of ranges) {
      const spec = r.type === type && r.sub === sub ? 2 : r.type === type && r.sub === '*' ? 1 : r.type === '*' && r.sub === '*' ? 0 : -1;
      if (spec >= 0 && (!match || spec > match.spec)) match = { spec, q: r.q };
    }
    if (!match || !(match.q > 0)) continue;
    if (!best || match.q > best.q || (match.q === best.q && match.spec > best.spec)) best = { name: f.name, ...match };
  }
  return best ? best.name : null;
}

// What format=, bom= and limit=all ask of the representation, read before the
// list grammar as the server reads them (a list: limit=all and facet= are
// checked too). Returns { output: { format, download, bom, all } }, a
// refusal, or { notAcceptable: true } when Accept excludes every format and
// format= does not choose one.
export function parseOutput(pairs, accept, list) {
  const once = (key) => {
    const v = pairs.filter(([k]) => k === key).map(([, x]) => x);
    return v.length > 1 ? { twice: true } : { value: v[0] };
  };
  const out = { format: null, download: false, bom: false, all: false };
  const format = once('format');
  if (format.twice) return refuse('format', false);
  if (format.value !== undefined) {
    if (!formatOf(format.value)) return refuse('format', true);
    out.format = format.value;
    out.download = true;
  } else {
    out.format = negotiate(accept);
    if (!out.format) return { notAcceptable: true };
  }
  const bom = once('bom');
  if (bom.twice) return refuse('bom', false);
  if (bom.value !== undefined && bom.value !== 'true' && bom.value !== 'false') return refuse('bom', true);
  out.bom = bom.value === 'true';
  if (out.bom && out.format !== 'csv') return refuse('bom', false);
  if (!list) return { output: out };
  const limit = once('limit'), facet = once('facet');
  if (limit.twice) return refuse('limit', false);
  if (facet.twice) return refuse('facet', false);
  out.all = limit.value === 'all';
  if (out.all && out.format === 'json') return refuse('limit', false);
  if (facet.value !== undefined && out.format !== 'json') return refuse('facet', false);
  return { output: out };
}

// The name format= asks a download to be saved as: the path after /api/v1/ and
// the dataset's id (or title), each as lower-case ASCII words joined by '-'.
export function downloadName(path, dataset, format) {
  const slug = (s) => (s.toLowerCase().match(/[a-z0-9]+/g) || []).join('-');
  const name = [slug(path.replace(/^\/api\/v1\//, '')), slug(dataset.id ?? dataset.title)].filter(Boolean).join('-');
  return `${name || 'export'}.${formatOf(format).ext}`;
}

// The schema s stands for, without its null alternative.
function nonNull(doc, s) {
  s = resolve(doc, s);
  if (s.oneOf) return nonNull(doc, s.oneOf.find((x) => resolve(doc, x).type !== 'null'));
  if (Array.isArray(s.type)) return { ...s, type: s.type.find((t) => t !== 'null') };
  return s;
}

// A record schema's CSV columns by the README's rules, member by member: a
// scalar is one column; an object one per member of it, dotted, as deep as it
// goes; an array of scalars one column; an array of objects one per member of
// its items. { member, name, keys, joined (through an array) } each.
export function csvColumns(doc, schema) {
  const cols = [];
  const walk = (member, s, keys, joined) => {
    s = nonNull(doc, s);
    if (s.type === 'array') { walk(member, s.items, keys, true); return; }
    if (s.type === 'object') {
      for (const [k, v] of Object.entries(s.properties)) walk(member, v, [...keys, k], joined);
      return;
    }
    cols.push({ member, name: keys.join('.'), keys, joined });
  };
  for (const [m, s] of Object.entries(nonNull(doc, schema).properties)) walk(m, s, [m], false);
  return cols;
}

// The values column keys takes from v, one place per array element (null: that element has none).
function places(v, keys) {
  if (Array.isArray(v)) return v.flatMap((e) => { const p = places(e, keys); return p.length ? p : [null]; });
  if (!keys.length) return [v];
  if (v && typeof v === 'object') return keys[0] in v ? places(v[keys[0]], keys.slice(1)) : [];
  return [];
}

// A text cell that a spreadsheet would run as a formula gets a quote in front (OWASP).
const text = (s) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
const scalar = (v) => (v === null || v === undefined ? '' : typeof v === 'string' ? text(v) : String(v));

// The columns of members (every member when none), in their order.
const columnsOf = (res, members) => (members.length ? members.flatMap((m) => res.columns.filter((c) => c.member === m)) : res.columns);

// The header row of a CSV answer: the names of its columns.
export const csvHeader = (res, members) => columnsOf(res, members).map((c) => c.name);

// The cells of rec's row: a scalar as it is (null empty, numbers exact); an
// array's values joined with "; ", an element without one leaving its place
// empty, and the cell empty when none has one; text neutralized.
export function csvCells(res, rec, members) {
  return columnsOf(res, members).map((c) => {
    const p = places(rec, c.keys);
    if (!c.joined) return scalar(p[0]);
    if (p.every((x) => x === null || x === undefined)) return '';
    return text(p.map((x) => (x === null || x === undefined ? '' : String(x))).join('; '));
  });
}
// Parses decoded pairs like the server's list grammar (after parseOutput, and
// without limit=all); returns a refusal or the query.
export function parse(res, pairs) {
  const q = { filters: [], search: null, sort: [], limit: 50, offset: 0, members: [], facets: [] };
  const seen = new Set();
  for (const [key, value] of pairs) {
    if (key === '') return refuse('', true);
    if (RESERVED.includes(key)) {
      if (seen.has(key)) return refuse(key, false);
      seen.add(key);
      const r = reserved(res, q, key, value);
      if (r) return r;
      continue;
    }
    const [fname, ...rest] = key.split(':');
    const op = rest.length ? rest.join(':') : null;
    const f = res.fields[fname];
    if (!f) return refuse(key, true);
    if (op !== null && !f.ops.includes(op)) return refuse(key, true);
    if (q.filters.length === MAX.filters) return refuse(key, false);
    if (value === '' && op !== 'isnull') return refuse(key, false);
    const flt = { field: f, op: op || 'eq', values: [] };
    if (flt.op === 'isnull') {
      if (value !== 'true' && value !== 'false') return refuse(key, true);
      flt.isnull = value === 'true';
    } else {
      const parts = flt.op === 'eq' || flt.op === 'ne' ? value.split(',') : [value];
      if (parts.length > MAX.values) return refuse(key, false);
      for (const p of parts) {
        if (p === '') return refuse(key, false);
        if (f.type === 'boolean') {
          if (p !== 'true' && p !== 'false') return refuse(key, false);
          flt.values.push(p === 'true');
        } else if (f.type === 'integer') {
          const v = parseInteger(p);
          if (v === null || v > 9223372036854775807n || v < -9223372036854775808n) return refuse(key, false);
          flt.values.push(v);
        } else if (f.type === 'date' && flt.op !== 'startswith') {
          if (!validDate(p)) return refuse(key, false);
          flt.values.push(p);
        } else {
          flt.values.push(p);
        }
      }
    }
    q.filters.push(flt);
  }
  return { query: q };
}

function reserved(res, q, key, value) {
  if (key === 'format' || key === 'bom') return null;   // parseOutput's
  if (key === 'q') {
    const s = parseSearch(value);
    if (s && s.error) return refuse('q', false);
    q.search = s;
    return null;
  }
  if (key === 'limit' || key === 'offset') {
    const v = parseInteger(value);
    if (v === null || v < 0n || v > BigInt(MAX[key])) return refuse(key, false);
    q[key] = Number(v);
    return null;
  }
  if (value === '') return refuse(key, true);
  for (const item of value.split(',')) {
    if (item === '') return refuse(key, true);
    if (key === 'sort') {
      const desc = item[0] === '-';
      const name = desc || item[0] === '+' ? item.slice(1) : item;
      if (!res.sortable.includes(name)) return refuse(key, true);
      // Named twice: allowed lists the sortable fields not named yet, when there are any.
      if (q.sort.some((s) => s.field === name)) return refuse(key, res.sortable.length > q.sort.length);
      if (q.sort.length === MAX.sort) return refuse(key, false);
      q.sort.push({ field: name, desc });
    } else if (key === 'fields') {
      if (!res.members.includes(item)) return refuse(key, true);
      if (!q.members.includes(item)) q.members.push(item);
    } else {
      if (!res.facetable.includes(item)) return refuse(key, true);
      if (q.facets.includes(item)) continue;
      if (q.facets.length === MAX.facets) return refuse(key, false);
      q.facets.push(item);
    }
  }
  return null;
}

function equal(f, a, b) {
  if (f.type === 'integer') return BigInt(a) === b;
  if (f.type === 'boolean') return a === b;
  if (f.type === 'date') return a === b;
  return asciiLower(a) === asciiLower(b);
}

// Whether rec passes one filter.
export function matches(res, rec, flt) {
  const f = flt.field;
  const v = res.value(rec, f.name);
  const items = f.array ? v : v === null ? [] : [v];
  switch (flt.op) {
    case 'isnull': return (items.length === 0) === flt.isnull;
    case 'eq': return items.some((x) => flt.values.some((w) => (flt.exact ? x === w : equal(f, x, w))));
    case 'ne': return !items.some((x) => flt.values.some((w) => equal(f, x, w)));
    case 'contains': return items.some((x) => asciiLower(x).includes(asciiLower(flt.values[0])));
    case 'startswith': return items.some((x) => asciiLower(String(x)).startsWith(asciiLower(flt.values[0])));
    default: {
      const w = flt.values[0];
      return items.some((x) => {
        const c = f.type === 'integer' ? (BigInt(x) < w ? -1 : BigInt(x) > w ? 1 : 0) : compareValues('date', x, w);
        return { gt: c > 0, gte: c >= 0, lt: c < 0, lte: c <= 0 }[flt.op];
      });
    }
  }
}

// The order sort= follows on field f: a vocabulary's declared order when the
// dataset gives that vocabulary (values it lacks after, in their own order),
// else compareValues.
function sortCompare(res, f, x, y) {
  const entries = f.vocab && !f.array ? res.ctx?.vocabularies?.[f.vocab] : null;
  if (entries) {
    const rank = (v) => { const i = entries.findIndex((e) => e.id === v); return i < 0 ? Infinity : i; };
    const rx = rank(x), ry = rank(y);
    if (rx !== ry) return rx < ry ? -1 : 1;
    if (rx !== Infinity) return 0;
  }
  return compareValues(f.type, x, y);
}

// Runs q over all records (in the data's order): the matches, sorted (or best
// first when searched and not sorted), with facets.
export function run(res, records, q, extra = []) {
  const filters = [...q.filters, ...extra];
  const matched = records.map((rec, pos) => ({ rec, pos, score: 0 }))
    .filter(({ rec }) => filters.every((flt) => matches(res, rec, flt)));
  if (q.search) {
    for (const m of matched) m.score = searchScore(res, m.rec, q.search);
    for (let i = matched.length - 1; i >= 0; i--) if (!matched[i].score) matched.splice(i, 1);
  }
  if (q.sort.length) {
    matched.sort((a, b) => {
      for (const { field, desc } of q.sort) {
        const x = res.value(a.rec, field), y = res.value(b.rec, field);
        if (x === null && y === null) continue;
        if (x === null || y === null) return x === null ? 1 : -1;   // nulls last, either way
        const c = sortCompare(res, res.fields[field], x, y);
        if (c) return desc ? -c : c;
      }
      return a.pos - b.pos;
    });
  } else if (q.search) {
    matched.sort((a, b) => b.score - a.score || a.pos - b.pos);
  }
  const facets = {};
  for (const name of q.facets) {
    const f = res.fields[name];
    const counts = new Map();
    let nulls = 0;
    for (const { rec } of matched) {
      const v = res.value(rec, name);
      const items = f.array ? [...new Set(v)] : v === null ? [] : [v];   // a record counts a value once
      if (!items.length) nulls++;
      for (const x of items) counts.set(x, (counts.get(x) || 0) + 1);
    }
    facets[name] = [...counts].sort((a, b) => b[1] - a[1] || compareValues(f.type, a[0], b[0]))
      .map(([value, count]) => ({ value, count }));
    if (nulls) facets[name].push({ value: null, count: nulls });
  }
  return { matched: matched.map((m) => m.rec), facets };
}

// The answer the server must give to a list query that parses: body and paging headers.
export function expectedList(res, records, path, pairs, q, extra = []) {
  const { matched, facets } = run(res, records, q, extra);
  const total = matched.length, { limit, offset } = q;
  const page = matched.slice(offset, offset + limit)
    .map((rec) => (q.members.length ? Object.fromEntries(q.members.map((m) => [m, rec[m]])) : rec));
  const hasNext = limit > 0 && offset + limit < total, hasPrev = limit > 0 && offset > 0;
  const prev = offset > limit ? offset - limit : 0;
  const last = limit && total ? Math.floor((total - 1) / limit) * limit : 0;
  const meta = { total, limit, offset };
  if (q.facets.length) meta.facets = facets;
  if (q.search) meta.search = q.search.meta;
  const url = (o) => pageUrl(path, pairs, limit, o);
  const links = { self: url(offset), next: hasNext ? url(offset + limit) : null, prev: hasPrev ? url(prev) : null };
  const link = [`<${url(0)}>; rel="first"`];
  if (hasPrev) link.push(`<${url(prev)}>; rel="prev"`);
  if (hasNext) link.push(`<${url(offset + limit)}>; rel="next"`);
  link.push(`<${url(last)}>; rel="last"`);
  return { body: { data: page, meta, links }, total, link: link.join(', ') };
}

// ---- q=: the word search, as the README's "Search" section defines it ----

// Folding: full case folding with compatibility decomposition, non-spacing
// marks dropped, then recomposed. JS has no case folding; upper then lower
// case gives it for the scripts here (ß is ss, ς is σ), the Turkish dotless ı
// aside, which folding keeps.
export function fold(s) {
  const cased = [...s.normalize('NFKD')].map((c) => (c === 'ı' ? c : c.toUpperCase().toLowerCase())).join('');
  return cased.normalize('NFKD').replace(/\p{Mn}/gu, '').normalize('NFC');
}

// A word is a run of letters, marks and digits of folded text.
export const wordsOf = (folded) => folded.match(/[\p{L}\p{M}\p{N}]+/gu) || [];

const SPACE = /[ \t\n\r\f\v]/;
const utf8Length = (s) => Buffer.byteLength(s, 'utf8');
export const SEARCH_MAX = { words: 16, bytes: 256 };

// Parses q: null when blank (no search), { error } when refused, else the terms
// ({ words, prefix }) and what meta.search says of them.
export function parseSearch(q) {
  if (![...q].some((c) => !SPACE.test(c))) return null;
  if (utf8Length(q) > SEARCH_MAX.bytes) return { error: 'too long' };
  const terms = [];
  let count = 0;
  // Outside quotes: the folded text's chunks between spaces, each a word or a phrase of its words.
  const unquoted = (text) => {
    for (const chunk of fold(text).split(/[ \t\n\r\f\v]+/)) {
      const w = wordsOf(chunk);
      if (!w.length) continue;
      terms.push({ words: w, prefix: w.length === 1 });
      count += w.length;
    }
  };
  let rest = q;
  for (;;) {
    const open = rest.indexOf('"');
    unquoted(open < 0 ? rest : rest.slice(0, open));
    if (open < 0) break;
    const close = rest.indexOf('"', open + 1);
    if (close < 0) return { error: 'unterminated phrase' };
    const w = wordsOf(fold(rest.slice(open + 1, close)));
    if (!w.length) return { error: 'empty phrase' };
    terms.push({ words: w, prefix: false });
    count += w.length;
    rest = rest.slice(close + 1);
  }
  if (count > SEARCH_MAX.words) return { error: 'too many words' };
  if (!count) return { error: 'no word' };
  return {
    terms,
    meta: {
      q,
      words: terms.flatMap((t) => t.words),
      terms: terms.filter((t) => t.words.length === 1).map((t) => ({ word: t.words[0], prefix: t.prefix })),
      phrases: terms.filter((t) => t.words.length > 1).map((t) => t.words),
    },
  };
}

// A record's searched text: for each value of each searched field, its weight
// and its folded words. A vocabulary field's value is its label; a value that
// names a record is that record's name and each of its aliases.
const indexed = new WeakMap();
function searchedValues(res, rec) {
  if (indexed.has(rec)) return indexed.get(rec);
  const out = [];
  const add = (text, weight) => out.push({ weight, words: wordsOf(fold(String(text))) });
  for (const f of Object.values(res.fields)) {
    if (!f.weight || (f.type !== 'string')) continue;
    const v = res.value(rec, f.name);
    for (const x of f.array ? v : v === null ? [] : [v]) {
      if (x === null || x === undefined) continue;
      if (f.vocab) {
        const e = res.ctx?.vocabularies?.[f.vocab]?.find((entry) => entry.id === x);
        add(e ? e.label : x, f.weight);
      } else if (f.ref) {
        const target = res.ctx?.named?.(f.ref, x);
        if (!target) { add(x, f.weight); continue; }
        const name = target.name ?? target.title;
        if (name !== null && name !== undefined) add(name, f.weight);
        for (const alias of target.aliases ?? []) add(alias, f.weight);
      } else {
        add(x, f.weight);
      }
    }
  }
  indexed.set(rec, out);
  return out;
}

// A record's score: the sum over the terms of each one's best match (twice the
// weight of the value it is in, plus one for a whole word or a phrase), or 0
// when some term matches nothing.
export function searchScore(res, rec, search) {
  const values = searchedValues(res, rec);
  let total = 0;
  for (const t of search.terms) {
    let best = 0;
    for (const { weight, words } of values) {
      for (let i = 0; i < words.length; i++) {
        let score = 0;
        if (t.words.length === 1) {
          const w = t.words[0];
          if (words[i] === w) score = 2 * weight + 1;
          else if (t.prefix && words[i].startsWith(w)) score = 2 * weight;   // NFC both: a byte prefix
        } else if (t.words.every((w, k) => words[i + k] === w)) {
          score = 2 * weight + 1;
        }
        if (score > best) best = score;
      }
    }
    if (!best) return 0;
    total += best;
  }
  return total;
}
