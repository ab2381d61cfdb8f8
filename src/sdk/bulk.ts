/**
 * Bulk calls: split the input into requests of at most 100 (Zoho's limit per call), run them
 * with bounded concurrency, and put every answer back in input order — failures included.
 */
import { ZcrmApiError, ZcrmError } from './errors.js';

/** One item's outcome, as Zoho reports it, with the id it concerns. */
export interface ItemResult {
  /** The id the item concerns (the new id for an insert); undefined when a failed insert has none. */
  id: string | undefined;
  status: 'success' | 'error';
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** The outcome of a bulk call: one result per input item, in input order. */
export interface BulkReport {
  results: ItemResult[];
  succeeded: number;
  failed: number;
}

export interface BulkOptions {
  /** Requests in flight at once (default: the client's `concurrency`, 3 unless set). */
  concurrency?: number;
  /** Called after each request with the number of items answered so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Zoho's limit of ids or records per call. */
export const CHUNK = 100;

export function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A failure for an item the request never reached, or whose request failed as a whole. */
export function failureOf(id: string | undefined, e: unknown): ItemResult {
  if (e instanceof ZcrmApiError) return { id, status: 'error', code: e.code, message: e.zohoMessage, details: e.details };
  const code = e instanceof ZcrmError ? e.name.replace(/^Zcrm/, '').replace(/Error$/, '').toUpperCase() + '_ERROR' : 'CLIENT_ERROR';
  return { id, status: 'error', code, message: (e as Error)?.message ?? String(e), details: {} };
}

/** Reads Zoho's per-item answers; `fallbackId(i)` names the i-th item when its details carry no id. */
export function itemResults(body: unknown, count: number, fallbackId: (i: number) => string | undefined): ItemResult[] {
  const data = body && typeof body === 'object' && Array.isArray((body as { data?: unknown }).data) ? (body as { data: unknown[] }).data : [];
  const out: ItemResult[] = [];
  for (let i = 0; i < count; i++) {
    const item = (data[i] ?? undefined) as Record<string, unknown> | undefined;
    if (!item || typeof item !== 'object') {
      out.push({ id: fallbackId(i), status: 'error', code: 'NO_RESULT', message: 'the server sent no result for this item', details: {} });
      continue;
    }
    const details = (item.details && typeof item.details === 'object' ? item.details : {}) as Record<string, unknown>;
    const detailId = typeof details.id === 'string' ? details.id : undefined;
    out.push({
      id: fallbackId(i) ?? detailId,
      status: item.status === 'success' ? 'success' : 'error',
      code: String(item.code ?? ''),
      message: String(item.message ?? ''),
      details,
    });
  }
  return out;
}

/**
 * Runs `worker` on every chunk, at most `concurrency` at a time, and concatenates the
 * results in chunk order whatever order the requests finish in.
 */
export async function runChunked<T>(
  groups: T[][], concurrency: number, worker: (group: T[]) => Promise<ItemResult[]>, onProgress?: (done: number, total: number) => void,
): Promise<ItemResult[]> {
  const total = groups.reduce((n, g) => n + g.length, 0);
  const out: ItemResult[][] = new Array(groups.length);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < groups.length) {
      const i = next++;
      out[i] = await worker(groups[i]);
      done += groups[i].length;
      onProgress?.(done, total);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, groups.length)) }, lane));
  return out.flat();
}

export function report(results: ItemResult[]): BulkReport {
  const succeeded = results.filter((r) => r.status === 'success').length;
  return { results, succeeded, failed: results.length - succeeded };
}
