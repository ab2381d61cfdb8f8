/** `client.relatedRecords(module, id, relatedList)`: delink, link and list one record's related list. */
import { chunks, failureOf, itemResults, report, runChunked, type BulkOptions, type BulkReport, type ItemResult } from './bulk.js';
import { assertExactNumbers, idText, isZohoId, toId, type IdLike } from './ids.js';
import { Pageable, type ZohoRecord } from './pages.js';
import type { Transport } from './transport.js';

/** The result of {@link RelatedRecords.delink}: `removed` counts the relations that are gone. */
export interface DelinkReport extends BulkReport {
  removed: number;
}

/** An item to link: an id, or an id with the relation's fields (`Member_Status`, `list_price`). */
export type LinkItem = IdLike | ({ id: IdLike } & Record<string, unknown>);

const seg = (s: string) => encodeURIComponent(s);

/** Ids as strings; the ones that are no Zoho id get a local failure and are never sent. */
function checkIds(ids: Iterable<IdLike>): { list: string[]; bad: Map<number, ItemResult> } {
  const list: string[] = [];
  const bad = new Map<number, ItemResult>();
  let i = 0;
  for (const raw of ids) {
    const text = idText(raw, `id #${i + 1}`); // throws for unsafe numbers, before any request
    list.push(text);
    if (!isZohoId(text)) {
      bad.set(i, { id: text, status: 'error', code: 'INVALID_ID', message: 'not a Zoho record id (1 to 19 digits); not sent', details: { id: text } });
    }
    i++;
  }
  return { list, bad };
}

export class RelatedRecords extends Pageable {
  constructor(t: Transport, module: string, recordId: IdLike, relatedList: string, private readonly concurrency: number) {
    super(t, `${seg(module)}/${toId(recordId, 'record id')}/${seg(relatedList)}`);
  }

  /**
   * Removes the relations to any number of related records: requests of at most 100 ids, a
   * few at a time, one result per id in input order (every failure kept).
   *
   * @example
   * const report = await client.relatedRecords('Campaigns', '3652397000000327001', 'Contacts')
   *   .delink(['3652397000000925128', 3652397000000649013n]);
   * console.log(report.removed, report.failed);
   */
  async delink(ids: Iterable<IdLike>, options: BulkOptions = {}): Promise<DelinkReport> {
    const { list, bad } = checkIds(ids);
    const sendable = list.map((id, index) => ({ id, index })).filter((x) => !bad.has(x.index));
    const sent = await runChunked(chunks(sendable), options.concurrency ?? this.concurrency, async (group) => {
      try {
        const res = await this.t.call({ method: 'DELETE', path: this.path, query: { ids: group.map((g) => g.id).join(',') } });
        return itemResults(res.body, group.length, (i) => group[i].id);
      } catch (e) {
        return group.map((g) => failureOf(g.id, e));
      }
    }, options.onProgress && ((done) => options.onProgress!(done + bad.size, list.length)));
    const results: ItemResult[] = [];
    let k = 0;
    for (let i = 0; i < list.length; i++) results.push(bad.get(i) ?? sent[k++]);
    const r = report(results);
    return { ...r, removed: r.succeeded };
  }

  /**
   * Removes one relation (`DELETE …/{related_list}/{related_id}`).
   *
   * @example
   * const result = await related.delinkOne('3652397000000925128'); // result.status === 'success'
   */
  async delinkOne(relatedId: IdLike): Promise<ItemResult> {
    const id = toId(relatedId, 'related id');
    const res = await this.t.call({ method: 'DELETE', path: `${this.path}/${id}` });
    return itemResults(res.body, 1, () => id)[0];
  }

  /**
   * Links records, with the relation's fields when given; chunked like {@link delink}.
   *
   * @example
   * await client.relatedRecords('Products', productId, 'Price_Books').link([{ id: bookId, list_price: 10 }]);
   */
  async link(items: Iterable<LinkItem>, options: BulkOptions = {}): Promise<BulkReport> {
    const bodies = [...items].map((item, i) => {
      const obj = typeof item === 'object' && item !== null && typeof item !== 'bigint' ? item : { id: item };
      return { ...obj, id: toId(obj.id as IdLike, `item #${i + 1} id`) };
    });
    assertExactNumbers(bodies, '$.data');
    const results = await runChunked(chunks(bodies), options.concurrency ?? this.concurrency, async (group) => {
      try {
        const res = await this.t.call({ method: 'PUT', path: this.path, body: { data: group } });
        return itemResults(res.body, group.length, (i) => group[i].id);
      } catch (e) {
        return group.map((g) => failureOf(g.id, e));
      }
    }, options.onProgress);
    return report(results);
  }

  /**
   * One related record, or undefined when it is not related.
   *
   * @example
   * const contact = await related.get('3652397000000925128');
   */
  async get(relatedId: IdLike): Promise<ZohoRecord | undefined> {
    const res = await this.t.call({ method: 'GET', path: `${this.path}/${toId(relatedId, 'related id')}` });
    return (res.body as { data?: ZohoRecord[] } | undefined)?.data?.[0];
  }
}
