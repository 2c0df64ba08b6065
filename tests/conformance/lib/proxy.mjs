// Broken variants of the server, for the mutation check: a proxy between the
// checker and the real server that rewrites requests or answers the way a
// buggy server would answer. The server itself stays as built; each variant
// is what a client would see of one kind of bug: four in the list grammar and
// the headers, two in the CSV and NDJSON bodies, three in the writes (those
// with writes: true run against a server that takes writes).
import http from 'node:http';
import zlib from 'node:zlib';

const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });

// Each variant: how it changes a request's target, and how it changes an answer;
// expect is the mismatch the checker must report first. gte is taken from the
// document: the parameters it declares with :gte.
export function mutants(doc) {
  const gte = new Set(Object.values(doc.components.parameters).map((p) => p.name).filter((n) => n.endsWith(':gte')));
  const asked = (t) => new URLSearchParams(t.split('?')[1] || '');
  const fields = (t) => [...asked(t).keys()].filter((k) => gte.has(k)).map((k) => k.slice(0, -4));
  const esc = (f) => f.replace(/[.]/g, '\\.');
  return {
  // The server evaluates gte as gt: the request runs as :gt, and the answer says :gte again.
  'gte acts as gt': {
    expect: /: (data|meta) /,
    target: (t) => fields(t).reduce((x, f) => x.replace(new RegExp(`(^|[?&])${esc(f)}(:|%3A)gte=`, 'gi'), `$1${f}:gt=`), t),
    text: (s, t) => fields(t).reduce((x, f) => x.replace(new RegExp(`${esc(f)}:gt\\b`, 'g'), `${f}:gte`), s),
  },
  // Records without a value of the first sort key come first instead of last.
  'nulls sorted first': {
    expect: /: data /,
    body: (json, t) => {
      const sort = new URLSearchParams(t.split('?')[1] || '').get('sort');
      if (!sort || !Array.isArray(json?.data)) return json;
      const field = sort.split(',')[0].replace(/^[-+]/, '');
      const val = (r) => field.split('.').reduce((o, k) => (o == null ? null : o[k]), r);
      if (!json.data.every((r) => field.split('.')[0] in r)) return json;
      const nulls = json.data.filter((r) => val(r) == null), rest = json.data.filter((r) => val(r) != null);
      return { ...json, data: [...nulls, ...rest] };
    },
  },
  // links.next points one record too far.
  'wrong next link': {
    expect: /: links /,
    body: (json) => (json?.links?.next ? { ...json, links: { ...json.links, next: json.links.next.replace(/offset=(\d+)$/, (m, n) => `offset=${Number(n) + 1}`) } } : json),
  },
  // An undeclared header on every answer.
  'undeclared header': {
    expect: /header x-powered-by not declared/,
    headers: (h) => [...h, ['X-Powered-By', 'attache']],
  },
  // Money in a CSV cell written as a spreadsheet's float would (2.5e+12), not exactly.
  'CSV money in exponent form': {
    expect: /: data \(csv\) row/,
    csv: (s) => s.replace(/(^|,)([0-9]{13,})(?=,|\r\n)/gm, (m, sep, n) => `${sep}${Number(n).toExponential()}`),
  },
  // A search that comes in the data's order, not best first.
  'search not ranked': {
    expect: /: data \[/,
    body: (json, t) => {
      const q = new URLSearchParams(t.split('?')[1] || '');
      if (!q.get('q')?.trim() || q.has('sort') || !Array.isArray(json?.data) || json.data.length < 2) return json;
      return { ...json, data: [...json.data].reverse() };
    },
  },
  // A 201 that does not say where the record is.
  '201 without Location': {
    writes: true,
    expect: /-> 201: required header location missing/,
    headers: (h, { status }) => (status === 201 ? h.filter(([k]) => k.toLowerCase() !== 'location') : h),
  },
  // A write that answers an ETag the record does not have: a client's next If-Match would fail.
  'wrong ETag after a write': {
    writes: true,
    expect: /ETag "[0-9a-f]+", the write answered "0+1"/,
    headers: (h, { status, method }) => (['PUT', 'PATCH', 'POST'].includes(method) && status < 300
      ? h.map(([k, v]) => [k, k.toLowerCase() === 'etag' ? '"0000000000000001"' : v]) : h),
  },
  // A PATCH whose answer is the record replaced by the patch (the members it does not name gone), not merged into it.
  'PATCH replaces instead of merging': {
    writes: true,
    expect: /^PATCH \/api\/v1\/[a-z]+\/[^ ]+ (-> 200: body: |.*: answered .*, the merge gives )/,
    patch: (record, patch) => ({ ...Object.fromEntries(Object.keys(record).map((k) => [k, Array.isArray(record[k]) ? [] : null])), ...patch, id: record.id, code: record.code }),
  },
  // An NDJSON answer that loses its last record.
  'NDJSON drops a record': {
    expect: /: data \(ndjson\) /,
    ndjson: (s) => s.replace(/[^\n]*\n$/, ''),
  },
  };
}

// Starts a proxy to upstream that applies mutant m; resolves to { port, close() }.
export function startProxy(upstream, m) {
  const server = http.createServer((req, res) => {
    const tgt = m.target ? m.target(req.url) : req.url;
    // A HEAD is answered from the GET, rewritten the same way, so that the two still agree.
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const up = http.request({ host: '127.0.0.1', port: upstream, method, path: tgt, headers: req.headers, agent: upstreamAgent }, (ur) => {
      const chunks = [];
      ur.on('data', (c) => chunks.push(c));
      ur.on('end', () => {
        let body = Buffer.concat(chunks);
        let headers = [];
        for (let i = 0; i < ur.rawHeaders.length; i += 2) headers.push([ur.rawHeaders[i], ur.rawHeaders[i + 1]]);
        const gz = headers.some(([k, v]) => k.toLowerCase() === 'content-encoding' && v === 'gzip');
        const type = (ur.headers['content-type'] || '').split(';')[0].trim();
        if ((m.text || m.body || m.csv || m.ndjson) && body.length) {
          const before = (gz ? zlib.gunzipSync(body) : body).toString('utf8');
          let s = before;
          if (m.text) s = m.text(s, req.url);
          if (m.body && (type === 'application/json' || type.endsWith('+json'))) {
            const json = JSON.parse(s), changed = m.body(json, req.url);
            if (changed !== json) s = JSON.stringify(changed);
          }
          if (m.csv && type === 'text/csv') s = m.csv(s);
          if (m.ndjson && type === 'application/x-ndjson') s = m.ndjson(s);
          if (s !== before) body = gz ? zlib.gzipSync(Buffer.from(s)) : Buffer.from(s);
        }
        if (m.text) headers = headers.map(([k, v]) => [k, k.toLowerCase() === 'link' ? m.text(v, req.url) : v]);
        if (m.headers) headers = m.headers(headers, { status: ur.statusCode, method: req.method, url: req.url });
        if (m.patch && req.method === 'PATCH' && ur.statusCode === 200) {
          const rec = JSON.parse(body.toString('utf8')), changed = m.patch(rec, JSON.parse(sent.toString('utf8')));
          for (const k of ['id', 'code']) if (changed[k] === undefined) delete changed[k];
          body = Buffer.from(JSON.stringify(changed));
        }
        const out = headers.filter(([k]) => !['content-length', 'connection', 'keep-alive', 'transfer-encoding', 'date'].includes(k.toLowerCase()));
        if (ur.statusCode !== 304 && ur.statusCode !== 204) out.push(['Content-Length', String(body.length)]);
        res.writeHead(ur.statusCode, out.flat());
        res.end(req.method === 'HEAD' ? undefined : body);
      });
    });
    up.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
    // The request's body, kept for the variants that answer from it.
    const parts = [];
    let sent = Buffer.alloc(0);
    req.on('data', (c) => parts.push(c));
    req.on('end', () => { sent = Buffer.concat(parts); up.end(sent); });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    port: server.address().port,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }),
  })));
}
