// The dashboard's files as the binary embeds them: the map is the output of
// its generator, small; every file in web/ is one the Makefile compiles in;
// the page keeps to its Content-Security-Policy (no inline script or style).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB = path.join(ROOT, 'web');

test('web/map-data.js is what scripts/gen-map.mjs makes, and small', () => {
  const made = execFileSync(process.execPath, [path.join(ROOT, 'scripts/gen-map.mjs')], { maxBuffer: 1 << 24 }).toString();
  const committed = readFileSync(path.join(WEB, 'map-data.js'), 'utf8');
  assert.ok(made === committed, 'web/map-data.js differs from the generator\'s output: run make map');
  assert.ok(committed.length < 64 * 1024, `map-data.js is ${committed.length} bytes`);
});

test('every file in web/ is compiled into the binary, and there are fewer than 16', () => {
  const makefile = readFileSync(path.join(ROOT, 'Makefile'), 'utf8');
  const line = makefile.split('\n').find((l) => l.startsWith('ASSETS :='));
  const patterns = [...line.matchAll(/web\/\*(\.[a-z0-9]+)/g)].map((m) => m[1]);
  const files = readdirSync(WEB).filter((f) => statSync(path.join(WEB, f)).isFile());
  assert.ok(files.length < 16, `${files.length} files in web/`);
  for (const f of files) assert.ok(patterns.some((ext) => f.endsWith(ext)), `${f} is not in the Makefile's ASSETS`);
});

test('index.html has no inline script, style or event handler', () => {
  const html = readFileSync(path.join(WEB, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'an inline <script>');
  assert.doesNotMatch(html, /<style/i, 'a <style> element');
  assert.doesNotMatch(html, /\sstyle=/i, 'a style attribute');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'an event handler attribute');
  for (const f of readdirSync(WEB).filter((x) => x.endsWith('.js'))) {
    const js = readFileSync(path.join(WEB, f), 'utf8');
    assert.doesNotMatch(js, /setAttribute\(\s*['"]style['"]|\.innerHTML\s*=|\beval\(|new Function\(/, `${f} uses what the CSP forbids or trusts markup`);
  }
});
