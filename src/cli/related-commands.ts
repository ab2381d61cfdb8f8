/** `delink`, `link` and `related`: one record's related list, through the SDK's client. */
import type { Command } from 'commander';
import type { ListOptions, Page } from '../sdk/index.js';
import { addApiOptions, clientFrom, relatedPath, type ApiFlags } from './api-options.js';
import { idsFrom } from './ids-input.js';
import { opt } from './options.js';
import { finish, printJson, printSummary, progress } from './output.js';

interface BulkFlags extends ApiFlags {
  ids?: string;
  idsFile?: string;
  json?: boolean;
}

const idsOptions = (cmd: Command) => cmd
  .addOption(opt('--ids <ids>', 'related record ids, comma-separated'))
  .addOption(opt('--ids-file <file>', 'file of ids separated by newlines and/or commas; - reads standard input'))
  .addOption(opt('--json', 'print one JSON object {"data":[per-id results in input order],"summary":{…}}'));

export function registerRelatedCommands(program: Command): void {
  addApiOptions(idsOptions(program
    .command('delink')
    .description('remove relations: any number of ids, 100 per request; exit code 1 when any id failed')
    .argument('<path>', '<Module>/<record_id>/<RelatedList>, e.g. Campaigns/3652397000000327001/Contacts')))
    .action(async (path: string, o: BulkFlags, cmd: Command) => {
      const p = relatedPath(path);
      const related = clientFrom(o, cmd).relatedRecords(p.module, p.id, p.relatedList);
      const ids = await idsFrom(o);
      const bar = progress(ids.length, 'delink');
      const report = await related.delink(ids, { onProgress: (done) => bar.update(done) }).finally(() => bar.stop());
      if (o.json) printJson(report, 'removed');
      else printSummary(report, 'removed');
      finish(report);
    });

  addApiOptions(idsOptions(program
    .command('link')
    .description('link records: any number of ids, 100 per request; exit code 1 when any id failed')
    .argument('<path>', '<Module>/<record_id>/<RelatedList>')
    .addOption(opt('--data <json>', 'relation fields for every id, e.g. \'{"Member_Status":"Sent"}\' or \'{"list_price":10}\''))))
    .action(async (path: string, o: BulkFlags & { data?: string }, cmd: Command) => {
      const p = relatedPath(path);
      const fields = o.data === undefined ? {} : parseObject(o.data, '--data');
      const related = clientFrom(o, cmd).relatedRecords(p.module, p.id, p.relatedList);
      const ids = await idsFrom(o);
      const bar = progress(ids.length, 'link');
      const report = await related.link(ids.map((id) => ({ ...fields, id })), { onProgress: (done) => bar.update(done) }).finally(() => bar.stop());
      if (o.json) printJson(report, 'linked');
      else printSummary(report, 'linked');
      finish(report);
    });

  addApiOptions(listOptions(program
    .command('related')
    .description('list related records: one page as JSON, or --all as JSON lines (one record per line)')
    .argument('<path>', '<Module>/<record_id>/<RelatedList>')))
    .action(async (path: string, o: ListFlags, cmd: Command) => {
      const p = relatedPath(path);
      const related = clientFrom(o, cmd).relatedRecords(p.module, p.id, p.relatedList);
      await printList(o, (n, lo) => related.page(n, lo), (lo) => related.list(lo));
    });
}

export interface ListFlags extends ApiFlags {
  page: string;
  perPage: string;
  fields?: string;
  all?: boolean;
}

export const listOptions = (cmd: Command) => cmd
  .addOption(opt('--page <n>', 'page to print', undefined, '1'))
  .addOption(opt('--per-page <n>', 'records per page (at most 200)', undefined, '200'))
  .addOption(opt('--fields <names>', 'field API names, comma-separated'))
  .addOption(opt('--all', 'every page, streamed as JSON lines'));

function positive(raw: string, name: string, max?: number): number {
  const n = Number(raw);
  if (!/^[0-9]+$/.test(raw) || n < 1 || (max !== undefined && n > max)) throw new Error(`${name} must be an integer from 1${max ? ` to ${max}` : ''}`);
  return n;
}

/** One page as `{"data","info"}`, or with --all every record as a JSON line, written as it arrives. */
export async function printList(
  o: ListFlags, page: (n: number, lo: ListOptions) => Promise<Page>, all: (lo: ListOptions) => AsyncIterable<unknown>,
): Promise<void> {
  const lo: ListOptions = { perPage: positive(o.perPage, '--per-page', 200), fields: o.fields ? o.fields.split(',').map((f) => f.trim()).filter(Boolean) : undefined };
  if (!o.all) {
    process.stdout.write(JSON.stringify(await page(positive(o.page, '--page'), lo)) + '\n');
    return;
  }
  for await (const record of all({ ...lo, page: positive(o.page, '--page') })) {
    if (!process.stdout.write(JSON.stringify(record) + '\n')) await new Promise((r) => process.stdout.once('drain', r));
  }
}

export function parseObject(text: string, name: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error(`${name} is not JSON`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${name} must be a JSON object`);
  return v as Record<string, unknown>;
}
