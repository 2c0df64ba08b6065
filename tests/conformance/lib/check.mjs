// The conformance check proper: every answer a live server gives, held to the
// OpenAPI document (status, headers, media type, body) and, for lists, to the
// model's independent computation (lib/model.mjs). checkServer() returns the
// mismatches it found; the caller decides whether there may be any.
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { rawRequest, request } from './http.mjs';
import { MAX, Resource, expectedList, parse } from './model.mjs';
import { resolve } from './spec.mjs';
import { ROOT } from './server.mjs';
import { queryArb, target } from './gen.mjs';

const REFUSED = ['PUT', 'POST', 'DELETE', 'PATCH', 'TRACE'];
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const short = (s) => (s.length > 160 ? `${s.slice(0, 160)}...` : s);

// A member absent from the data file is null in the API, or [] for an array.
function stripNulls(v) {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, stripNulls(x)]));
  return v;
}

export class Checker {
  // origin: sent with every request, whose answer must then carry the CORS headers (cors: what Allow-Origin says).
  constructor({ port, spec, seed = 20230711, runs = 500, stopEarly = false, origin = null, cors = null }) {
    Object.assign(this, { port, spec, doc: spec.doc, seed, runs, stopEarly, origin, cors });
    this.mismatches = [];
    this.exchanges = 0;
    this.listQueries = 0;
    this.stats = {};   // what the list queries exercised, for the report
  }

  count(what) {
    this.stats[what] = (this.stats[what] || 0) + 1;
  }

  fail(list) {
    this.mismatches.push(...list);
    if (list.length && this.stopEarly) throw new Error(list[0]);
  }

  // One request, checked against the document; HEAD also against its GET.
  async exchange(method, tgt, headers = {}) {
    if (this.origin) headers = { origin: this.origin, ...headers };
    const ans = await request(this.port, { method, path: tgt, headers });
    this.exchanges++;
    const getOperation = method === 'HEAD' ? this.spec.operation('GET', tgt) : undefined;
    const out = this.spec.checkAnswer(method, tgt, ans, { getOperation });
    if (this.origin && ans.get('access-control-allow-origin') !== (this.cors ?? undefined))
      out.push(`${method} ${short(tgt)} from ${this.origin}: Access-Control-Allow-Origin ${ans.get('access-control-allow-origin')}, expected ${this.cors}`);
    const id = ans.get('x-request-id');
    if (headers['x-request-id'] && id !== headers['x-request-id']) out.push(`${method} ${short(tgt)}: X-Request-Id ${id}, sent ${headers['x-request-id']}`);
    if (ans.status >= 400 && method !== 'HEAD' && /problem/.test(ans.get('content-type') || '')) {
      const p = JSON.parse(ans.text());
      if (p.request_id !== id) out.push(`${method} ${short(tgt)}: problem request_id ${p.request_id}, header ${id}`);
      if (p.status !== ans.status) out.push(`${method} ${short(tgt)}: problem status ${p.status}, answer ${ans.status}`);
    }
    this.fail(out);
    return ans;
  }

  // GET, then HEAD (the same status and headers, no body) and If-None-Match (a 304 with the same ETag).
  async getWithHeadAndRevalidation(tgt, headers = {}) {
    const ans = await this.exchange('GET', tgt, headers);
    const head = await this.exchange('HEAD', tgt, headers);
    // What is never stored may change from one request to the next (/metrics counts them).
    const changes = ans.get('cache-control') === 'no-store' && ans.status === 200;
    const varying = new Set(['date', 'x-request-id', ...(changes ? ['etag', 'content-length'] : [])]);
    const strip = (a) => a.headers.filter(([k]) => !varying.has(k));
    if (head.status !== ans.status || !same(strip(head), strip(ans)))
      this.fail([`HEAD ${short(tgt)}: ${head.status} ${JSON.stringify(strip(head))} differs from GET's ${ans.status} ${JSON.stringify(strip(ans))}`]);
    const etag = ans.get('etag');
    if (ans.status === 200) {
      if (!etag) this.fail([`GET ${short(tgt)}: a 200 without ETag`]);
      else {
        const nm = await this.exchange('GET', tgt, { ...headers, 'if-none-match': etag });
        if (changes && nm.status === 200 && nm.get('etag') !== etag) return ans;
        if (nm.status !== 304 || nm.get('etag') !== etag) this.fail([`GET ${short(tgt)} If-None-Match ${etag}: ${nm.status} ${nm.get('etag')}`]);
        if (nm.get('cache-control') !== ans.get('cache-control')) this.fail([`GET ${short(tgt)}: 304's Cache-Control ${nm.get('cache-control')}, 200's ${ans.get('cache-control')}`]);
      }
    }
    return ans;
  }

