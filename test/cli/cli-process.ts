/**
 * Runs the real `zcrm-local` binary the way outside checks do: `node bin/zcrm-local.js …` from
 * the repository root, on the build in dist/ (rebuilt first when src/ is newer).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'zcrm-local.js');

/** `npm test` builds first; this covers running a file on its own after editing src/. */
export { ensureBuilt } from '../helpers/build.js';

/** The environment without our own ZCRM_* variables, so only the flags given count. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ZCRM_')));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface Served {
  child: ChildProcess;
  url: string;
  /** Everything the process printed to stdout so far. */
  stdout(): string;
  /** Waits until stdout matches (the banner may arrive in several chunks). */
  waitForOutput(re: RegExp): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** `zcrm-local serve --port <port> --db <db>`, resolved once `GET /_zcrm/health` answers 200. */
export async function serve(port: number, db: string): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', db], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  child.stderr!.on('data', (c: Buffer) => { err += c.toString('utf8'); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const served: Served = {
    child, url, stdout: () => out,
    async waitForOutput(re: RegExp) {
      const until = Date.now() + 30_000;
      for (;;) {
        const m = out.match(re);
        if (m) return m;
        if (child.exitCode !== null || Date.now() > until) throw new Error(`no ${re} in output: ${out}${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  // Generous deadline: the machine may be loaded; this is a readiness wait, not a timing check.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${err}`);
    try {
      const res = await fetch(`${url}/_zcrm/health`);
      // The banner is written right after listen; wait for it too.
      if (res.status === 200 && out.includes('zcrm-local serving')) return served;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await served.stop();
      throw new Error(`serve did not answer /_zcrm/health: ${out}${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/zcrm-local.js …` to completion, with chosen environment variables and standard input. */
export function runCli(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...cleanEnv(), ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
