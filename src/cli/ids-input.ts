/** Ids from `--ids a,b,c` and `--ids-file <file|->`: separated by commas, newlines or both. */
import { readFileSync } from 'node:fs';

export function splitIds(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s !== '');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a file's text, or standard input for `-`. */
export async function readInput(file: string): Promise<string> {
  return file === '-' ? readStdin() : readFileSync(file, 'utf8');
}

export async function idsFrom(o: { ids?: string; idsFile?: string }): Promise<string[]> {
  if ((o.ids === undefined) === (o.idsFile === undefined)) throw new Error('give the ids with exactly one of --ids a,b,… or --ids-file <file|->');
  const ids = o.ids !== undefined ? splitIds(o.ids) : splitIds(await readInput(o.idsFile!));
  if (ids.length === 0) throw new Error('no ids given');
  return ids;
}
