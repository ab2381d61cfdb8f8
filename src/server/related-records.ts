/**
 * Related records: delink (the founding document), list and link.
 *   DELETE /crm/v2/{module}/{record_id}/{related_list}/{related_id}
 *   DELETE /crm/v2/{module}/{record_id}/{related_list}?ids=a,b,…   (≤100)
 *   GET    …/{related_list}[/{related_id}]
 *   PUT    …/{related_list}[/{related_id}]   {"data":[…]}
 * Called by Zoho's SDKs as RelatedRecordsOperations.delinkRecord(s), getRelatedRecords,
 * updateRelatedRecords.
 */
import type { RelationTarget } from '../store/store.js';
import { errors } from '../zoho/errors.js';
import { parseId, parseIdList } from '../zoho/ids.js';
import type { ModuleDef } from '../zoho/modules.js';
import { getModule } from '../zoho/modules.js';
import { lookupRelatedList, type RelatedListDef, type RelationDef } from '../zoho/relations.js';
import { bulkAnswer, failure, success, type ItemResult } from '../zoho/results.js';
import type { Operation } from '../zoho/scopes.js';
import { mayChange, ownerMatters, requireRight, requireScope, resolveModule } from './access.js';
import type { ApiResult, AppContext } from './context.js';
import { principalOf, type Principal } from './principal.js';
import { fieldsParam, recordView, usersOf } from './record-view.js';
import { dataItems, decodeSegmentOrRaw, intParam, jsonBody, queryAll, type ApiRequest } from './request.js';
import { lookupId, validateFieldValue } from './validate.js';

const OPERATION: Record<string, Operation> = { GET: 'read', PUT: 'link', DELETE: 'delink' };

interface Resolved {
  principal: Principal;
  module: ModuleDef;
  list: RelatedListDef;
  related: ModuleDef;
  parentId: string;
}

export async function relatedRecords(ctx: AppContext, req: ApiRequest): Promise<ApiResult> {
  const op = OPERATION[req.method];
  if (!op) throw errors.invalidRequestMethod();
  const principal = await principalOf(ctx, req);
  const module = resolveModule(req.segments[0]);
  const list = lookupRelatedList(module, decodeSegmentOrRaw(req.segments[2]));
  if (!list) throw errors.invalidRelationName();
  if (op !== 'read' && list.kind.type === 'lookup') throw errors.invalidRelationName();
  if (op === 'link' && list.kind.type === 'notes') throw errors.invalidRelationName();
  requireScope(principal, module, op);
  const parentId = parseId(req.segments[1]);
  const single = req.segments.length === 4 ? parseId(req.segments[3]) : undefined;
  const r: Resolved = { principal, module, list, related: getModule(list.module), parentId };
  if (op === 'delink') return delink(ctx, req, r, single);
  if (op === 'link') return link(ctx, req, r, single);
  return list_(ctx, req, r, single);
}


function target(r: Resolved): RelationTarget {
  if (r.list.kind.type !== 'relation') throw new Error('not a relation');
  return { relation: r.list.kind.relation.name, side: r.list.kind.side, parentId: r.parentId, relatedModule: r.related.apiName };
}

/** The caller's rights on both modules (SPEC §4.1: permission comes before the parent record). */
function checkRights(r: Resolved, action: 'delete' | 'update'): void {
  const { principal: p } = r;
  if (r.list.kind.type === 'notes') {
    requireRight(p, r.module, 'view', action);
    requireRight(p, r.related, 'delete', 'delete');
  } else {
    requireRight(p, r.module, 'edit', action);
    requireRight(p, r.related, 'view', action);
  }
}

/** The parent record exists and, under private sharing, the caller may change it. */
async function checkParent(ctx: AppContext, r: Resolved, action: 'delete' | 'update'): Promise<void> {
  const { principal: p } = r;
  const ownerId = await ctx.store.getRecordOwner(p.org.id, r.module.apiName, r.parentId);
  if (ownerId === undefined) throw errors.invalidRecordId(1);
  if (!mayChange(p, r.module, { ownerId })) throw errors.authorizationFailed(action);
}

async function delink(ctx: AppContext, req: ApiRequest, r: Resolved, single?: string): Promise<ApiResult> {
  const ids = single !== undefined ? [single] : parseIdList(queryAll(req.query, 'ids'));
  checkRights(r, 'delete');
  const orgId = r.principal.org.id;
  let items: ItemResult[];
  if (r.list.kind.type === 'notes') {
    await checkParent(ctx, r, 'delete');
    // Notes attached to the parent can be deleted through the related-list path, as Zoho's Notes API allows.
    const outcomes = await ctx.store.deleteNotesOf(orgId, r.parentId, ids);
    items = ids.map((id, i) => outcomes[i] === 'deleted'
      ? success('record deleted', { id })
      : failure('INVALID_DATA', 'the related id given seems to be invalid', { id }));
  } else {
    // A removed relation proves its parent exists (a record's relations go with it), so unless the
    // owner matters the parent is looked up only when something was not removed. A parent that does
    // not exist has no relations: the delink changed nothing and the answer is the same error.
    const deferred = !ownerMatters(r.principal, r.module);
    if (!deferred) await checkParent(ctx, r, 'delete');
    const outcomes = await ctx.store.delinkRelated(orgId, target(r), ids);
    if (deferred && outcomes.some((o) => o !== 'removed')) await checkParent(ctx, r, 'delete');
    items = ids.map((id, i) => {
      if (outcomes[i] === 'removed') return success('relation removed', { id });
      if (outcomes[i] === 'not_linked') return failure('INVALID_DATA', 'relation not found', { id });
      return failure('INVALID_DATA', 'the related id given seems to be invalid', { id });
    });
  }
  return bulkAnswer(items);
}