  // The whole unpaged collection of each list route's resource, checked against the data file.
  async loadData() {
    const data = JSON.parse(readFileSync(path.join(ROOT, 'data/vilnius-2023.json'), 'utf8'));
    this.resources = {};
    this.records = {};
    for (const [p, item] of Object.entries(this.doc.paths)) {
      if (!item.get?.parameters?.some((x) => x.$ref?.endsWith('.sort')) || p.includes('{')) continue;
      const res = new Resource(this.doc, item.get);
      res.path = p;
      this.resources[res.name] = res;
      const ans = await this.exchange('GET', `${p}?limit=${MAX.limit}`);
      const body = JSON.parse(ans.text());
      this.records[res.name] = body.data;
      const file = data[res.name];
      if (body.meta.total !== file.length || body.data.length !== file.length) this.fail([`${p}: ${body.meta.total} records, the data file has ${file.length}`]);
      file.forEach((raw, i) => {
        const rec = body.data[i] || {};
        for (const m of res.members) {
          const want = raw[m] === undefined ? (Array.isArray(rec[m]) ? [] : null) : stripNulls(raw[m]);
          if (!same(stripNulls(rec[m]) ?? null, want ?? null) && !(raw[m] === undefined && rec[m] === null))
            this.fail([`${p}[${i}].${m}: ${JSON.stringify(rec[m])}, the data file has ${JSON.stringify(raw[m])}`]);
        }
      });
    }
  }

  // Concrete values for a path's template: keys that exist (in other cases too), and one that does not.
  samples(p) {
    const segs = p.split('/');
    const i = segs.findIndex((s) => s.startsWith('{'));
    if (i < 0) return [p];
    const name = segs[i].slice(1, -1);
    const res = this.resources[segs[i - 1]];
    let values;
    if (res) {
      const keys = this.records[res.name].map((r) => r[name]);
      values = [keys[0], keys[keys.length - 1], keys[1].toLowerCase(), 'no-such-key'];
    } else {
      values = [...readdirSync(path.join(ROOT, 'web')).filter((f) => /\.(html|css|js|svg|ico)$/.test(f)), 'missing.js', '.hidden'];
    }
    return values.map((v) => segs.map((s, k) => (k === i ? encodeURIComponent(v) : s)).join('/'));
  }

