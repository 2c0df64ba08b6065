// Starts the built attache on a free loopback port and stops it: the server
// under test, with the built-in data unless told otherwise.
import { spawn } from 'node:child_process';
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
