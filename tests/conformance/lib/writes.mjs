// The write operations, live: a sequence of writes that fast-check generates
// (seeded, so a run repeats) from the document's write operations and request
// schemas, sent to a server started with --data and --tokens. Each answer is
// held to the document by the Checker (status declared for the operation,
// headers, media type, body against its schema), and to what an independent
// model of the collections predicts: the status; 201's Location and the
// record as served; a 412's current ETag; a 422's violations, each a JSON
// pointer into the body sent, among them the one the generator broke; a 409
// when the key exists or other records refer to the record. After each write
// that succeeds, a GET of the record equals the model's (JSON Merge Patch
// applied as RFC 7396 says, here, not by the server), its ETag is the write's,
// and the list's X-Total-Count moved with it; at the end, every collection
// and the changes feed equal the model's, in order.
import fc from 'fast-check';
import { resolve } from './spec.mjs';

const short = (s) => (s.length > 160 ? `${s.slice(0, 160)}...` : s);

// RFC 7396, section 2: a patch that is an object merges member by member,
// null removing one; anything else replaces the target.
export function mergePatch(target, patch) {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

// A record as the API compares it: an absent member, a null and an empty
// array are the same (the README: absent in the file is null, or [], when
// served); members in any order.
export function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort()
      .filter((k) => v[k] !== null && !(Array.isArray(v[k]) && v[k].length === 0))
      .map((k) => [k, canon(v[k])]));
  }
  return v;
}
const same = (a, b) => JSON.stringify(canon(a)) === JSON.stringify(canon(b));

// Whether an RFC 6901 pointer names a value in doc ("" the whole).
export function pointsInto(doc, pointer) {
  if (pointer === '') return true;
  if (typeof pointer !== 'string' || !pointer.startsWith('/')) return false;
  let v = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v)) {
      if (!/^(0|[1-9][0-9]*)$/.test(k) || Number(k) >= v.length) return false;
      v = v[Number(k)];
    } else if (v !== null && typeof v === 'object' && Object.hasOwn(v, k)) {
      v = v[k];
    } else {
      return false;
    }
  }
  return true;
}

// The non-null branch of a schema (oneOf [X, null] -> X), resolved.
function nonNull(doc, s) {
  s = resolve(doc, s);
  const branch = s.oneOf?.find((x) => resolve(doc, x).type !== 'null');
  return branch ? resolve(doc, branch) : s;
}
const nullable = (doc, s) => !!resolve(doc, s).oneOf?.some((x) => resolve(doc, x).type === 'null');
const isText = (doc, s) => { const r = nonNull(doc, s); return r.type === 'string' && r.minLength === 1 && !r.format && !r.enum && r.pattern === '\\S'; };

// Text as a writer types it: ASCII words, some accents and scripts, quotes and slashes.
const textArb = fc.oneof(
  { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 24 }).filter((s) => /\S/.test(s)) },
  { weight: 1, arbitrary: fc.constantFrom('Cernavodă', '서울', 'Ünïcödé "quoted"', 'a/b\\c', 'tab\there', 'line\nbreak') },
);

// What the generator may change in a record of a collection, read from its
// request schema: members of plain text (nullable or not), lists of text,
// bounded integers, and booleans inside nullable objects (a Money's estimate).
// A member not required may be left out (a patch's null removes it).
function writable(doc, schema, key, refs) {
  const out = [];
  for (const [m, s] of Object.entries(schema.properties)) {
    if (m === key || refs.has(m)) continue;
    const r = nonNull(doc, s), optional = !schema.required.includes(m);
    if (isText(doc, s)) out.push({ m, kind: 'text', nullable: nullable(doc, s), optional });
    else if (r.type === 'array' && isText(doc, r.items) && r.uniqueItems && !r.minItems) out.push({ m, kind: 'texts', optional });
    else if (r.type === 'integer' && r.maximum !== undefined) out.push({ m, kind: 'integer', min: r.minimum ?? 0, max: r.maximum, nullable: nullable(doc, s), optional });
    else if (r.type === 'object' && nullable(doc, s)) {
      for (const [n, x] of Object.entries(r.properties || {}))
        if (resolve(doc, x).type === 'boolean') out.push({ m, kind: 'flag', inner: n });
    }
  }
  return out;
}

