/** Builds dist/ (and its bundle) when it is missing or older than src/, for tests that run the real CLI binary. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

export async function ensureBuilt(): Promise<void> {
  const lock = '.build-lock';
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 600) throw new Error('timed out waiting for another build');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const out = 'dist/cli/index.js';
    if (!existsSync(out) || statSync(out).mtimeMs < newest('src')) {
      execFileSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
    }
  } finally {
    rmdirSync(lock);
  }
}
