/** Server instances as separate processes (the CLI's `serve`), for multi-instance tests and the bench. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVE = fileURLToPath(new URL('../multi/fixtures/serve.ts', import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `zcrm-local serve --port 0 --db <db>` in its own process and waits for its URL. */
export function spawnServer(db: string, extra: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, 'serve', '--port', '0', '--db', db, '--no-demo', '--log-level', 'warn', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ZCRM_PORT: '', ZCRM_DB: '' },
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void stop(); reject(new Error(`server did not start in 60 s: ${err}`)); }, 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving Zoho CRM API v2 at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child, stop });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}: ${err}`)); });
  });
}
