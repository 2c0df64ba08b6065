// The OpenAPI document as the checker reads it: validated as OpenAPI 3.1
// (@seriousme/openapi-schema-validator) and for path templates, its schemas
// compiled by ajv in 2020-12 strict mode, its operations found for live
// requests by openapi-backend (quick mode: its own validation knows only 3.0),
// and checkAnswer(), which tells every way an answer differs from it. Bodies
// are read by their media type: JSON whole; NDJSON a line at a time, each
// line held to the media type's x-item-schema (OpenAPI 3.2's itemSchema);
// CSV as strict RFC 4180 with a header row (header=present), every row as
// wide as the header.
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import OpenAPIBackendModule from 'openapi-backend';
import { parseCsv } from './csv.mjs';

const { OpenAPIBackend } = OpenAPIBackendModule;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// Hop-by-hop and framing headers, which describe the connection, not the answer.
const FRAMING = new Set(['date', 'content-length', 'content-type', 'connection', 'keep-alive', 'transfer-encoding']);
const ID = 'urn:attache:openapi';

// Problems with the document itself, as a list of sentences ([] when it is sound).
export async function validateDocument(doc) {
  const out = [];
  const result = await new Validator().validate(doc);
  if (!result.valid) out.push(`not valid OpenAPI 3.1: ${JSON.stringify(result.errors).slice(0, 1500)}`);
  // The validator does not check that each template name is a declared path parameter.
  for (const [path, item] of Object.entries(doc.paths || {})) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    for (const m of METHODS.filter((x) => item[x])) {
      const params = [...(item.parameters || []), ...(item[m].parameters || [])]
        .map((p) => resolve(doc, p)).filter((p) => p.in === 'path');
      const declared = params.map((p) => p.name).sort();
      if (JSON.stringify(names) !== JSON.stringify(declared))
        out.push(`${m.toUpperCase()} ${path}: template names ${names} but path parameters ${declared}`);
      if (params.some((p) => p.required !== true)) out.push(`${m.toUpperCase()} ${path}: a path parameter is not required`);
    }
  }
  return out;
}

export function resolve(doc, obj) {
  while (obj && obj.$ref) {
    obj = obj.$ref.replace(/^#\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((o, k) => o?.[k], doc);
  }
  return obj;
}

// "#/components/schemas/X" -> "urn:...#/$defs/X", so ajv reads the components as one schema.
function rewrite(v) {
  if (Array.isArray(v)) return v.map(rewrite);
  if (v && typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v))
      o[k] = k === '$ref' && typeof x === 'string' ? x.replace('#/components/schemas/', `${ID}#/$defs/`) : rewrite(x);
    return o;
  }
  return v;
}

// "text/plain; version=0.0.4; charset=utf-8" -> { essence, params }
export function parseMedia(value) {
  const [essence, ...rest] = value.split(';').map((s) => s.trim());
  const params = Object.fromEntries(rest.filter(Boolean).map((p) => {
    const i = p.indexOf('=');
    return [p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim()];
  }));
  return { essence: essence.toLowerCase(), params };
}

export class Spec {
  static async load(doc) {
    const spec = new Spec(doc);
    await spec.api.init();
    return spec;
  }

