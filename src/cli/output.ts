/** How bulk results are shown: a progress bar on a terminal, a summary table, or one JSON object. */
import cliProgress from 'cli-progress';
import type { BulkReport, ItemResult } from '../sdk/index.js';

/** A progress bar on stderr, only when stderr is a terminal; otherwise nothing. */
export function progress(total: number, label: string): { update(done: number): void; stop(): void } {
  if (!process.stderr.isTTY || total === 0) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} ids`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

/** One result in Zoho's key order, with the id first. */
export function resultJson(r: ItemResult): Record<string, unknown> {
  return { id: r.id ?? null, code: r.code, details: r.details, message: r.message, status: r.status };
}

/** `{"data":[…], "summary":{"<done>":n,"failed":n}}` on one line. */
export function printJson(report: BulkReport, doneLabel: string): void {
  process.stdout.write(JSON.stringify({ data: report.results.map(resultJson), summary: { [doneLabel]: report.succeeded, failed: report.failed } }) + '\n');
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')).join('\n') + '\n';
}

/** Counts per outcome, then every failed id with its reason. */
export function printSummary(report: BulkReport, doneLabel: string): void {
  const groups = new Map<string, { result: string; code: string; message: string; count: number }>();
  for (const r of report.results) {
    const key = `${r.status}|${r.code}|${r.message}`;
    const g = groups.get(key) ?? { result: r.status === 'success' ? doneLabel : 'failed', code: r.code, message: r.message, count: 0 };
    g.count++;
    groups.set(key, g);
  }
  const rows = [['result', 'count', 'code', 'message'], ...[...groups.values()].map((g) => [g.result, String(g.count), g.code, g.message])];
  let out = table(rows) + `\n${doneLabel} ${report.succeeded}, failed ${report.failed}, total ${report.results.length}\n`;
  const failed = report.results.filter((r) => r.status !== 'success');
  if (failed.length > 0) out += '\nfailed ids:\n' + table([['id', 'code', 'message'], ...failed.map((r) => [r.id ?? '-', r.code, r.message])]);
  process.stdout.write(out);
}

/** Exit code 1 when any item failed. */
export function finish(report: BulkReport): void {
  if (report.failed > 0) process.exitCode = 1;
}
