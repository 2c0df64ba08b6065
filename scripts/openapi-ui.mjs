// Writes Swagger UI for attache's OpenAPI document into a directory, to be
// opened from the file, offline: index.html, Swagger UI from npm's
// swagger-ui-dist (tests/e2e/node_modules), and the document itself, inline
// (a page opened from a file may not fetch another file).
//
//   node scripts/openapi-ui.mjs build/attache build/openapi-ui   (make openapi-ui)
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'tests/e2e/node_modules/swagger-ui-dist');
const [bin, out] = process.argv.slice(2);
if (!bin || !out) {
  console.error('usage: node scripts/openapi-ui.mjs ATTACHE_BINARY OUTPUT_DIR');
  process.exit(2);
}

// The document as the built server serves it (from its built-in data).
async function fetchDocument() {
  const child = spawn(bin, ['--port', '0', '--access-log=false'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  try {
    const port = await new Promise((resolve, reject) => {
      child.stderr.on('data', (c) => {
        log += c;
        const m = /"msg":"listening".*?"port":"(\d+)"/.exec(log);
        if (m) resolve(m[1]);
      });
      child.on('exit', () => reject(new Error(`attache exited: ${log}`)));
    });
    return await (await fetch(`http://127.0.0.1:${port}/api/v1/openapi.json`)).text();
  } finally {
    child.kill('SIGTERM');
  }
}

const doc = await fetchDocument();
mkdirSync(out, { recursive: true });
for (const f of ['swagger-ui-bundle.js', 'swagger-ui.css']) copyFileSync(path.join(DIST, f), path.join(out, f));
writeFileSync(path.join(out, 'openapi.json'), doc);
writeFileSync(path.join(out, 'openapi.js'), `window.ATTACHE_OPENAPI = ${doc};\n`);
writeFileSync(path.join(out, 'index.html'), `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>attache API</title>
<link rel="stylesheet" href="swagger-ui.css">
</head>
<body>
<div id="ui"></div>
<script src="swagger-ui-bundle.js"></script>
<script src="openapi.js"></script>
<script>
// Tags start closed: Swagger UI 5.35 stops drawing after the first tag when
// the document's ~170 operations are all listed open at once.
SwaggerUIBundle({ spec: window.ATTACHE_OPENAPI, dom_id: '#ui', deepLinking: false, validatorUrl: null, docExpansion: 'none' });
</script>
</body>
</html>
`);
console.log(`${path.join(out, 'index.html')}: Swagger UI for attache ${JSON.parse(doc).info.version}, offline`);
