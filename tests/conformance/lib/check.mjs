// The conformance check proper: every answer a live server gives, held to the
// OpenAPI document (status, headers, media type, body) and, for lists and
// records in each format (JSON, CSV, NDJSON), to the model's independent
// computation (lib/model.mjs). A Checker collects the mismatches it finds; the
// caller decides whether there may be any.
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { mustQuote, parseCsv } from './csv.mjs';
import { rawRequest, request } from './http.mjs';
import { MAX, Resource, csvCells, csvHeader, downloadName, expectedList, formatOf, parse, parseOutput } from './model.mjs';
import { parseMedia, resolve } from './spec.mjs';
import { ROOT } from './server.mjs';
import { acceptArb, queryArb, target } from './gen.mjs';

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
  // writable: the server takes writes (--data and --tokens).
  constructor({ port, spec, seed = 20230711, runs = 500, stopEarly = false, origin = null, cors = null, writable = false }) {
    Object.assign(this, { port, spec, doc: spec.doc, seed, runs, stopEarly, origin, cors, writable });
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
  // body: what a write sends (a string or bytes).
  async exchange(method, tgt, headers = {}, body = undefined) {
    if (this.origin) headers = { origin: this.origin, ...headers };
    const ans = await request(this.port, { method, path: tgt, headers, body });
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
    // Framing is not the answer's: a HEAD of a streamed export is not chunked and closes (RFC 9112, 6.1).
    // A problem carries its request's id: gzipped, its length varies with the id's bytes.
    const problemGz = ans.status >= 400 && ans.get('content-encoding') === 'gzip';
    const varying = new Set(['date', 'x-request-id', 'transfer-encoding', 'connection', ...(changes ? ['etag', 'content-length'] : []),
      ...(problemGz ? ['content-length'] : [])]);
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

  // The whole unpaged collection of each list route's resource, checked against the data file,
  // or against expected (by collection: what the model says writes left).
  async loadData(expected = null) {
    const data = JSON.parse(readFileSync(path.join(ROOT, 'data/vilnius-2023.json'), 'utf8'));
    this.dataset = data.dataset;
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
      // The changes feed is no collection of the data file: a server without writes lists none.
      const file = expected?.[res.name] ?? data[res.name] ?? [];
      if (body.meta.total !== file.length || body.data.length !== file.length) this.fail([`${p}: ${body.meta.total} records, ${expected ? 'the model' : 'the data file'} has ${file.length}`]);
      file.forEach((raw, i) => {
        const rec = body.data[i] || {};
        for (const m of res.members) {
          const want = raw[m] === undefined ? (Array.isArray(rec[m]) ? [] : null) : stripNulls(raw[m]);
          if (!same(stripNulls(rec[m]) ?? null, want ?? null) && !(raw[m] === undefined && rec[m] === null))
            this.fail([`${p}[${i}].${m}: ${JSON.stringify(rec[m])}, ${expected ? 'the model' : 'the data file'} has ${JSON.stringify(raw[m])}`]);
        }
      });
    }
    // What search and sort need of the data: the vocabularies, and the records a field names.
    const vocabularies = this.dataset.vocabularies ?? {};
    const named = (ref, key) => {
      const p = Object.keys(this.doc.paths).find((x) => new RegExp(`^/api/v1/${ref}/\\{[^}]+\\}$`).test(x));
      const name = p.slice(p.lastIndexOf('{') + 1, -1);
      const anyCase = /in any case/.test(resolve(this.doc, this.doc.paths[p].parameters.find((x) => x.name === name)).description);
      return this.records[ref]?.find((r) => (anyCase ? String(r[name]).toLowerCase() === key.toLowerCase() : r[name] === key));
    };
    for (const res of Object.values(this.resources)) res.ctx = { vocabularies, named };
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
      values = [keys[0], keys[keys.length - 1], keys[1 % keys.length].toUpperCase(), 'no-such-key'];
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
          const plain = await this.getWithHeadAndRevalidation(tgt);
          await this.getWithHeadAndRevalidation(tgt, { 'accept-encoding': 'gzip', 'x-request-id': 'conformance-1' });
          // A type that none of the route's formats (nor any file's) matches: what was a 200 is a 406.
          for (const method of ['GET', 'HEAD']) {
            const refused = await this.exchange(method, tgt, { accept: 'image/x-none' });
            if (plain.status === 200 && refused.status !== 406) this.fail([`${method} ${short(tgt)} Accept: image/x-none: ${refused.status}, expected 406`]);
          }
          await this.exchange('GET', tgt, { accept: 'application/json;q=0.5, text/*' });
          await this.exchange('OPTIONS', tgt);
          for (const m of [...REFUSED, 'PROPFIND']) {
            const ans = await this.exchange(m, tgt);
            // A write operation (it asks for a token): refused as any other method without writes, a 401 without a token with them.
            const want = this.writable ? 401 : 405;
            if (this.spec.operation(m, tgt)?.security?.length && ans.status !== want && !(ans.status === 404 && plain.status === 404))
              this.fail([`${m} ${short(tgt)}${this.writable ? ' without a token' : ' without writes'}: ${ans.status}, expected ${want}`]);
            const allow = ans.get('allow');
            if (ans.status === 405 && this.writable !== /POST|PUT/.test(allow ?? '') && this.spec.operation(m === 'TRACE' ? 'POST' : m, tgt) && writesOn(this.doc, tgt))
              this.fail([`${m} ${short(tgt)}: Allow ${allow}${this.writable ? ' names no write method, with writes on' : ' names a write method, without writes'}`]);
          }
        }
        if (item.get.parameters?.some((x) => x.$ref?.endsWith('/format'))) await this.formatsOf(p, url);
      }
      if (p.includes('{')) {
        for (const bad of ['%zz', '%2F', '%00'])
          await this.exchange('GET', p.replace(/\{[^}]+\}/, bad));
      }
    }
    for (const tgt of ['/api/v1/nothing', '/a/b/c', '/api/v1/deals/x/y'])
      await this.exchange('GET', tgt);
  }

  // A list or a record in each format, by format= and by Accept, against the model.
  async formatsOf(p, url) {
    const segs = p.split('/');
    const list = this.doc.paths[p].get.parameters.some((x) => x.$ref?.endsWith('.sort'));
    if (list) {
      // Each format has its own ETag: one format's does not revalidate another's.
      const json = await this.exchange('GET', url);
      if (json.status !== 200) return;   // no such parent
      const csv = await this.exchange('GET', url, { accept: 'text/csv' });
      const again = await this.exchange('GET', url, { accept: 'text/csv', 'if-none-match': json.get('etag') });
      if (json.get('etag') === csv.get('etag') || again.status !== 200)
        this.fail([`GET ${url}: JSON's ETag ${json.get('etag')}, CSV's ${csv.get('etag')}; CSV If-None-Match JSON's: ${again.status}`]);
      return;
    }
    const res = this.resources[segs[3]];
    const keyName = segs[4].slice(1, -1);
    const anyCase = /in any case/.test(resolve(this.doc, this.doc.paths[p].parameters.find((x) => x.name === keyName)).description);
    const two = res.members.slice(0, 3).reverse().slice(0, 2).join(',');
    const queries = [[['format', 'csv']], [['format', 'ndjson']], [['format', 'json']], [['format', 'csv'], ['bom', 'true']],
      [['bom', 'false']], [['format', 'csv'], ['fields', two]], [['fields', two], ['format', 'ndjson']], [['bom', 'true']],
      [['format', 'xml']], [['format', 'csv'], ['format', 'csv']], [['limit', 'all']], [['format', 'csv'], ['fields', 'nope']]];
    for (const pairs of queries) {
      for (const accept of [undefined, 'text/csv', 'application/x-ndjson', 'image/png']) {
        const tgt = target(url, pairs);
        const headers = accept ? { accept } : {};
        const ans = accept ? await this.exchange('GET', tgt, headers) : await this.getWithHeadAndRevalidation(tgt, headers);
        this.fail(this.compareRecord(res, keyName, anyCase, url, pairs, accept, tgt, ans));
      }
    }
  }

  // What the model says one record's answer must be, against what came.
  compareRecord(res, keyName, anyCase, url, pairs, accept, tgt, ans) {
    const out = [];
    const label = `GET ${short(tgt)}${accept === undefined ? '' : ` Accept: ${accept}`}`;
    const say = (s) => out.push(`${label}: ${s}`);
    const key = decodeURIComponent(url.split('/').pop());
    const rec = this.records[res.name].find((r) => (anyCase ? r[keyName].toLowerCase() === key.toLowerCase() : r[keyName] === key));
    const want = (status, why) => { if (ans.status !== status) say(`${ans.status}, expected ${status} (${why})`); return ans.status === status; };
    // A 400 names the parameter at fault.
    const refused = (param) => {
      if (want(400, `parameter ${param}`) && JSON.parse(ans.text()).parameter !== param)
        say(`the problem names ${JSON.parse(ans.text()).parameter}, expected ${param}`);
      return out;
    };
    if (!rec) { want(404, 'no such record'); return out; }
    const o = parseOutput(pairs, accept, false);
    if (o.notAcceptable) { want(406, 'Accept excludes every format'); return out; }
    if (o.error) return refused(o.error.param);
    const stray = pairs.find(([k]) => !['fields', 'format', 'bom'].includes(k));
    if (stray) return refused(stray[0]);
    const parsed = parse(res, pairs.filter(([k]) => k === 'fields'));
    if (parsed.error) return refused(parsed.error.param);
    if (!want(200, 'a record')) return out;
    this.count(`record ${o.output.format} 200`);
    const members = parsed.query.members;
    const page = [members.length ? Object.fromEntries(members.map((m) => [m, rec[m]])) : rec];
    if (!this.formatHeaders(ans, o.output, label, decodeURIComponent(url), out)) return out;
    if (o.output.format === 'json' && !same(JSON.parse(ans.text()), page[0])) say(`data ${ans.text().slice(0, 80)}, expected ${JSON.stringify(page[0]).slice(0, 80)}`);
    if (o.output.format !== 'json') out.push(...this.compareRows(res, page, members, ans, o.output, label));
    for (const h of ['x-total-count', 'link']) if (ans.get(h) !== undefined) say(`${h} on a record`);
    return out;
  }

  // Whether ans is in the format output names (Content-Type), adding to out what is wrong
  // with it or with its download's name (Content-Disposition, when format= asked for a file).
  formatHeaders(ans, output, label, path, out) {
    const type = parseMedia(ans.get('content-type') || '').essence, want = formatOf(output.format).media;
    if (type !== want) { out.push(`${label}: Content-Type ${ans.get('content-type')}, expected ${want}`); return false; }
    const disposition = output.download ? `attachment; filename="${downloadName(path, this.dataset, output.format)}"` : undefined;
    if (ans.get('content-disposition') !== disposition) out.push(`${label}: Content-Disposition ${ans.get('content-disposition')}, expected ${disposition}`);
    return true;
  }

  // A CSV or NDJSON body against the records the model gives, projected on members (none: all).
  compareRows(res, page, members, ans, output, label) {
    const out = [];
    const say = (s) => out.push(`${label}: ${s}`);
    if (output.format === 'csv') {
      const csv = parseCsv(ans.text());
      if (csv.error) { say(`data (csv) is not RFC 4180: ${csv.error}`); return out; }
      const header = csvHeader(res, members), rows = page.map((rec) => csvCells(res, rec, members));
      if (csv.bom !== output.bom) say(`data (csv) ${csv.bom ? 'starts' : 'does not start'} with a byte order mark, bom=${output.bom}`);
      if (!same(csv.rows[0], header)) say(`data (csv) header ${JSON.stringify(csv.rows[0])}, expected ${JSON.stringify(header)}`);
      const got = csv.rows.slice(1);
      const at = got.length !== rows.length ? -2 : got.findIndex((r, i) => !same(r, rows[i]));
      if (at === -2) say(`data (csv) has ${got.length} rows, expected ${rows.length}`);
      else if (at >= 0) {
        const c = got[at].findIndex((x, i) => x !== rows[at][i]);
        say(`data (csv) row ${at + 1}, column ${header[c]}: ${JSON.stringify(got[at][c])}, expected ${JSON.stringify(rows[at][c])}`);
      }
      const badQuote = csv.rows.flatMap((r, i) => r.map((cell, j) => [i, j, cell])).find(([i, j, cell]) => csv.quoted[i][j] !== mustQuote(cell, csv.rows[i].length));
      if (badQuote) say(`data (csv) row ${badQuote[0]}, cell ${JSON.stringify(badQuote[2])}: ${csv.quoted[badQuote[0]][badQuote[1]] ? 'quoted though it need not be' : 'not quoted though it must be'}`);
    } else if (output.format === 'ndjson') {
      const lines = ans.text().split('\n').slice(0, -1);
      let got;
      try { got = lines.map((l) => JSON.parse(l)); } catch { return out; }   // the document's check says so
      if (!same(got, page)) say(`data (ndjson) [${got.map((r) => JSON.stringify(r).slice(0, 60))}], expected [${page.map((r) => JSON.stringify(r).slice(0, 60))}]`);
    }
    return out;
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
        // The field that names the parent: the one the document says references it (evidence.source for a source).
        const via = Object.values(res.fields).find((f) => f.ref === parent.name) ?? res.fields[parent.name];
        pathArb = fc.oneof(
          { weight: 9, arbitrary: fc.constantFrom(...keys).chain((k) => fc.constantFrom(k, anyCase ? k.toLowerCase() : k)).map((k) => ({ k })) },
          { weight: 1, arbitrary: fc.constant({ k: 'no-such-key' }) },
        ).map(({ k }) => {
          const parentRec = this.records[parent.name].find((r) => (anyCase ? r[key].toLowerCase() === k.toLowerCase() : r[key] === k));
          return { path: segs.map((s, i) => (i === at ? k : s)).join('/'), parentRec, related: { field: via, key: parentRec?.[key] } };
        });
      }
      const prop = fc.asyncProperty(pathArb, queryArb(res, records), acceptArb, fc.boolean(), fc.nat(9), async (where, pairs, accept, gzip, extra) => {
        const tgt = target(where.path, pairs);
        const headers = { ...(gzip ? { 'accept-encoding': 'gzip' } : {}), ...(accept === undefined ? {} : { accept }) };
        const before = this.mismatches.length;
        const ans = extra < 2 ? await this.getWithHeadAndRevalidation(tgt, headers) : await this.exchange('GET', tgt, headers);
        this.listQueries++;
        const out = this.compareList(res, records, where, pairs, tgt, ans, accept);
        this.fail(out);
        if (this.mismatches.length > before) throw new Error(this.mismatches.slice(before).join('\n'));
      });
      const result = await fc.check(prop, { seed: this.seed, numRuns: this.runs, endOnFailure: this.stopEarly });
      if (result.failed && !this.stopEarly)
        this.mismatches.push(`${p}: counterexample ${JSON.stringify(result.counterexample?.slice(0, 2))} (seed ${this.seed}, path ${result.counterexamplePath})`);
    }
  }

  // What the model says a list answer must be, against what came.
  compareList(res, records, where, pairs, tgt, ans, accept) {
    const out = [];
    const label = `GET ${short(tgt)}${accept === undefined ? '' : ` Accept: ${accept}`}`;
    const say = (s) => out.push(`${label}: ${s}`);
    if (where.related && !where.parentRec) {
      if (ans.status !== 404) say(`${ans.status}, expected 404 (no such parent)`);
      return out;
    }
    const o = parseOutput(pairs, accept, true);
    if (o.notAcceptable) {
      this.count('406');
      if (ans.status !== 406) say(`${ans.status}, expected 406: Accept excludes JSON, CSV and NDJSON`);
      return out;
    }
    const output = o.output;
    // limit=all is not the grammar's: the server takes it out before parsing the rest.
    const parsed = o.error ? o : parse(res, output.all ? pairs.filter(([k]) => k !== 'limit') : pairs);
    if (o.error) this.count(`400 of the format (${o.error.param})`);
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
    const q = parsed.query;
    if (output.all) q.limit = Infinity;
    const want = expectedList(res, records, decodedPath, pairs, q, extra);
    this.count(`${output.format} 200`);
    if (q.filters.some((f) => !f.field.bare)) this.count('a filter on a field named as a parameter');
    if (accept !== undefined && !pairs.some(([k]) => k === 'format')) this.count(`Accept chose ${output.format}`);
    if (!this.formatHeaders(ans, output, label, decodedPath, out)) return out;
    if (output.format !== 'json') {
      if (output.all) this.count('whole export (limit=all)');
      if (output.bom) this.count('bom');
      if (q.members.length) this.count(`${output.format} projected`);
      if (want.body.data.length) this.count(`${output.format} non-empty`);
      out.push(...this.compareRows(res, want.body.data, q.members, ans, output, label));
      // A page has the JSON page's count and links; a whole export is not a page: no Link.
      const link = output.all ? undefined : want.link;
      if (ans.get('x-total-count') !== String(want.total)) say(`X-Total-Count ${ans.get('x-total-count')}, expected ${want.total}`);
      if (ans.get('link') !== link) say(`Link ${ans.get('link')}, expected ${link}`);
      return out;
    }
    const got = JSON.parse(ans.text());
    if (got.data.length) this.count('non-empty page');
    if (q.filters.length && got.meta.total && got.meta.total < records.length) this.count('filter narrowing');
    if (q.sort.length) this.count('sorted');
    if (q.sort.length && got.data.some((r) => r[q.sort[0].field.split('.')[0]] === null)) this.count('sorted, nulls on the page');
    if (q.facets.length) this.count('faceted');
    if (q.members.length) this.count('projected');
    if (got.links.next) this.count('has next');
    if (q.search) this.count(q.search.terms.some((t) => t.words.length > 1) ? 'searched, a phrase' : 'searched');
    if (q.search && !q.sort.length && got.data.length > 1) this.count('searched, ranked');
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
  // A head over max-header-size (8 KB) but within libmicrohttpd's pool (16 KB) gets the JSON 431.
  async framing() {
    const cases = [
      ['GET', '/api/v1/deals', 'Content-Length: 0\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n', 400],
      ['GET', '/api/v1', 'Transfer-Encoding: gzip\r\n', '', 501],
      ['GET', '/healthz', 'Content-Length: 99999999\r\n', '', 413],
      ['POST', '/api/v1/deals', `Transfer-Encoding: chunked\r\n`, `11170\r\n${'a'.repeat(0x11170)}\r\n0\r\n\r\n`, 413],
      ['GET', `/api/v1/deals?q=${'x'.repeat(9000)}`, '', '', 414],
      ['GET', '/api/v1/countries', `X-Big: ${'y'.repeat(12000)}\r\n`, '', 431],
      ['HEAD', '/api/v1/stats', `X-Big: ${'y'.repeat(12000)}\r\n`, '', 431],
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

// Whether the path of tgt takes writes when they are on (the document's write operations ask for a token).
function writesOn(doc, tgt) {
  const p = tgt.split('?')[0];
  return Object.entries(doc.paths).some(([tpl, item]) => new RegExp(`^${tpl.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(p) &&
    ['post', 'put', 'patch', 'delete'].some((m) => item[m]?.security?.length));
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
