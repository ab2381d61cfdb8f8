// Child processes for the benchmark: servers pinned to CPU 0 (the load generator runs on CPU 1),
// readiness polling, peak RSS from /proc, and a clean stop.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** argv under `taskset -c <cpu>` when taskset works here; taskset execs, so the pid is the program's. */
export function pinned(cpu, argv) {
  return hasTaskset && cpu !== null ? ['taskset', '-c', String(cpu), ...argv] : argv;
}

/**
 * Runs this script again under `taskset -c 1`, the load generator's core, and exits with its status;
 * returns only in that run (or where taskset does not work). Servers are started on CPU 0.
 */
export function pinSelfToLoadCore() {
  if (process.env.ZCRM_BENCH_PINNED || !hasTaskset) return;
  const r = spawnSync('taskset', ['-c', '1', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit', env: { ...process.env, ZCRM_BENCH_PINNED: '1' },
  });
  process.exit(r.status ?? 1);
}

export function startPinned(argv, { env = {}, cwd, cpu = 0 } = {}) {
  const [cmd, ...args] = pinned(cpu, argv);
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  const keep = (d) => { if (child.output.length < 20000) child.output += d; };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return child;
}

export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(force);
}

/** A port that was free a moment ago, on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** One request on a fresh connection: { status, body } (status 0 on a connection error). */
export function fetchOnce(url, { method = 'GET', headers = {}, body, timeoutMs = 5000 } = {}) {
  return new Promise((resolve) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(body);
  });
}

/** Polls until a 2xx answer; resolves with the milliseconds since `t0` (process.hrtime.bigint()). */
export async function waitReady(child, url, t0, { pollMs = 2, deadlineMs = 60000, headers } = {}) {
  for (;;) {
    const r = await fetchOnce(url, { headers, timeoutMs: 10000 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status >= 200 && r.status < 300) return ms;
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${child.output}`);
    if (ms > deadlineMs) throw new Error(`not ready after ${deadlineMs} ms: ${url}`);
    await sleep(pollMs);
  }
}

/** Peak resident set (VmHWM) of a process, in bytes; 0 when unknown. */
export function peakRss(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far; NaN when unknown. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}
