/** `client.records(module)`: insert, get, list, update and delete records of one module. */
import { chunks, failureOf, itemResults, report, runChunked, type BulkOptions, type BulkReport } from './bulk.js';
import { assertExactNumbers, toId, type IdLike } from './ids.js';
import { Pageable, type ZohoRecord } from './pages.js';
import type { Transport } from './transport.js';

export class Records extends Pageable {
  constructor(t: Transport, module: string, private readonly concurrency: number) {
    super(t, encodeURIComponent(module));
  }

  /**
   * Inserts any number of records (requests of at most 100); each result's `id` is the new id.
   *
   * @example
   * const r = await client.records('Contacts').insert([{ Last_Name: 'Boyle' }, { Last_Name: 'Smith' }]);
   * const ids = r.results.map((x) => x.id);
   */
  async insert(records: Record<string, unknown>[], options: BulkOptions = {}): Promise<BulkReport> {
    return this.bulkBody('POST', records, () => undefined, options);
  }

  /**
   * Updates records; each needs its `id`.
   *
   * @example
   * await client.records('Leads').update([{ id: '3652397000000900001', Last_Name: 'Doe' }]);
   */
  async update(records: ({ id: IdLike } & Record<string, unknown>)[], options: BulkOptions = {}): Promise<BulkReport> {
    const items = records.map((r, i) => ({ ...r, id: toId(r.id, `record #${i + 1} id`) }));
    return this.bulkBody('PUT', items, (item) => item.id as string, options);
  }

  /**
   * Deletes records by id, 100 per request; one result per id in input order.
   *
   * @example
   * const r = await client.records('Leads').delete(['3652397000000900001']);
   */
  async delete(ids: Iterable<IdLike>, options: BulkOptions = {}): Promise<BulkReport> {
    const list = [...ids].map((id, i) => toId(id, `id #${i + 1}`));
    const results = await runChunked(chunks(list), options.concurrency ?? this.concurrency, async (group) => {
      try {
        const res = await this.t.call({ method: 'DELETE', path: this.path, query: { ids: group.join(',') } });
        return itemResults(res.body, group.length, (i) => group[i]);
      } catch (e) {
        return group.map((id) => failureOf(id, e));
      }
    }, options.onProgress);
    return report(results);
  }

  /**
   * One record, or undefined when there is none with this id.
   *
   * @example
   * const lead = await client.records('Leads').get('3652397000000900001');
   */
  async get(id: IdLike, options: { fields?: string[] } = {}): Promise<ZohoRecord | undefined> {
    const res = await this.t.call({ method: 'GET', path: `${this.path}/${toId(id)}`, query: { fields: options.fields?.join(',') || undefined } });
    return (res.body as { data?: ZohoRecord[] } | undefined)?.data?.[0];
  }

  private async bulkBody(
    method: 'POST' | 'PUT', items: Record<string, unknown>[], idOf: (item: Record<string, unknown>) => string | undefined, options: BulkOptions,
  ): Promise<BulkReport> {
    assertExactNumbers(items, '$.data'); // refused before the first request, not chunk by chunk
    const results = await runChunked(chunks(items), options.concurrency ?? this.concurrency, async (group) => {
      try {
        const res = await this.t.call({ method, path: this.path, body: { data: group } });
        return itemResults(res.body, group.length, (i) => idOf(group[i]));
      } catch (e) {
        return group.map((g) => failureOf(idOf(g), e));
      }
    }, options.onProgress);
    return report(results);
  }
}
