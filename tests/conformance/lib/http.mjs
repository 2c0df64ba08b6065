// Plain HTTP exchanges with what they carried on the wire: the status, every
// header as sent (names lower-cased, in order), the body as received and,
// when gzipped, decoded. node:http for requests it can make; a raw socket for
// those it would refuse to send (bad framing, oversized heads).
import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';

// The server closes a keep-alive connection that waits header-timeout (10 s)
// for its next request; idle sockets are dropped well before, so that none
// is reused as the server closes it (a "socket hang up").
const agent = new http.Agent({ keepAlive: true, maxSockets: 8, timeout: 4000 });

function finish(status, rawHeaders, raw) {
  const headers = [];
  for (let i = 0; i < rawHeaders.length; i += 2) headers.push([rawHeaders[i].toLowerCase(), rawHeaders[i + 1]]);
  const get = (name) => headers.find(([k]) => k === name)?.[1];
  let body = raw;
  if (raw.length && get('content-encoding') === 'gzip') body = zlib.gunzipSync(raw);
  return { status, headers, get, raw, body, text: () => body.toString('utf8') };
}

// GET and friends: { method, path (target), headers, body } -> an answer.
export function request(port, { method = 'GET', path, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        try { resolve(finish(res.statusCode, res.rawHeaders, Buffer.concat(chunks))); } catch (e) { reject(e); }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Sends text as it is on a new connection and reads one answer (the server closes
// or the Content-Length says where it ends).
export function rawRequest(port, text, { head = false } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let done = false;
    const timer = setTimeout(() => settle(new Error(`no answer to ${JSON.stringify(text.slice(0, 80))}`)), 5000);
    function settle(err) {
      if (done) return;
      const end = buf.indexOf('\r\n\r\n');
      if (!err && end < 0) return;
      let parsed;
      if (!err) {
        const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
        const status = Number(lines[0].split(' ')[1]);
        const raw = [];
        for (const l of lines.slice(1)) { const i = l.indexOf(':'); raw.push(l.slice(0, i), l.slice(i + 1).trim()); }
        const cl = Number(raw[raw.findIndex((x, i) => i % 2 === 0 && x.toLowerCase() === 'content-length') + 1] ?? 0);
        const need = head || status === 304 || status === 204 ? 0 : cl;
        if (buf.length - end - 4 < need) return;
        parsed = finish(status, raw, buf.subarray(end + 4, end + 4 + need));
      }
      done = true;
      clearTimeout(timer);
      sock.destroy();
      err ? reject(err) : resolve(parsed);
    }
    sock.on('data', (c) => { buf = Buffer.concat([buf, c]); settle(); });
    sock.on('end', () => settle(buf.indexOf('\r\n\r\n') < 0 ? new Error('closed without an answer') : null));
    sock.on('error', (e) => settle(e));
    sock.write(text);
  });
}

export function closeAgents() {
  agent.destroy();
}
