/** `records get|list|insert|update|delete`: a module's records, through the SDK's client. */
import type { Command } from 'commander';
import { addApiOptions, clientFrom, type ApiFlags } from './api-options.js';
import { idsFrom, readInput } from './ids-input.js';
import { opt } from './options.js';
import { finish, printJson, printSummary, progress } from './output.js';
import { listOptions, printList, type ListFlags } from './related-commands.js';

/** Records from `--data <json>` or `--file <file|->`: a JSON array, `{"data":[…]}`, one object, or JSON lines. */
async function recordsFrom(o: { data?: string; file?: string }): Promise<Record<string, unknown>[]> {
  if ((o.data === undefined) === (o.file === undefined)) throw new Error('give the records with exactly one of --data <json> or --file <file|->');
  const text = o.data ?? (await readInput(o.file!));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    try {
      parsed = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
    } catch {
      throw new Error('the records are not JSON (an array, {"data":[…]}, an object, or JSON lines)');
    }
  }
  const list = Array.isArray(parsed) ? parsed : parsed && typeof parsed === 'object' && Array.isArray((parsed as { data?: unknown }).data) ? (parsed as { data: unknown[] }).data : [parsed];
  if (list.length === 0 || list.some((r) => !r || typeof r !== 'object' || Array.isArray(r))) throw new Error('every record must be a JSON object');
  return list as Record<string, unknown>[];
}

export function registerRecordsCommands(program: Command): void {
  const records = program.command('records').description('records of a module: get, list, insert, update, delete');

  addApiOptions(records.command('get').description('print one record as JSON; exit code 1 when there is none')
    .argument('<path>', '<Module>/<record_id>')
    .addOption(opt('--fields <names>', 'field API names, comma-separated')))
    .action(async (path: string, o: ApiFlags & { fields?: string }, cmd: Command) => {
      const [module, id, extra] = path.split('/');
      if (!module || !id || extra !== undefined) throw new Error(`"${path}" is not <Module>/<record_id>`);
      const record = await clientFrom(o, cmd).records(module).get(id, { fields: o.fields?.split(',') });
      if (!record) {
        process.stderr.write(`zcrm-local: no ${module} record ${id}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(JSON.stringify(record) + '\n');
    });

  addApiOptions(listOptions(records.command('list').description('list records: one page as JSON, or --all as JSON lines')
    .argument('<module>', 'module API name, e.g. Leads')))
    .action(async (module: string, o: ListFlags, cmd: Command) => {
      const r = clientFrom(o, cmd).records(module);
      await printList(o, (n, lo) => r.page(n, lo), (lo) => r.list(lo));
    });

  for (const [name, verb, done] of [['insert', 'insert', 'inserted'], ['update', 'update (each record needs its id)', 'updated']] as const) {
    addApiOptions(records.command(name).description(`${verb} any number of records, 100 per request`)
      .argument('<module>', 'module API name')
      .addOption(opt('--data <json>', 'records as JSON'))
      .addOption(opt('--file <file>', 'file of records as JSON; - reads standard input'))
      .addOption(opt('--json', 'print one JSON object {"data":[per-record results],"summary":{…}}')))
      .action(async (module: string, o: ApiFlags & { data?: string; file?: string; json?: boolean }, cmd: Command) => {
        const items = await recordsFrom(o);
        const r = clientFrom(o, cmd).records(module);
        const bar = progress(items.length, name);
        const onProgress = (n: number) => bar.update(n);
        const report = await (name === 'insert' ? r.insert(items, { onProgress }) : r.update(items as never, { onProgress })).finally(() => bar.stop());
        if (o.json) printJson(report, done);
        else printSummary(report, done);
        finish(report);
      });
  }

  addApiOptions(records.command('delete').description('delete records by id, 100 per request; exit code 1 when any failed')
    .argument('<module>', 'module API name')
    .addOption(opt('--ids <ids>', 'record ids, comma-separated'))
    .addOption(opt('--ids-file <file>', 'file of ids separated by newlines and/or commas; - reads standard input'))
    .addOption(opt('--json', 'print one JSON object')))
    .action(async (module: string, o: ApiFlags & { ids?: string; idsFile?: string; json?: boolean }, cmd: Command) => {
      const ids = await idsFrom(o);
      const r = clientFrom(o, cmd).records(module);
      const bar = progress(ids.length, 'delete');
      const report = await r.delete(ids, { onProgress: (n) => bar.update(n) }).finally(() => bar.stop());
      if (o.json) printJson(report, 'deleted');
      else printSummary(report, 'deleted');
      finish(report);
    });
}
