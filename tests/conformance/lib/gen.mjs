// fast-check arbitraries for list queries, made from the document's own
// parameter definitions (which parameters a list takes, each operator's value
// schema, the names sort, facet and fields accept, limit's and offset's
// bounds, limit's "all", format's formats, bom) and from the data's values, so
// that filters also match something. Good and bad queries both: about one
// parameter in six is refused. Accept headers too, some that choose CSV or
// NDJSON, some that no format matches.
import fc from 'fast-check';
import { RESERVED } from './model.mjs';
const ALL_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'startswith', 'isnull'];

const pad = (n, w) => String(n).padStart(w, '0');
const dateArb = fc.record({ y: fc.integer({ min: 2022, max: 2024 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
  .map(({ y, m, d }) => `${y}-${pad(m, 2)}-${pad(d, 2)}`);

// The spellings of an integer the server reads: 5, 5.0, 5e0, +5, 0.5e1.
const spell = (n) => fc.constantFrom('plain', 'plain', 'plain', 'fraction', 'exp', 'plus', 'shifted').map((how) => {
  const s = String(n);
  switch (how) {
    case 'fraction': return `${s}.0`;
    case 'exp': return `${s}e0`;
    case 'plus': return n >= 0 ? `+${s}` : s;
    case 'shifted': return n === 0 ? '0e5' : `${s.replace(/^(-?)/, '$10.')}e${s.replace('-', '').length}`;
    default: return s;
  }
});

const flipCase = (s) => fc.constantFrom(s, s.toUpperCase(), s.toLowerCase());
const sliceOf = (s, prefix) => fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => {
  if (!s.length) return s;
  const i = prefix ? 0 : a % s.length;
  return s.slice(i, i + 1 + (b % Math.max(1, Math.min(8, s.length - i))));
});

export function queryArb(res, records) {
  const schemaOf = (name) => res.params[name]?.schema;
  const pool = {};
  for (const f of Object.values(res.fields)) {
    const vals = new Set();
    for (const r of records) {
      const v = res.value(r, f.name);
      for (const x of f.array ? v : v === null ? [] : [v]) vals.add(x);
    }
    pool[f.name] = [...vals];
  }
  const texts = res.searched.flatMap((n) => Object.values(records).flatMap((r) => {
    const v = res.value(r, n);
    return (Array.isArray(v) ? v : v === null ? [] : [v]).map(String);
  }));
  const words = [...new Set(texts.flatMap((t) => t.split(/\s+/)).filter((w) => w.length >= 3))];
  // Two words in a row of one value: a phrase that matches.
  const pairs = [...new Set(texts.flatMap((t) => t.split(/\s+/).slice(1).map((w, i, a) => `${t.split(/\s+/)[i]} ${w}`)))];
  const word = fc.constantFrom(...(words.length ? words : ['x'])).chain(flipCase);
  const bare = (w) => w.normalize('NFD').replace(/\p{Mn}/gu, '');   // "Cernavoda" for "Cernavodă"
  // q=: words, prefixes, quoted words and phrases, several terms, and what is refused.
  const qArb = fc.oneof(
    { weight: 4, arbitrary: word },
    { weight: 2, arbitrary: word.chain((w) => sliceOf(w, true)) },
    { weight: 1, arbitrary: word.map(bare) },
    { weight: 2, arbitrary: word.map((w) => `"${w}"`) },
    { weight: 2, arbitrary: fc.tuple(word, word).map(([a, b]) => `${a} ${b}`) },
    { weight: 2, arbitrary: fc.constantFrom(...(pairs.length ? pairs : ['x y'])).map((p) => `"${p}"`) },
    { weight: 2, arbitrary: fc.constantFrom('', '  ', 'zzzz', '"open', 'a ""', '!!! ...', '"  "', 'U.K.', 'korea-romania',
      'NUCLEAR power', 'a b c d e f g h i j k l m n o p q', 'x'.repeat(257), 'Straße') },
  );

  // One value good for field f (of the type the parameter's schema gives).
  const oneValue = (f) => {
    const known = pool[f.name].length ? [fc.constantFrom(...pool[f.name])] : [];
    if (f.type === 'integer') {
      const near = known.length ? [known[0].chain((v) => fc.integer({ min: -2, max: 2 }).map((d) => v + d))] : [];
      return fc.oneof(...known, ...near, fc.integer({ min: -5, max: 3000 })).chain(spell);
    }
    if (f.type === 'date') return fc.oneof(...known, dateArb);
    if (f.type === 'boolean') return fc.constantFrom('true', 'false');
    return fc.oneof(...known.map((k) => k.chain(flipCase)), fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !s.includes(',')));
  };
  const goodValue = (f, op) => {
    switch (op) {
      case 'eq': case 'ne': return fc.array(oneValue(f), { minLength: 1, maxLength: 3 }).map((v) => v.join(','));
      case 'isnull': return fc.constantFrom('true', 'false');
      case 'contains': case 'startswith':
        return pool[f.name].length
          ? fc.oneof(fc.constantFrom(...pool[f.name]).chain((s) => sliceOf(String(s), op === 'startswith')), fc.string({ minLength: 1, maxLength: 3 }))
          : fc.string({ minLength: 1, maxLength: 3 });
      default: return oneValue(f);
    }
  };
  const badValue = (f, op) => {
    if (op === 'isnull') return fc.constantFrom('yes', '1', 'TRUE', '');
    const wrong = f.type === 'integer' ? ['abc', '1.5', '0x10', ' 7', '1e400', '9223372036854775808']
      : f.type === 'date' ? ['2023-02-30', 'July', '2023-7-1', '20230711']
      : f.type === 'boolean' ? ['TRUE', 'yes', '1', 'true,maybe'] : [];
    return fc.constantFrom('', 'a,,b', ',', ...wrong);
  };

  const fields = Object.values(res.fields);
  // '' is the bare field=, which a field named as a reserved parameter (format) does not have.
  const forms = (f) => fc.constantFrom(...(f.bare ? [''] : []), ...f.ops);
  const filter = fc.constantFrom(...fields).chain((f) => forms(f).chain((op) =>
    goodValue(f, op || 'eq').map((v) => [op ? `${f.name}:${op}` : f.name, v])));
  const badFilter = fc.constantFrom(...fields).chain((f) => fc.oneof(
    forms(f).chain((op) => badValue(f, op || 'eq').map((v) => [op ? `${f.name}:${op}` : f.name, v])),
    fc.constantFrom('like', '', ...ALL_OPS.filter((o) => !f.ops.includes(o))).map((op) => [`${f.name}:${op}`, '1']),
  ));
  const names = (list, max) => fc.array(fc.constantFrom(...list), { minLength: 1, maxLength: max });
  const sortItems = schemaOf('sort').items.enum;
  const limitCount = schemaOf('limit').oneOf.find((x) => x.type === 'integer');
  const limitWord = schemaOf('limit').oneOf.find((x) => x.const !== undefined).const;
  const small = (max) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 1, 2, 3, 5, 10) }, { weight: 1, arbitrary: fc.integer({ min: 0, max }) });
  const param = fc.oneof(
    { weight: 16, arbitrary: filter },
    { weight: 1, arbitrary: badFilter },
    { weight: 4, arbitrary: qArb.map((v) => ['q', v]) },
    { weight: 6, arbitrary: names(sortItems, 3).map((v) => ['sort', v.join(',')]) },
    { weight: 6, arbitrary: small(limitCount.maximum).chain(spell).map((v) => ['limit', v]) },
    { weight: 4, arbitrary: fc.oneof(small(30), fc.constant(schemaOf('offset').maximum)).chain(spell).map((v) => ['offset', v]) },
    { weight: 1, arbitrary: fc.constantFrom(['limit', '-1'], ['limit', String(limitCount.maximum + 1)], ['limit', '1.5'], ['limit', 'ten'], ['limit', ''],
      ['offset', String(schemaOf('offset').maximum + 1)], ['offset', '-1e0'], ['offset', 'x']) },
    { weight: 4, arbitrary: names(schemaOf('fields').items.enum, 4).map((v) => ['fields', v.join(',')]) },
    { weight: 3, arbitrary: names(schemaOf('facet').items.enum, 3).map((v) => ['facet', v.join(',')]) },
    { weight: 1, arbitrary: fc.constantFrom(['sort', ''], ['sort', 'nope'], ['sort', ','], ['fields', 'nope'], ['fields', ''], ['facet', 'nope'], ['facet', 'a,'],
      ['stauts', 'x'], ['', 'x'], ['nope:eq', 'x'], ['format', 'csv'], ['bom', 'false']) },
  );
  // format= in about half the queries; limit=all and bom= mostly where they
  // belong (CSV and NDJSON; CSV), sometimes where they are refused; each at
  // any place among the other parameters.
  const maybe = (none, arb) => fc.oneof({ weight: none, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
  const formats = schemaOf('format').enum;
  const output = fc.oneof(
    { weight: 9, arbitrary: fc.constant(null) },
    { weight: 8, arbitrary: fc.constantFrom(...formats) },
    { weight: 1, arbitrary: fc.constantFrom('xml', 'CSV', '', 'csv,ndjson', 'text/csv') },
  ).chain((format) => {
    const streams = format === 'csv' || format === 'ndjson';
    return fc.tuple(
      fc.constant(format === null ? null : ['format', format]),
      maybe(format === 'csv' ? 2 : 12, fc.oneof({ weight: 4, arbitrary: fc.constantFrom('true', 'false') },
        { weight: 1, arbitrary: fc.constantFrom('yes', '1', 'TRUE', '') }).map((v) => ['bom', v])),
      maybe(streams ? 2 : 12, fc.constantFrom(limitWord, limitWord, limitWord.toUpperCase()).map((v) => ['limit', v])),
    );
  }).chain((extra) => fc.array(fc.nat(5), { minLength: 3, maxLength: 3 }).map((at) => ({ extra, at })));
  const insert = (pairs, { extra, at }) => {
    const out = [...pairs];
    extra.forEach((p, i) => { if (p) out.splice(Math.min(at[i], out.length), 0, p); });
    return out;
  };
  // A reserved parameter given twice is refused: keep that to about one query in seven.
  const once = (pairs) => pairs.filter(([k], i) => !RESERVED.includes(k) || pairs.findIndex(([x]) => x === k) === i);
  return fc.tuple(fc.array(param, { maxLength: 5 }), output, fc.nat(6))
    .map(([pairs, out, keep]) => insert(keep ? once(pairs) : pairs, out));
}

// Accept headers for a list or a record: none at all most often; types that
// choose each format, by q and by specificity; and types none of them matches.
export const ACCEPTS = ['text/csv', 'application/x-ndjson', 'application/json', '*/*', 'text/*', 'application/*',
  'application/json;q=0.5, text/*', 'text/csv;q=0.2, application/x-ndjson;q=0.9', '*/*;q=0.1, application/x-ndjson',
  'application/json;q=0, */*;q=0.5', 'text/csv;q=0, */*', 'text/csv;q=0', 'image/png', 'text/html, application/xml;q=0.9'];
export const acceptArb = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...ACCEPTS) });

// The request target of a query: every key and value percent-encoded.
export const target = (path, pairs) =>
  pairs.length ? `${path}?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : path;