  // Every path with every method, conditional and negotiated requests, and bad paths and queries.
  async sweepRoutes() {
    for (const [p, item] of Object.entries(this.doc.paths)) {
      for (const url of this.samples(p)) {
        const tgts = [url, `${url}?%zz`];
        if (item.get.parameters?.some((x) => x.$ref?.endsWith('.fields')) && !item.get.parameters.some((x) => x.$ref?.endsWith('.sort'))) {
          const res = this.resources[p.split('/')[3]];
          tgts.push(`${url}?fields=${res.members.slice(0, 2).join(',')}`, `${url}?fields=nope`, `${url}?limit=1`);
        }
        for (const tgt of tgts) {
          await this.getWithHeadAndRevalidation(tgt);
          await this.getWithHeadAndRevalidation(tgt, { 'accept-encoding': 'gzip', 'x-request-id': 'conformance-1' });
          await this.exchange('GET', tgt, { accept: 'image/x-none' });
          await this.exchange('HEAD', tgt, { accept: 'image/x-none' });
          await this.exchange('GET', tgt, { accept: 'application/json;q=0.5, text/*' });
          await this.exchange('OPTIONS', tgt);
          for (const m of [...REFUSED, 'PROPFIND']) await this.exchange(m, tgt);
        }
      }
      if (p.includes('{')) {
        for (const bad of ['%zz', '%2F', '%00'])
          await this.exchange('GET', p.replace(/\{[^}]+\}/, bad));
      }
    }
    for (const tgt of ['/api/v1/nothing', '/a/b/c', '/api/v1/deals/x/y'])
      await this.exchange('GET', tgt);
  }

  // The list queries: fast-check makes them from the document, the model says what each must answer.
  async lists() {
    for (const [p, item] of Object.entries(this.doc.paths)) {
      if (!item.get?.parameters?.some((x) => x.$ref?.endsWith('.sort'))) continue;
      const res = this.resources[item.get.parameters[0].$ref.split('/').pop().split('.')[0]];
      const records = this.records[res.name];
      const segs = p.split('/');
      const at = segs.findIndex((s) => s.startsWith('{'));
      let pathArb = fc.constant({ path: p });
      if (at >= 0) {
        // /countries/{code}/deals: the deals whose "countries" holds the country's code.
        const parent = this.resources[segs[at - 1]];
        const key = segs[at].slice(1, -1);
        const anyCase = /in any case/.test(resolve(this.doc, item.parameters.find((x) => x.name === key)).description);
        const keys = this.records[parent.name].map((r) => r[key]);
        pathArb = fc.oneof(
          { weight: 9, arbitrary: fc.constantFrom(...keys).chain((k) => fc.constantFrom(k, anyCase ? k.toLowerCase() : k)).map((k) => ({ k })) },
          { weight: 1, arbitrary: fc.constant({ k: 'no-such-key' }) },
        ).map(({ k }) => {
          const parentRec = this.records[parent.name].find((r) => (anyCase ? r[key].toLowerCase() === k.toLowerCase() : r[key] === k));
          return { path: segs.map((s, i) => (i === at ? k : s)).join('/'), parentRec, related: { field: res.fields[parent.name], key: parentRec?.[key] } };
        });
      }
      const prop = fc.asyncProperty(pathArb, queryArb(res, records), fc.boolean(), fc.nat(9), async (where, pairs, gzip, extra) => {
        const tgt = target(where.path, pairs);
        const headers = gzip ? { 'accept-encoding': 'gzip' } : {};
        const before = this.mismatches.length;
        const ans = extra < 2 ? await this.getWithHeadAndRevalidation(tgt, headers) : await this.exchange('GET', tgt, headers);
        this.listQueries++;
        const out = this.compareList(res, records, where, pairs, tgt, ans);
        this.fail(out);
        if (this.mismatches.length > before) throw new Error(this.mismatches.slice(before).join('\n'));
      });
      const result = await fc.check(prop, { seed: this.seed, numRuns: this.runs, endOnFailure: this.stopEarly });
      if (result.failed && !this.stopEarly)
        this.mismatches.push(`${p}: counterexample ${JSON.stringify(result.counterexample?.slice(0, 2))} (seed ${this.seed}, path ${result.counterexamplePath})`);
    }
  }

  // What the model says a list answer must be, against what came.
  compareList(res, records, where, pairs, tgt, ans) {
    const out = [];
    const say = (s) => out.push(`GET ${short(tgt)}: ${s}`);
    if (where.related && !where.parentRec) {
      if (ans.status !== 404) say(`${ans.status}, expected 404 (no such parent)`);
      return out;
    }
    const parsed = parse(res, pairs);
    this.count(parsed.error ? `400 ${parsed.error.listed ? 'with' : 'without'} allowed` : '200');
    if (parsed.error) {
      if (ans.status !== 400) { say(`${ans.status}, expected a 400 for ${JSON.stringify(parsed.error.param)}`); return out; }
      const p = JSON.parse(ans.text());
      if (p.parameter !== parsed.error.param) say(`the problem names ${JSON.stringify(p.parameter)}, expected ${JSON.stringify(parsed.error.param)}`);
      if (!!p.allowed !== parsed.error.listed) say(`allowed is ${p.allowed ? '' : 'not '}there (${JSON.stringify(p.allowed)}): ${p.detail}`);
      return out;
    }
    if (ans.status !== 200) { say(`${ans.status}, expected 200: ${ans.text().slice(0, 200)}`); return out; }
    const extra = where.related ? [{ field: where.related.field, op: 'eq', values: [where.related.key], exact: true }] : [];
    const decodedPath = decodeURIComponent(where.path);
    const want = expectedList(res, records, decodedPath, pairs, parsed.query, extra);
    const got = JSON.parse(ans.text());
    const q = parsed.query;
    if (got.data.length) this.count('non-empty page');
    if (q.filters.length && got.meta.total && got.meta.total < records.length) this.count('filter narrowing');
    if (q.sort.length) this.count('sorted');
    if (q.sort.length && got.data.some((r) => r[q.sort[0].field.split('.')[0]] === null)) this.count('sorted, nulls on the page');
    if (q.facets.length) this.count('faceted');
    if (q.members.length) this.count('projected');
    if (got.links.next) this.count('has next');
    if (q.needle) this.count('searched');
    const ids = (list) => list.map((r) => JSON.stringify(r).slice(0, 60));
    if (!same(got.meta, want.body.meta)) say(`meta ${JSON.stringify(got.meta)}, expected ${JSON.stringify(want.body.meta)}`);
    if (!same(got.data, want.body.data)) say(`data [${ids(got.data)}], expected [${ids(want.body.data)}]`);
    if (!same(got.links, want.body.links)) say(`links ${JSON.stringify(got.links)}, expected ${JSON.stringify(want.body.links)}`);
    if (ans.get('x-total-count') !== String(got.meta.total)) say(`X-Total-Count ${ans.get('x-total-count')}, meta.total ${got.meta.total}`);
    if (ans.get('link') !== want.link) say(`Link ${ans.get('link')}, expected ${want.link}`);
    if (parsed.query.members.length && got.data.some((r) => !same(Object.keys(r), parsed.query.members)))
      say(`a projected record holds other members than ${parsed.query.members}`);
    return out;
  }

  // What only a raw socket can send: bad framing and oversized requests, refused on every path.
  async framing() {
    const cases = [
      ['GET', '/api/v1/deals', 'Content-Length: 0\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n', 400],
      ['GET', '/api/v1', 'Transfer-Encoding: gzip\r\n', '', 501],
      ['GET', '/healthz', 'Content-Length: 99999999\r\n', '', 413],
      ['POST', '/api/v1/deals', `Transfer-Encoding: chunked\r\n`, `11170\r\n${'a'.repeat(0x11170)}\r\n0\r\n\r\n`, 413],
      ['GET', `/api/v1/deals?q=${'x'.repeat(9000)}`, '', '', 414],
      ['GET', '/api/v1/countries', `X-Big: ${'y'.repeat(17000)}\r\n`, '', 431],
      ['HEAD', '/api/v1/stats', `X-Big: ${'y'.repeat(17000)}\r\n`, '', 431],
      ['OPTIONS', '/style.css', 'Content-Length: 1\r\nContent-Length: 1\r\n', 'x', 400],
    ];
    for (const [method, tgt, head, body, want] of cases) {
      const ans = await rawRequest(this.port, `${method} ${tgt} HTTP/1.1\r\nHost: localhost\r\n${head}\r\n${body}`, { head: method === 'HEAD' });
      this.exchanges++;
      if (ans.status !== want) this.fail([`${method} ${short(tgt)} with ${JSON.stringify(head.slice(0, 40))}: ${ans.status}, expected ${want}`]);
      this.fail(this.spec.checkAnswer(method, tgt, ans, { getOperation: method === 'HEAD' ? this.spec.operation('GET', tgt) : undefined }));
    }
    const noHost = await rawRequest(this.port, 'GET /api/v1 HTTP/1.1\r\n\r\n');
    this.exchanges++;
    if (noHost.status !== 400) this.fail([`GET /api/v1 without Host: ${noHost.status}, expected 400`]);
    this.fail(this.spec.checkAnswer('GET', '/api/v1', noHost));
  }
}

// A connection kept open, for answers that depend on what happens between two requests.
export function connection(port) {
  const sock = net.connect(port, '127.0.0.1');
  let buf = Buffer.alloc(0), waiter = null;
  sock.on('data', (c) => { buf = Buffer.concat([buf, c]); waiter?.(); });
  return {
    sock,
    write: (t) => sock.write(t),
    // The next answer whose head and Content-Length body have arrived.
    next: () => new Promise((resolveAnswer, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer')), 5000);
      waiter = () => {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
        const headers = lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]);
        const len = Number(headers.find(([k]) => k === 'content-length')?.[1] || 0);
        if (buf.length < end + 4 + len) return;
        const raw = buf.subarray(end + 4, end + 4 + len);
        buf = buf.subarray(end + 4 + len);
        clearTimeout(timer);
        waiter = null;
        resolveAnswer({ status: Number(lines[0].split(' ')[1]), headers, raw, body: raw, get: (n) => headers.find(([k]) => k === n)?.[1], text: () => raw.toString() });
      };
      waiter();
    }),
    close: () => sock.destroy(),
  };
}
