// Standard tools check the documents attache publishes: the OpenAPI document
// is linted by Redocly's OpenAPI 3.1 rules (errors and warnings alike; the
// 405-only operations aside, for operation-2xx-response), and the
// shipped dataset is validated against data/schema.json by ajv, which must
// also refuse the shape errors the loader refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { BaseResolver, createConfig, lintDocument, makeDocumentFromString } from '@redocly/openapi-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.TEST_ATTACHE_BIN || path.join(ROOT, 'build/attache');
const json = (p) => JSON.parse(readFileSync(p, 'utf8'));

function ajv() {
  const a = new Ajv2020({ strict: false, allErrors: true });
  addFormats(a);
  return a;
}

async function openapiDocument() {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ATTACHE_')));
  const server = spawn(BIN, ['--port', String(port), '--access-log=false'], { env, stdio: 'ignore' });
  try {
    for (let i = 0; i < 100; i++) {
      try { return await (await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`)).text(); }
      catch { await new Promise((r) => setTimeout(r, 50)); }
    }
    throw new Error('the server did not answer');
  } finally {
    server.kill('SIGTERM');
  }
}

test('the OpenAPI document passes Redocly\'s OpenAPI 3.1 rules', async () => {
  const text = await openapiDocument();
  assert.equal(JSON.parse(text).openapi, '3.1.0');
  // Every recommended rule, the licence's included (info.license: MIT).
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintDocument({
    document: makeDocumentFromString(text, 'openapi.json'),
    config: config.styleguide || config,
    externalRefResolver: new BaseResolver(),
  });
  // The one rule kept from failing, and only where it cannot hold: the methods no path
  // allows are declared as what they get, a 405 with Allow, and so have no 2xx.
  const doc = JSON.parse(text);
  const refusedOnly = (p) => {
    if (p.ruleId !== 'operation-2xx-response') return false;
    const [, , path, method] = p.location?.[0]?.pointer.split('/') ?? [];
    const op = doc.paths[path?.replace(/~1/g, '/')]?.[method];
    return !!op && Object.keys(op.responses).includes('405') && !Object.keys(op.responses).some((c) => /^2/.test(c));
  };
  const shown = problems.filter((p) => !refusedOnly(p))
    .map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
  assert.deepEqual(shown, []);
});

test('the shipped dataset is valid against data/schema.json', () => {
  const validate = ajv().compile(json(path.join(ROOT, 'data/schema.json')));
  const ok = validate(json(path.join(ROOT, 'data/vilnius-2023.json')));
  assert.ok(ok, JSON.stringify(validate.errors, null, 1).slice(0, 2000));
});

test('data/schema.json refuses the shape errors the loader refuses', () => {
  const validate = ajv().compile(json(path.join(ROOT, 'data/schema.json')));
  const fixtures = path.join(ROOT, 'tests/fixtures/store');
  // References, vocabularies, duplicate keys and calendars only the loader can check.
  const shapeErrors = [
    'amount-string.json', 'amount-fraction.json', 'amount-negative.json', 'currency-lowercase.json',
    'empty-title.json', 'blank-title.json', 'title-number.json', 'date-format.json',
    'country-lowercase.json', 'empty-countries.json', 'id-with-slash.json', 'sector-not-slug.json',
    'counterpart-missing.json', 'completion-year-string.json', 'missing-title.json',
    'unknown-field.json', 'unknown-top-key.json', 'missing-deals.json', 'countries-not-array.json',
    'dataset-missing-version.json', 'duplicate-in-array.json', 'dataset-old-source.json',
    'sources-missing.json', 'sources-empty.json', 'source-url-javascript.json', 'money-without-basis.json',
    'estimate-string.json', 'evidence-missing.json', 'evidence-empty.json', 'evidence-extra-key.json',
    'quote-blank.json', 'quote-too-long.json',
  ];
  for (const f of shapeErrors) {
    assert.equal(validate(json(path.join(fixtures, f))), false, `${f} passes the schema`);
    assert.throws(() => execFileSync(BIN, ['--check', '--data', path.join(fixtures, f)], { stdio: 'pipe' }),
      `${f} passes the loader`);
  }
  assert.equal(validate(json(path.join(fixtures, 'valid.json'))), true, JSON.stringify(validate.errors));
  assert.equal(validate(json(path.join(fixtures, 'inference-nested.json'))), true, JSON.stringify(validate.errors));
  assert.equal(validate(json(path.join(ROOT, 'tests/fixtures/query.json'))), true, JSON.stringify(validate.errors));
});