// The members a record's inferences are about: they must keep a value (not null, not []).
const inferredOf = (rec) => new Set((rec.inferences || []).map((x) => x.field.split('.')[0]));
const empty = (v) => v === null || v === undefined || (Array.isArray(v) && !v.length);

// A value for a writable member; null where that is allowed (and no inference names it).
function valueArb(w) {
  switch (w.kind) {
    case 'text': return textArb;
    case 'texts': return fc.uniqueArray(textArb, { maxLength: 3 });
    case 'integer': return fc.integer({ min: w.min, max: w.max });
    default: return fc.boolean();
  }
}

// The collections that take writes, from the document: a POST on the list
// path, PUT, PATCH and DELETE on its record path.
export function writeRoutes(doc) {
  const out = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    if (!item.post?.requestBody) continue;
    const recordPath = Object.keys(doc.paths).find((x) => x.startsWith(`${p}/{`) && x.split('/').length === p.split('/').length + 1);
    const rec = doc.paths[recordPath];
    if (!['put', 'patch', 'delete'].every((m) => rec[m]?.security)) continue;
    const key = recordPath.slice(recordPath.lastIndexOf('{') + 1, -1);
    const anyCase = /in any case/.test(resolve(doc, rec.parameters.find((x) => x.name === key)).description);
    const schema = resolve(doc, item.post.requestBody.content['application/json'].schema);
    out.push({ name: p.split('/').pop(), path: p, recordPath, key, anyCase, schema, patchType: Object.keys(rec.patch.requestBody.content)[0] });
  }
  return out;
}

export class Writes {
  // checker: a Checker on the writable server (its exchanges are held to the
  // document); token and writer: the server's token and its name.
  constructor({ checker, token, writer, seed, runs }) {
    Object.assign(this, { c: checker, token, writer, seed, runs });
    this.doc = checker.doc;
    this.routes = writeRoutes(this.doc);
    this.changes = [];
    this.created = new Set();   // the keys this run created
    this.replays = [];          // the creates retried with their Idempotency-Key, and their first answers
    this.writes = 0;
    this.maxBody = null;
  }

  say(s) { this.c.fail([s]); }

  // The model's collections: the records as served now, in list order, and each one's ETag when known.
  async start() {
    this.model = {};
    this.etags = {};
    for (const r of this.routes) {
      this.model[r.name] = this.c.records[r.name].map((x) => structuredClone(x));
      this.etags[r.name] = new Map();
    }
    // Which members of which collection name records of another (x-references on the filters).
    this.refs = {};
    for (const [name, res] of Object.entries(this.c.resources))
      for (const f of Object.values(res.fields)) if (f.ref) (this.refs[name] ??= []).push(f);
    for (const r of this.routes) {
      r.res = this.c.resources[r.name];
      const direct = new Set([...(this.refs[r.name] || []), ...Object.values(r.res.fields).filter((f) => f.vocab)].map((f) => f.name.split('.')[0]));
      r.writable = writable(this.doc, r.schema, r.key, direct);
    }
  }

  find(r, k) {
    const list = this.model[r.name];
    return list.findIndex((x) => (r.anyCase ? x[r.key].toLowerCase() === k.toLowerCase() : x[r.key] === k));
  }

  // The records that name (collection, key) through a reference field.
  referrers(r, k) {
    const out = [];
    for (const [name, fields] of Object.entries(this.refs)) {
      for (const rec of this.model[name] || []) {
        for (const f of fields) {
          if (f.ref !== r.name) continue;
          const v = this.c.resources[name].value(rec, f.name);
          if ((Array.isArray(v) ? v : [v]).some((x) => x !== null && (r.anyCase ? String(x).toLowerCase() === k.toLowerCase() : x === k))) out.push(`${name}/${rec[this.routes.find((x) => x.name === name)?.key ?? 'id']}`);
        }
      }
    }
    return [...new Set(out)];
  }

