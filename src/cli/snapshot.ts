/** `zcrm-local snapshot export|import|reset`: snapshots of a running server, through its admin surface. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseSnapshot, SnapshotError, writeFileAtomic } from '../store/snapshot.js';
import { adminCall } from './admin-client.js';
import { adminKeyOption, opt, urlOption } from './options.js';

/** Reads and checks a snapshot file here, so a bad or too-new file fails before the server is asked. */
function readLocal(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read snapshot ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    parseSnapshot(parsed);
  } catch (e) {
    if (e instanceof SnapshotError) throw new Error(`${file}: ${e.message}`);
    throw e;
  }
  return parsed as Record<string, unknown>;
}

export function registerSnapshot(program: Command): void {
  const snapshot = program.command('snapshot').description('export, import or reset to a snapshot (versioned JSON) of a running server');
  snapshot
    .command('export')
    .description('write every org (or one) to a snapshot file, atomically')
    .addOption(opt('--out <file>', 'snapshot file to write (default: standard output)'))
    .addOption(opt('--org <org_id>', 'only this org'))
    .addOption(urlOption())
    .addOption(adminKeyOption())
    .action(async (o: { out?: string; org?: string; url: string; adminKey?: string }) => {
      const query = o.org ? `?org=${encodeURIComponent(o.org)}` : '';
      const snap = await adminCall(o.url, 'GET', `_zcrm/snapshots${query}`, undefined, o.adminKey);
      const text = JSON.stringify(snap);
      if (!o.out) {
        process.stdout.write(text + '\n');
        return;
      }
      writeFileAtomic(o.out, text);
      process.stdout.write(`wrote ${(snap.orgs as unknown[]).length} org(s) to ${o.out} (format version ${snap.version})\n`);
    });
  snapshot
    .command('import')
    .description('import a snapshot file; its orgs replace orgs of the same id, others stay')
    .argument('<file>', 'snapshot file')
    .addOption(urlOption())
    .addOption(adminKeyOption())
    .action(async (file: string, o: { url: string; adminKey?: string }) => {
      const made = await adminCall(o.url, 'POST', '_zcrm/snapshots/import', readLocal(file), o.adminKey);
      process.stdout.write(`imported org(s) ${(made.orgs as string[]).join(', ')}\n`);
    });
  snapshot
    .command('reset')
    .description('wipe every org, then import the snapshot file when one is given')
    .argument('[file]', 'snapshot file')
    .addOption(urlOption())
    .addOption(adminKeyOption())
    .action(async (file: string | undefined, o: { url: string; adminKey?: string }) => {
      const made = await adminCall(o.url, 'POST', '_zcrm/reset', file ? { snapshot: readLocal(file) } : {}, o.adminKey);
      process.stdout.write(file ? `reset to ${file}: org(s) ${(made.orgs as string[]).join(', ')}\n` : 'reset: every org removed\n');
    });
}