async function link(ctx: AppContext, req: ApiRequest, r: Resolved, single?: string): Promise<ApiResult> {
  const relation = (r.list.kind as { relation: RelationDef }).relation;
  const raw = single !== undefined ? singleLinkItems(req) : dataItems(req);
  checkRights(r, 'update');
  await checkParent(ctx, r, 'update');
  const results: (ItemResult | undefined)[] = [];
  const valid: { index: number; id: string; data: Record<string, unknown> }[] = [];
  raw.forEach((item, index) => {
    const checked = checkLinkItem(item, index, relation, single);
    if ('error' in checked) results[index] = checked.error;
    else valid.push({ index, ...checked });
  });
  const outcomes = await ctx.store.linkRelated(r.principal.org.id, target(r), valid, ctx.clock.now());
  valid.forEach((v, i) => {
    results[v.index] = outcomes[i] === 'linked'
      ? success('relation updated', { id: v.id })
      : failure('INVALID_DATA', 'the related id given seems to be invalid', { id: v.id });
  });
  const items = results as ItemResult[];
  return bulkAnswer(items);
}

/** `PUT …/{related_list}/{related_id}`: the body is optional when the relation carries no data. */
function singleLinkItems(req: ApiRequest): unknown[] {
  if (jsonBody(req) === undefined) return [{}];
  const items = dataItems(req, 1);
  return items;
}

function checkLinkItem(
  item: unknown, index: number, relation: RelationDef, single?: string,
): { id: string; data: Record<string, unknown> } | { error: ItemResult } {
  const path = (name: string) => `$.data[${index}].${name}`;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { error: failure('INVALID_DATA', 'invalid data', { expected_data_type: 'jsonobject', json_path: `$.data[${index}]` }) };
  }
  const obj = item as Record<string, unknown>;
  let id = single;
  if (id === undefined) {
    if (obj.id === undefined || obj.id === null || obj.id === '') {
      return { error: failure('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'id', json_path: path('id') }) };
    }
    id = lookupId(obj.id);
    if (id === undefined || typeof obj.id === 'object') {
      return { error: failure('INVALID_DATA', 'invalid data', { api_name: 'id', json_path: path('id'), expected_data_type: 'bigint' }) };
    }
  }
  const data: Record<string, unknown> = {};
  for (const field of relation.fields) {
    const value = obj[field.apiName];
    if (value === undefined || value === null) {
      if (field.mandatory) {
        return { error: failure('MANDATORY_NOT_FOUND', 'required field not found', { api_name: field.apiName, json_path: path(field.apiName) }) };
      }
      continue;
    }
    const problem = validateFieldValue(field, value, path(field.apiName));
    if (problem) return { error: problem };
    data[field.apiName] = value;
  }
  return { id, data };
}

async function list_(ctx: AppContext, req: ApiRequest, r: Resolved, single?: string): Promise<ApiResult> {
  const p = r.principal;
  requireRight(p, r.module, 'view', 'read');
  requireRight(p, r.related, 'view', 'read');
  const page = intParam(req.query, 'page', 1);
  const perPage = intParam(req.query, 'per_page', 200, 200);
  const fields = fieldsParam(req.query);
  const parent = (await ctx.store.getRecords(p.org.id, r.module.apiName, [r.parentId])).get(r.parentId);
  if (!parent) throw errors.invalidRecordId(1);
  const offset = single !== undefined ? 0 : (page - 1) * perPage;
  const limit = single !== undefined ? 1 : perPage + 1;
  const orgId = p.org.id;
  let rows: { record: import('../store/store.js').StoredRecord; extra: Record<string, unknown> }[];
  const kind = r.list.kind;
  if (kind.type === 'relation') {
    rows = (await ctx.store.listRelated(orgId, target(r), offset, limit, single)).map((x) => ({ record: x.record, extra: x.relationData }));
  } else if (kind.type === 'notes') {
    const notes = await ctx.store.listNotes(orgId, r.parentId, offset, single !== undefined ? 10_000 : limit);
    rows = notes.filter((n) => single === undefined || n.id === single).map((record) => ({ record, extra: {} }));
  } else {
    const found = await ctx.store.listByLookup(orgId, r.related.apiName, kind.field, r.parentId, offset, single !== undefined ? 10_000 : limit);
    rows = found.filter((n) => single === undefined || n.id === single).map((record) => ({ record, extra: {} }));
  }
  if (rows.length === 0) return { status: 204 };
  const more = single === undefined && rows.length > perPage;
  const pageRows = more ? rows.slice(0, perPage) : rows;
  const users = await usersOf(ctx.store, orgId);
  const data = pageRows.map((x) => recordView(x.record, users, x.extra, fields));
  if (single !== undefined) return { status: 200, body: { data } };
  return { status: 200, body: { data, info: { per_page: perPage, count: data.length, page, more_records: more } } };
}