  auth(extra = {}) { return { authorization: `Bearer ${this.token}`, ...extra }; }

  // x.gzip: the write, and the GET after it, accept gzip (a browser does): ETags end in -gz.
  enc(x) { return x.gzip ? { 'accept-encoding': 'gzip' } : {}; }

  async send(method, tgt, headers, body) {
    return this.c.exchange(method, tgt, headers, body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
  }

  // The answer's status is want, else a mismatch (with the problem's detail).
  expect(label, ans, want) {
    if (ans.status === want) return true;
    let detail = '';
    try { detail = JSON.parse(ans.text()).detail ?? ''; } catch { /* not JSON */ }
    this.say(`${label}: ${ans.status}, expected ${want} ${short(detail)}`);
    return false;
  }

  // The schema of a POST's Idempotency-Key, as the document declares it.
  keySchema(r) {
    return this.c.spec.operation('POST', r.path).parameters.map((p) => resolve(this.doc, p)).find((p) => p.name === 'Idempotency-Key').schema;
  }

  // What the server took must be valid against the document's request schema.
  takes(label, schema, body) {
    const errors = this.c.spec.validate(schema, body);
    if (errors.length) this.say(`${label}: the server took what the document's request schema refuses: ${errors.slice(0, 3).join('; ')}`);
  }

  // A 422's violations: each a pointer into the body sent and a detail, and the pointers the generator broke among them.
  violations(label, ans, body, broke) {
    if (!this.expect(label, ans, 422)) return;
    const p = JSON.parse(ans.text());
    if (!Array.isArray(p.errors) || !p.errors.length) { this.say(`${label}: a 422 without errors`); return; }
    for (const e of p.errors) {
      if (typeof e.detail !== 'string' || !e.detail) this.say(`${label}: a violation without detail: ${JSON.stringify(e)}`);
      if (!pointsInto(body, e.pointer)) this.say(`${label}: violation pointer ${JSON.stringify(e.pointer)} points at nothing in the body sent`);
    }
    for (const b of broke)
      if (!p.errors.some((e) => e.pointer === b)) this.say(`${label}: no violation at ${JSON.stringify(b)} (got ${p.errors.map((e) => JSON.stringify(e.pointer)).join(' ')})`);
  }

  // After a write that succeeded: the record (or its absence), its ETag and the list's total, as the model says.
  async effects(label, r, k, etag, headers = {}) {
    const i = this.find(r, k);
    const get = await this.c.exchange('GET', `${r.path}/${encodeURIComponent(k)}`, headers);
    if (i < 0) { this.expect(`${label}, then GET`, get, 404); }
    else if (this.expect(`${label}, then GET`, get, 200)) {
      const got = JSON.parse(get.text());
      if (!same(got, this.model[r.name][i])) this.say(`${label}, then GET: ${short(JSON.stringify(got))}, the model has ${short(JSON.stringify(this.model[r.name][i]))}`);
      if (etag && get.get('etag') !== etag) this.say(`${label}, then GET: ETag ${get.get('etag')}, the write answered ${etag}`);
      this.etags[r.name].set(this.model[r.name][i][r.key], get.get('etag'));
    }
    const list = await this.c.exchange('GET', `${r.path}?limit=1`);
    const total = JSON.parse(list.text()).meta.total;
    if (list.get('x-total-count') !== String(this.model[r.name].length) || total !== this.model[r.name].length)
      this.say(`${label}, then GET ${r.path}: X-Total-Count ${list.get('x-total-count')}, meta.total ${total}, the model has ${this.model[r.name].length}`);
  }

  // The feed names the record's ETag as JSON, not gzipped: a gzipped answer's, less its -gz.
  changed(op, r, k, etag) {
    this.changes.push({ seq: this.changes.length + 1, writer: this.writer, op, collection: r.name, id: k, etag: etag?.replace(/-gz"$/, '"') ?? null });
    this.writes++;
  }

  // A valid body for r: a donor record of the collection under a new key, with writable members changed.
  bodyArb(r) {
    const edits = fc.array(fc.nat({ max: Math.max(0, r.writable.length - 1) }).chain((i) => {
      const w = r.writable[i];
      return fc.oneof(valueArb(w), ...(w.nullable ? [fc.constant(null)] : []), ...(w.optional ? [fc.constant(undefined)] : [])).map((v) => [w, v]);
    }), { maxLength: 4 });
    return fc.record({ donor: fc.nat(), edits });
  }

  // donor + edits -> a body that breaks no rule (a member an inference names is not nulled).
  build(r, { donor, edits }, key) {
    const list = this.model[r.name].filter((x) => x[r.key] !== undefined);
    const src = structuredClone(list[donor % list.length]);
    for (const m of Object.keys(src)) if (src[m] === null && !r.schema.required.includes(m) && donor % 2) delete src[m];
    const inferred = inferredOf(src);
    for (const [w, v] of edits) {
      if (w.kind === 'flag') { if (src[w.m]) src[w.m][w.inner] = v; continue; }
      if (empty(v) && inferred.has(w.m)) continue;
      if (v === undefined) delete src[w.m];
      else src[w.m] = v;
    }
    src[r.key] = key;
    return src;
  }

  // Kinds of violation, each as (body) -> the pointer it breaks, read from the request schema.
  breakers(r) {
    const props = r.schema.properties;
    const required = (r.schema.required || []).filter((m) => m !== r.key && isText(this.doc, props[m]) && !nullable(this.doc, props[m]));
    const typed = r.writable.find((w) => w.kind === 'text' && !required.includes(w.m))?.m ?? required[1];
    const evidence = Object.entries(props).find(([, s]) => resolve(this.doc, s).minItems >= 1 && resolve(this.doc, resolve(this.doc, s).items)?.properties?.source);
    const out = {
      'a member of the wrong type': (b) => { b[typed] = 42; return `/${typed}`; },
      'a member the schema does not know': (b) => { b.not_a_member = 'x'; return ''; },
      'a key the pattern refuses': (b) => { b[r.key] = 'Not A Key!'; return `/${r.key}`; },
      'a required member missing': (b) => { delete b[required[0]]; return ''; },
    };
    if (evidence) {
      out['a reference to no record'] = (b) => { b[evidence[0]] = [{ source: 'no-such-source', quote: 'x' }]; return `/${evidence[0]}/0/source`; };
      out['too few items'] = (b) => { b[evidence[0]] = []; return `/${evidence[0]}`; };
    }
    return out;
  }

  // The generated writes, one after another, each checked as it comes.
  async run() {
    await this.start();
    const ops = ['create', 'create', 'invalid', 'duplicate', 'replace', 'patch', 'patch', 'delete', 'protocol'];
    const cmd = fc.nat(this.routes.length - 1).chain((route) => fc.record({
      route: fc.constant(route),
      op: fc.constantFrom(...ops),
      body: this.bodyArb(this.routes[route]),
      pick: fc.nat(),
      ifMatch: fc.constantFrom('right', 'right', 'star', 'wrong', 'absent'),
      gzip: fc.boolean(),
      idem: fc.constantFrom(null, null, 'replay', 'other body'),
      breaks: fc.uniqueArray(fc.nat(5), { minLength: 1, maxLength: 3 }),
      fault: fc.constantFrom('no token', 'wrong token', 'wrong type', 'no type', 'malformed', 'trailing text', 'duplicate member', 'oversized', 'key on PUT',
        'a long Idempotency-Key', 'an Idempotency-Key with a space'),
    }));
    const script = fc.sample(cmd, { seed: this.seed, numRuns: this.runs });
    let n = 0;
    for (const x of script) {
      const r = this.routes[x.route];
      x.body = this.build(r, x.body, `conformance-${++n}`);
      if (r.key === 'code') x.body[r.key] = CODES[n % CODES.length];
      await this[x.op](r, x, n);
      this.c.count(`write ${x.op}`);
    }
    await this.feed();
  }

  async create(r, x, n) {
    const k = x.body[r.key];
    const headers = this.auth({ 'content-type': 'application/json', ...this.enc(x) });
    if (x.idem) headers['idempotency-key'] = n % 3 ? `key-${n}` : `${n}~`.padEnd(255, '!');
    const label = `POST ${r.path} ${k}`;
    const ans = await this.send('POST', r.path, headers, x.body);
    if (this.find(r, k) >= 0) { this.expect(`${label}, which exists`, ans, 409); return; }
    if (!this.expect(label, ans, 201)) return;
    this.takes(label, r.schema, x.body);
    if (x.idem) this.takes(`${label}, its Idempotency-Key`, this.keySchema(r), headers['idempotency-key']);
    this.created.add(k);
    const got = JSON.parse(ans.text());
    if (!same(got, x.body)) this.say(`${label}: answered ${short(JSON.stringify(canon(got)))}, sent ${short(JSON.stringify(canon(x.body)))}`);
    const where = `${r.path}/${encodeURIComponent(k)}`;
    if (ans.get('location') !== where) this.say(`${label}: Location ${ans.get('location')}, expected ${where}`);
    this.model[r.name].push(got);
    this.changed('create', r, k, ans.get('etag'));
    this.c.count('201');
    if (x.gzip && ans.get('content-encoding')) this.c.count('write answered gzipped');
    await this.effects(label, r, k, ans.get('etag'), this.enc(x));
    if (x.idem === 'replay') {
      // The retry gets the first answer again, and creates nothing.
      this.replays.push({ path: r.path, headers, body: x.body, ans });
      const again = await this.send('POST', r.path, headers, x.body);
      if (this.expect(`${label} again, same Idempotency-Key`, again, 201)) {
        if (again.text() !== ans.text() || again.get('etag') !== ans.get('etag') || again.get('location') !== ans.get('location'))
          this.say(`${label} again, same Idempotency-Key: ${again.get('etag')} ${short(again.text())}, first ${ans.get('etag')} ${short(ans.text())}`);
        this.c.count('Idempotency-Key replayed');
      }
    } else if (x.idem === 'other body') {
      const text = r.writable.find((w) => w.kind === 'text').m;
      const other = { ...x.body, [text]: `${x.body[text]} (another body)` };
      this.expect(`${label} again, same Idempotency-Key, another body`, await this.send('POST', r.path, headers, other), 422);
      this.c.count('Idempotency-Key with another body');
    }
    await this.effects(`${label} (and its retry)`, r, k, ans.get('etag'), this.enc(x));
  }

  async invalid(r, x) {
    const kinds = Object.entries(this.breakers(r));
    const broke = [...new Set(x.breaks.map((i) => kinds[i % kinds.length]))];
    const body = structuredClone(x.body);
    const pointers = broke.map(([, f]) => f(body));
    // A violation the schema can state, the document's request schema refuses too.
    if (broke.some(([w]) => !OUTSIDE_SCHEMA.includes(w)) && !this.c.spec.validate(r.schema, body).length)
      this.say(`POST ${r.path} with ${broke.map(([w]) => w).join(', ')}: the document's request schema takes the body`);
    const label = `POST ${r.path} with ${broke.map(([w]) => w).join(', ')}`;
    const ans = await this.send('POST', r.path, this.auth({ 'content-type': 'application/json' }), body);
    // A key that exists is a 409 before the body is looked at.
    if (typeof body[r.key] === 'string' && this.find(r, body[r.key]) >= 0) { this.expect(`${label}, its key exists`, ans, 409); return; }
    this.violations(label, ans, body, pointers);
    this.c.count('422');
  }

  async duplicate(r, x) {
    const list = this.model[r.name];
    const k = list[x.pick % list.length][r.key];
    const body = { ...x.body, [r.key]: x.pick % 2 && r.anyCase ? k.toLowerCase() : k };
    const ans = await this.send('POST', r.path, this.auth({ 'content-type': 'application/json' }), body);
    if (this.expect(`POST ${r.path} ${body[r.key]}, which exists`, ans, 409)) this.c.count('409');
  }

  // If-Match as x says: the current ETag, *, another, or none; and what that must get (null: the write goes ahead).
  precondition(r, k, x, headers) {
    const cur = this.etags[r.name].get(k);
    if (x.ifMatch === 'absent') return 428;
    if (x.ifMatch === 'wrong') { headers['if-match'] = '"0000000000000000"'; return 412; }
    headers['if-match'] = x.ifMatch === 'star' || !cur ? '*' : cur;
    return null;
  }

  async current(r, k) {
    if (!this.etags[r.name].has(k)) this.etags[r.name].set(k, (await this.c.exchange('GET', `${r.path}/${encodeURIComponent(k)}`)).get('etag'));
    return this.etags[r.name].get(k);
  }

  // What a refused precondition must say: 428, or 412 with the current ETag.
  async refusedPrecondition(label, r, k, ans, want) {
    if (!this.expect(label, ans, want)) return;
    this.c.count(String(want));
    const plain = (e) => e?.replace(/-gz"$/, '"');
    if (want === 412 && plain(ans.get('etag')) !== plain(await this.current(r, k))) this.say(`${label}: the 412's ETag ${ans.get('etag')}, the record's ${await this.current(r, k)}`);
  }

  async replace(r, x) {
    const list = this.model[r.name];
    const i = x.pick % list.length, k = list[i][r.key];
    const body = { ...x.body, [r.key]: k };
    await this.current(r, k);
    const headers = this.auth({ 'content-type': 'application/json', ...this.enc(x) });
    const refused = this.precondition(r, k, x, headers);
    const label = `PUT ${r.recordPath.replace(/\{.*\}/, k)} If-Match ${x.ifMatch}`;
    const ans = await this.send('PUT', `${r.path}/${encodeURIComponent(k)}`, headers, body);
    if (refused) return this.refusedPrecondition(label, r, k, ans, refused);
    if (!this.expect(label, ans, 200)) return;
    this.takes(label, r.schema, body);
    const got = JSON.parse(ans.text());
    if (!same(got, body)) this.say(`${label}: answered ${short(JSON.stringify(canon(got)))}, sent ${short(JSON.stringify(canon(body)))}`);
    const before = this.etags[r.name].get(k);
    if (!same(list[i], got) && ans.get('etag') === before) this.say(`${label}: the record changed, its ETag ${before} did not`);
    list[i] = got;
    this.changed('replace', r, k, ans.get('etag'));
    await this.effects(label, r, k, ans.get('etag'), this.enc(x));
  }

  // A merge patch of writable members: new values, nulls (removing), a nested member of an object.
  async patch(r, x) {
    const list = this.model[r.name];
    const i = x.pick % list.length, k = list[i][r.key];
    const rec = list[i];
    const inferred = inferredOf(rec);
    const patch = {};
    for (const w of r.writable) {
      const v = x.body[w.m];
      if (w.kind === 'flag') { if (rec[w.m] && x.pick % 3 === 0) patch[w.m] = { [w.inner]: !rec[w.m][w.inner] }; continue; }
      if (v === undefined || JSON.stringify(v) === JSON.stringify(rec[w.m]) || (x.pick + w.m.length) % 3) continue;
      if (empty(v) && inferred.has(w.m)) continue;
      if (v === null && !w.optional) continue;
      patch[w.m] = v;
    }
    // Members the patch removes with null: those not required, and no inference is about.
    for (const w of r.writable) if (w.optional && !inferred.has(w.m) && !(w.m in patch) && (x.pick >> 3) % 5 === 0) patch[w.m] = null;
    await this.current(r, k);
    const headers = this.auth({ 'content-type': r.patchType, ...this.enc(x) });
    const refused = this.precondition(r, k, x, headers);
    const label = `PATCH ${r.path}/${k} ${short(JSON.stringify(patch))} If-Match ${x.ifMatch}`;
    const ans = await this.send('PATCH', `${r.path}/${encodeURIComponent(k)}`, headers, patch);
    if (refused) return this.refusedPrecondition(label, r, k, ans, refused);
    const want = mergePatch(rec, patch);
    if (!this.expect(label, ans, 200)) return;
    this.takes(label, r.schema, want);
    const got = JSON.parse(ans.text());
    if (!same(got, want)) this.say(`${label}: answered ${short(JSON.stringify(canon(got)))}, the merge gives ${short(JSON.stringify(canon(want)))}`);
    const before = this.etags[r.name].get(k);
    if (!same(rec, want) && ans.get('etag') === before) this.say(`${label}: the record changed, its ETag ${before} did not`);
    list[i] = got;
    this.changed('patch', r, k, ans.get('etag'));
    this.c.count(Object.values(patch).some((v) => v === null) ? 'patch removing a member' : 'patch');
    await this.effects(label, r, k, ans.get('etag'), this.enc(x));
  }

  async delete(r, x) {
    const list = this.model[r.name];
    // Mostly what this run created (nothing refers to it), sometimes a shipped record (most are referred to).
    const mine = list.filter((y) => this.created.has(y[r.key]));
    const pool = mine.length && x.pick % 4 ? mine : list;
    const k = pool[x.pick % pool.length][r.key];
    await this.current(r, k);
    const headers = this.auth();
    const refused = this.precondition(r, k, x, headers);
    const label = `DELETE ${r.path}/${k} If-Match ${x.ifMatch}`;
    const ans = await this.send('DELETE', `${r.path}/${encodeURIComponent(k)}`, headers);
    if (refused) return this.refusedPrecondition(label, r, k, ans, refused);
    const by = this.referrers(r, k);
    if (by.length) {
      if (this.expect(`${label}, referred to by ${by.slice(0, 3)}`, ans, 409)) {
        const detail = JSON.parse(ans.text()).detail;
        const named = by.filter((b) => detail.includes(b));
        if (named.length < Math.min(by.length, 10)) this.say(`${label}: the 409 names ${named.length} of the ${by.length} records that refer to it: ${short(detail)}`);
        this.c.count('409 referred to');
      }
      return;
    }
    if (!this.expect(label, ans, 204)) return;
    list.splice(this.find(r, k), 1);
    this.etags[r.name].delete(k);
    this.changed('delete', r, k, null);
    this.c.count('204');
    await this.effects(label, r, k);
  }

  // A write refused before it is looked at: its token, media type, JSON, size, or a key where none goes.
  async protocol(r, x) {
    const type = { 'content-type': 'application/json' };
    const body = JSON.stringify(x.body);
    const cases = {
      'no token': [type, body, 401, 'Bearer realm="attache"'],
      'wrong token': [{ ...type, authorization: 'Bearer not-a-token-of-this-server' }, body, 401, 'Bearer realm="attache", error="invalid_token"'],
      'wrong type': [this.auth({ 'content-type': 'text/plain' }), body, 415],
      'no type': [this.auth(), body, 415],
      malformed: [this.auth(type), body.slice(0, -1), 400],
      'trailing text': [this.auth(type), `${body} x`, 400],
      'duplicate member': [this.auth(type), body.replace(/^\{/, `{"${r.key}":"x",`), 400],
      oversized: [this.auth(type), JSON.stringify({ ...x.body, summary: 'x'.repeat(70000) }), 413],
      'a long Idempotency-Key': [this.auth({ ...type, 'idempotency-key': 'k'.repeat(256) }), body, 400],
      'an Idempotency-Key with a space': [this.auth({ ...type, 'idempotency-key': 'a key' }), body, 400],
    };
    if (x.fault === 'key on PUT') {
      const list = this.model[r.name], k = list[x.pick % list.length][r.key];
      const ans = await this.send('PUT', `${r.path}/${encodeURIComponent(k)}`, this.auth({ ...type, 'if-match': '*', 'idempotency-key': 'k' }), { ...x.body, [r.key]: k });
      if (this.expect(`PUT ${r.path}/${k} with Idempotency-Key`, ans, 400)) this.c.count('400');
      return;
    }
    const [headers, sent, want, challenge] = cases[x.fault];
    // A key the server refuses, the document's parameter refuses too.
    if (headers['idempotency-key'] && !this.c.spec.validate(this.keySchema(r), headers['idempotency-key']).length)
      this.say(`POST ${r.path} with ${x.fault}: the document's Idempotency-Key takes it`);
    const ans = await this.send('POST', r.path, headers, sent);
    if (!this.expect(`POST ${r.path} with ${x.fault}`, ans, want)) return;
    this.c.count(String(want));
    if (challenge && ans.get('www-authenticate') !== challenge) this.say(`POST ${r.path} with ${x.fault}: WWW-Authenticate ${ans.get('www-authenticate')}, expected ${challenge}`);
  }

  // The changes feed: every write that succeeded, in order, as the model recorded it.
  async feed() {
    const ans = await this.c.exchange('GET', '/api/v1/changes?limit=1000');
    const got = JSON.parse(ans.text()).data;
    if (got.length !== this.changes.length) this.say(`/api/v1/changes: ${got.length} changes, the model made ${this.changes.length}`);
    let last = '';
    got.forEach((c, i) => {
      const { at, ...rest } = c;
      if (JSON.stringify(rest) !== JSON.stringify(this.changes[i])) this.say(`/api/v1/changes[${i}]: ${JSON.stringify(rest)}, the model has ${JSON.stringify(this.changes[i])}`);
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(at) || at < last) this.say(`/api/v1/changes[${i}].at ${at}, after ${last}`);
      last = at;
      // When it was made is the server's to say: the model takes it, for the lists that follow.
      if (this.changes[i]) this.changes[i].at = at;
    });
  }

  // The retries, again (after a restart): each gets its first answer, and creates nothing.
  async replay() {
    for (const { path, headers, body, ans } of this.replays) {
      const again = await this.send('POST', path, headers, body);
      if (again.status !== ans.status || again.text() !== ans.text() || again.get('etag') !== ans.get('etag'))
        this.say(`POST ${path} ${body[Object.keys(body)[0]]} replayed after a restart: ${again.status} ${again.get('etag')}, first ${ans.status} ${ans.get('etag')}`);
    }
    const feed = await this.c.exchange('GET', '/api/v1/changes?limit=1');
    if (JSON.parse(feed.text()).meta.total !== this.changes.length) this.say(`after the replays: ${feed.text().slice(0, 120)}, the model made ${this.changes.length} changes`);
  }

  // What every collection must now hold, for Checker.loadData: the model's, and the feed.
  expected() {
    return { ...this.model, changes: this.changes };
  }
}

// The violations of a rule that a JSON Schema cannot state: the data's references.
const OUTSIDE_SCHEMA = ['a reference to no record'];

// Officially assigned country codes (ISO 3166-1), for new countries: those the data has are taken
// (a 409), the others are created once and then exist.
const CODES = 'AR BR CA CL CN CO EG ES FI GR ID IE IN IS IT KE MA MX MY NG PE PH PK SA SG TH TR UA US VN ZA AT BE BG CH CY CZ DE DK EE HR LU LV MT SI SK'.split(' ');
