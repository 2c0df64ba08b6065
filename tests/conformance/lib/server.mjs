// Starts the built attache on a free loopback port and stops it: the server
// under test, with the built-in data unless told otherwise.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = process.env.TEST_ATTACHE_BIN || path.join(ROOT, 'build/attache');

// Resolves to { port, stop(signal) } once the server says it listens.
export function startServer(args = []) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ATTACHE_')));
  const child = spawn(BIN, ['--port', '0', '--access-log=false', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`attache did not start: ${log}`)), 10000);
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /"msg":"listening".*?"port":"(\d+)"/.exec(log);
      if (m && timer) {
        clearTimeout(timer);
        resolve({
          port: Number(m[1]),
          pid: child.pid,
          exited,
          log: () => log,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
    child.on('exit', () => { clearTimeout(timer); reject(new Error(`attache exited: ${log}`)); });
  });
}

// A server that takes writes, as the README's "Changing records" says to run
// one: a copy of the shipped data file in a temporary directory (the journal
// and changes file go beside it), and a tokens file with one token made by
// attache --new-token. Resolves to the server, with token, writer (the
// token's name) and dir; stop() also removes the directory; restart() stops
// it cleanly (SIGTERM) and resolves to the server started again on the same
// files.
export async function startWritableServer(args = [], writer = 'conformance') {
  const dir = mkdtempSync(path.join(tmpdir(), 'attache-conformance-'));
  const data = path.join(dir, 'data.json');
  copyFileSync(path.join(ROOT, 'data/vilnius-2023.json'), data);
  const [token, line] = execFileSync(BIN, ['--new-token', writer], { encoding: 'utf8' }).trim().split('\n');
  writeFileSync(path.join(dir, 'tokens'), `${line}\n`);
  const all = ['--data', data, '--tokens', path.join(dir, 'tokens'), ...args];
  const wrap = (s) => ({
    ...s,
    token,
    writer,
    dir,
    async stop(signal) { const r = await s.stop(signal); rmSync(dir, { recursive: true, force: true }); return r; },
    async restart() {
      const { code } = await s.stop('SIGTERM');
      if (code !== 0) throw new Error(`attache stopped with ${code}: ${s.log()}`);
      return wrap(await startServer(all));
    },
  });
  return wrap(await startServer(all));
}