  constructor(doc) {
    this.doc = doc;
    this.ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: ID, $defs: rewrite(doc.components.schemas) });
    this.validators = new WeakMap();   // by schema object: the document's own
    this.operations = new Map();
    this.api = new OpenAPIBackend({ definition: doc, quick: true, validate: false });
  }

  // Compiles every schema the document holds (strict mode refuses what it cannot read).
  compileAll() {
    const out = [];
    for (const name of Object.keys(this.doc.components.schemas)) {
      try { this.ajv.getSchema(`${ID}#/$defs/${name}`); } catch (e) { out.push(`schemas/${name}: ${e.message}`); }
    }
    const walk = (where, v) => {
      if (!v || typeof v !== 'object') return;
      if (v.schema && typeof v.schema === 'object' && (v.in || where.includes('/content/') || where.includes('/headers/'))) {
        try { this.validator(v.schema); } catch (e) { out.push(`${where}: ${e.message}`); }
      }
      if (v['x-item-schema'] && where.includes('/content/')) {
        try { this.validator(v['x-item-schema']); } catch (e) { out.push(`${where}/x-item-schema: ${e.message}`); }
      }
      for (const [k, x] of Object.entries(v)) if (k !== 'schemas') walk(`${where}/${k}`, x);
    };
    walk('#', { paths: this.doc.paths, components: { ...this.doc.components, schemas: undefined } });
    return out;
  }

  validator(schema) {
    let v = this.validators.get(schema);
    if (!v) {
      v = this.ajv.compile(rewrite(schema));
      this.validators.set(schema, v);
    }
    return v;
  }

  // Errors of value against schema, as one sentence each.
  validate(schema, value) {
    const v = this.validator(schema);
    return v(value) ? [] : v.errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.allowedValue !== undefined ? ` (${JSON.stringify(e.params.allowedValue)})` : ''}`);
  }

  operation(method, target) {
    const path = target.split('?')[0];
    const key = `${method} ${path}`;
    if (!METHODS.includes(method.toLowerCase())) return undefined;
    if (!this.operations.has(key))
      this.operations.set(key, this.api.router.matchOperation({ method: method.toLowerCase(), path, headers: {}, query: {} }));
    return this.operations.get(key);
  }

  // Every way the answer to (method, target) differs from the document.
  checkAnswer(method, target, ans, { getOperation } = {}) {
    const out = [];
    const say = (s) => out.push(`${method} ${target.length > 200 ? `${target.slice(0, 200)}...` : target} -> ${ans.status}: ${s}`);
    const op = this.operation(method, target);
    let response;
    if (!op) {
      // The document's info says what such requests get: 501 for methods OpenAPI does not name, 404 for undeclared paths.
      const want = METHODS.includes(method.toLowerCase()) ? 404 : 501;
      if (ans.status !== want) say(`no operation declares this; expected ${want}`);
      response = resolve(this.doc, this.doc.components.responses[want === 404 ? 'NotFound' : 'NotImplemented']);
    } else {
      response = resolve(this.doc, op.responses?.[String(ans.status)] ?? op.responses?.default);
      if (!response) {
        say(`status not declared by ${op.operationId} (declared: ${Object.keys(op.responses).join(' ')})`);
        return out;
      }
    }
    const declared = Object.fromEntries(Object.entries(response.headers || {}).map(([k, h]) => [k.toLowerCase(), resolve(this.doc, h)]));
    const seen = new Set();
    for (const [name, value] of ans.headers) {
      if (FRAMING.has(name)) continue;
      if (seen.has(name)) say(`header ${name} sent twice`);
      seen.add(name);
      const h = declared[name];
      if (!h) { say(`header ${name} not declared`); continue; }
      const t = h.schema?.type;
      const v = (t === 'integer' || t === 'number') && /^-?[0-9]+$/.test(value) ? Number(value) : value;
      for (const e of this.validate(h.schema, v)) say(`header ${name}: ${JSON.stringify(value)}: ${e}`);
    }
    for (const [name, h] of Object.entries(declared)) if (h.required && !seen.has(name)) say(`required header ${name} missing`);

    // HEAD: the media type is the one its GET declares, and no body comes.
    let content = response.content;
    if (method === 'HEAD' && getOperation) content = resolve(this.doc, getOperation.responses?.[String(ans.status)])?.content;
    const type = ans.get('content-type');
    if (!content) {
      if (type) say(`Content-Type ${type} where the document declares no body`);
      if (ans.raw.length) say('a body where the document declares none');
      return out;
    }
    if (!type) { say('no Content-Type'); return out; }
    const got = parseMedia(type);
    const key = Object.keys(content).find((k) => {
      const want = parseMedia(k);
      return want.essence === got.essence && Object.entries(want.params).every(([p, v]) => got.params[p] === v);
    });
    if (!key) { say(`media type ${type} not declared (declared: ${Object.keys(content).join(', ')})`); return out; }
    if (method === 'HEAD') {
      if (ans.raw.length) say('HEAD answered with a body');
      return out;
    }
    const { schema } = content[key];
    if (!schema) return out;
    let body;
    if (got.essence === 'application/json' || got.essence.endsWith('+json')) {
      try { body = JSON.parse(ans.text()); } catch (e) { say(`body is not JSON: ${e.message}`); return out; }
    } else {
      body = ans.text();
    }
    for (const e of this.validate(schema, body).slice(0, 5)) say(`body: ${e}`);
    if (got.essence === 'application/x-ndjson') this.checkLines(body, content[key]['x-item-schema'], say);
    if (got.essence === 'text/csv') checkCsv(body, got.params, say);
    return out;
  }

  // NDJSON: each line ends with LF and is one JSON value valid against the item schema.
  checkLines(text, itemSchema, say) {
    if (text && !text.endsWith('\n')) say('the last NDJSON line does not end with LF');
    const lines = text.split('\n').slice(0, -1);
    let errors = 0;
    lines.forEach((line, i) => {
      let v;
      try { v = JSON.parse(line); } catch (e) { if (errors++ < 5) say(`NDJSON line ${i + 1} is not JSON: ${e.message}`); return; }
      if (!itemSchema) return;
      for (const e of this.validate(itemSchema, v).slice(0, 2)) if (errors++ < 5) say(`NDJSON line ${i + 1}: ${e}`);
    });
  }
}

// CSV: RFC 4180, a header row when the type says header=present, and rows as wide as it.
function checkCsv(text, params, say) {
  const csv = parseCsv(text);
  if (csv.error) { say(`body is not RFC 4180 CSV: ${csv.error}`); return; }
  if (params.header === 'present' && !csv.rows.length) say('header=present, but no header row');
  const width = csv.rows[0]?.length;
  const ragged = csv.rows.findIndex((r) => r.length !== width);
  if (ragged >= 0) say(`CSV row ${ragged + 1} has ${csv.rows[ragged].length} cells, the header ${width}`);
  if (params.header === 'present' && new Set(csv.rows[0] || []).size !== width) say(`the CSV header names a column twice: ${csv.rows[0]}`);
  if (params.charset && params.charset.toLowerCase() !== 'utf-8') say(`CSV in ${params.charset}`);
}
