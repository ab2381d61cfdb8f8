/** Zoho's paged lists (`page`, `per_page`, `info.more_records`) as async iterators. */
import type { Transport } from './transport.js';

/** A record as the API returns it: ids are strings. */
export type ZohoRecord = Record<string, unknown> & { id: string };

export interface Page {
  data: ZohoRecord[];
  info: { page: number; per_page: number; count: number; more_records: boolean };
}

export interface ListOptions {
  /** Records per request, at most 200 (default 200). */
  perPage?: number;
  /** First page to read (default 1). */
  page?: number;
  /** Field API names to return. */
  fields?: string[];
  /** Extra query parameters, such as `sort_by`. */
  query?: Record<string, string>;
}

/** Reads one page; a 204 answer is an empty last page. */
export async function readPage(t: Transport, path: string, page: number, o: ListOptions): Promise<Page> {
  const perPage = o.perPage ?? 200;
  const res = await t.call({
    method: 'GET', path, query: { ...o.query, page, per_page: perPage, fields: o.fields?.length ? o.fields.join(',') : undefined },
  });
  if (res.status === 204 || !res.body) return { data: [], info: { page, per_page: perPage, count: 0, more_records: false } };
  const body = res.body as Partial<Page>;
  const data = Array.isArray(body.data) ? body.data : [];
  const info = body.info ?? { page, per_page: perPage, count: data.length, more_records: false };
  return { data, info };
}

/** Every page from `o.page` on, until the server says there are no more records. */
export async function* allPages(t: Transport, path: string, o: ListOptions): AsyncGenerator<Page> {
  for (let page = o.page ?? 1; ; page++) {
    const p = await readPage(t, path, page, o);
    if (p.data.length > 0) yield p;
    if (!p.info.more_records || p.data.length === 0) return;
  }
}

/** Every record of every page. */
export async function* allRecords(t: Transport, path: string, o: ListOptions): AsyncGenerator<ZohoRecord> {
  for await (const p of allPages(t, path, o)) yield* p.data;
}

/**
 * A listable path (a module's records, a record's related list): every record, every page, or one
 * page. Records and RelatedRecords add their own calls.
 */
export abstract class Pageable {
  protected constructor(protected readonly t: Transport, protected readonly path: string) {}

  /**
   * Every record, page after page.
   *
   * @example
   * for await (const lead of client.records('Leads').list({ perPage: 200 })) console.log(lead.id);
   */
  list(options: ListOptions = {}): AsyncGenerator<ZohoRecord> {
    return allRecords(this.t, this.path, options);
  }

  /**
   * Every page, with Zoho's `info`.
   *
   * @example
   * for await (const page of related.pages({ perPage: 50 })) console.log(page.info.page, page.data.length);
   */
  pages(options: ListOptions = {}): AsyncGenerator<Page> {
    return allPages(this.t, this.path, options);
  }

  /**
   * One page (default: the first).
   *
   * @example
   * const { data, info } = await client.records('Leads').page(1, { perPage: 10 });
   */
  page(page = 1, options: ListOptions = {}): Promise<Page> {
    return readPage(this.t, this.path, page, options);
  }
}
