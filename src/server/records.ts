/**
 * The Records API around the relations: insert, get, list, update and delete
 * (`/crm/v2/{module}` and `/crm/v2/{module}/{id}`).
 */
import type { StoredRecord } from '../store/store.js';
import { errors } from '../zoho/errors.js';
import { parseId, parseIdList } from '../zoho/ids.js';
import { getModule, lookupModule, type ModuleDef } from '../zoho/modules.js';
import { bulkAnswer, failure, success, type ItemResult } from '../zoho/results.js';
import type { Operation } from '../zoho/scopes.js';
import { mayChange, requireRight, requireScope, resolveModule } from './access.js';
import type { ApiResult, AppContext } from './context.js';
import { principalOf, type Principal } from './principal.js';
import { auditDetails, fieldsParam, recordView, usersOf, type UserMap } from './record-view.js';
import { dataItems, intParam, queryAll, type ApiRequest } from './request.js';
import { lookupId, validateFieldValue } from './validate.js';

const OPERATION: Record<string, Operation> = { GET: 'read', POST: 'create', PUT: 'update', DELETE: 'delete' };

export async function records(ctx: AppContext, req: ApiRequest): Promise<ApiResult> {
  const single = req.segments.length === 2;
  const op = OPERATION[req.method];
  if (!op || (single && op === 'create')) throw errors.invalidRequestMethod();
  const p = await principalOf(ctx, req);
  const module = resolveModule(req.segments[0]);
  requireScope(p, module, op);
  const id = single ? parseId(req.segments[1]) : undefined;
  switch (op) {
    case 'read': return id !== undefined ? getOne(ctx, req, p, module, id) : list(ctx, req, p, module);
    case 'create': return insert(ctx, req, p, module);
    case 'update': return update(ctx, req, p, module, id);
    default: return remove(ctx, req, p, module, id);
  }
}

async function getOne(ctx: AppContext, req: ApiRequest, p: Principal, module: ModuleDef, id: string): Promise<ApiResult> {
  requireRight(p, module, 'view', 'read');
  const record = (await ctx.store.getRecords(p.org.id, module.apiName, [id])).get(id);
  // v2 answers an unknown id with 204 No Content (decided).
  if (!record) return { status: 204 };
  const users = await usersOf(ctx.store, p.org.id);
  return { status: 200, body: { data: [recordView(record, users, {}, fieldsParam(req.query))] } };
}

async function list(ctx: AppContext, req: ApiRequest, p: Principal, module: ModuleDef): Promise<ApiResult> {
  const ids = queryAll(req.query, 'ids') ? parseIdList(queryAll(req.query, 'ids'), 100) : undefined;
  requireRight(p, module, 'view', 'read');
  const page = intParam(req.query, 'page', 1);
  const perPage = intParam(req.query, 'per_page', 200, 200);
  const sortByRaw = req.query.get('sort_by');
  const sortBy = sortByRaw === 'Created_Time' || sortByRaw === 'Modified_Time' || sortByRaw === 'id' ? sortByRaw : undefined;
  if (sortByRaw && !sortBy) throw errors.invalidParam('sort_by');
  const orderRaw = req.query.get('sort_order');
  if (orderRaw && orderRaw !== 'asc' && orderRaw !== 'desc') throw errors.invalidParam('sort_order');
  const rows = await ctx.store.listRecords(p.org.id, module.apiName, {
    offset: (page - 1) * perPage, limit: perPage + 1, sortBy, sortOrder: (orderRaw ?? 'desc') as 'asc' | 'desc', ids,
  });
  if (rows.length === 0) return { status: 204 };
  const more = rows.length > perPage;
  const users = await usersOf(ctx.store, p.org.id);
  const fields = fieldsParam(req.query);
  const data = rows.slice(0, perPage).map((r) => recordView(r, users, {}, fields));
  return { status: 200, body: { data, info: { per_page: perPage, count: data.length, page, more_records: more } } };
}

interface Built {
  data: Record<string, unknown>;
  ownerId: string;
  parentId: string | null;
}

/** Checks one input record against the module's fields and resolves its lookups. */
async function build(
  ctx: AppContext, p: Principal, module: ModuleDef, item: unknown, index: number, users: UserMap, existing?: StoredRecord,
): Promise<Built | ItemResult> {
  const path = (name: string) => `$.data[${index}].${name}`;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return failure('INVALID_DATA', 'invalid data', { expected_data_type: 'jsonobject', json_path: `$.data[${index}]` });
  }
  const obj = item as Record<string, unknown>;
  const data: Record<string, unknown> = existing ? { ...existing.data } : {};
  let ownerId = existing?.ownerId ?? p.user.id;
  let parentId = existing?.parentId ?? null;
  for (const field of module.fields) {
    if (field.readOnly || field.apiName === 'Full_Name') continue;
    const value = obj[field.apiName];
    const missing = value === undefined || value === null || value === '';
    if (missing) {
      if (field.mandatory && (!existing || value !== undefined)) {
        return failure('MANDATORY_NOT_FOUND', 'required field not found', { api_name: field.apiName, json_path: path(field.apiName) });
      }
      if (value !== undefined && field.apiName !== 'Owner') data[field.apiName] = null;
      continue;
    }
    if (field.dataType === 'ownerlookup') {
      const uid = lookupId(value);
      if (!uid || !users.has(uid)) return failure('INVALID_DATA', 'invalid data', { api_name: field.apiName, json_path: path(field.apiName) });
      ownerId = uid;
      continue;
    }
    if (field.dataType === 'lookup') {
      // A note's parent is named by Parent_Id and se_module together; both are mandatory (SPEC §5).
      const se = obj.se_module ?? obj.$se_module;
      if (module.apiName === 'Notes' && field.apiName === 'Parent_Id' && (se === undefined || se === null || se === '')) {
        return failure('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'se_module', json_path: path('se_module') });
      }
      const resolved = await resolveLookup(ctx, p, module, field.apiName, value, obj);
      if (!resolved) return failure('INVALID_DATA', 'invalid data', { api_name: field.apiName, json_path: path(field.apiName), id: lookupId(value) ?? null });
      data[field.apiName] = resolved.ref;
      if (module.apiName === 'Notes') {
        parentId = resolved.ref.id;
        data.$se_module = resolved.module;
      }
      continue;
    }
    const problem = validateFieldValue(field, value, path(field.apiName));
    if (problem) return problem;
    data[field.apiName] = value;
  }
  if (module.apiName === 'Leads' || module.apiName === 'Contacts') {
    data.Full_Name = [data.First_Name, data.Last_Name].filter((x) => typeof x === 'string' && x !== '').join(' ');
  }
  return { data, ownerId, parentId };
}

async function resolveLookup(
  ctx: AppContext, p: Principal, module: ModuleDef, apiName: string, value: unknown, obj: Record<string, unknown>,
): Promise<{ ref: { name: string; id: string }; module: string } | undefined> {
  const id = lookupId(value);
  if (!id) return undefined;
  let targetName = module.fields.find((f) => f.apiName === apiName)?.lookup;
  if (module.apiName === 'Notes' && apiName === 'Parent_Id') {
    const se = obj.se_module ?? obj.$se_module;
    if (typeof se !== 'string') return undefined;
    const found = lookupModule(se);
    if (found.kind !== 'ok' || found.module.apiName === 'Notes') return undefined;
    targetName = found.module.apiName;
  }
  if (!targetName) return undefined;
  const target = getModule(targetName);
  const record = (await ctx.store.getRecords(p.org.id, target.apiName, [id])).get(id);
  if (!record) return undefined;
  const name = target.nameField ? record.data[target.nameField] : undefined;
  return { ref: { name: typeof name === 'string' ? name : '', id }, module: target.apiName };
}

async function insert(ctx: AppContext, req: ApiRequest, p: Principal, module: ModuleDef): Promise<ApiResult> {
  const items = dataItems(req);
  requireRight(p, module, 'create', 'create');
  const users = await usersOf(ctx.store, p.org.id);
  const built = await Promise.all(items.map((item, i) => build(ctx, p, module, item, i, users)));
  const ok = built.filter((b): b is Built => 'data' in b);
  const ids = ok.length > 0 ? await ctx.store.allocateIds(p.org.id, ok.length) : [];
  const now = ctx.clock.now();
  const stored = ok.map((b, i): StoredRecord => ({
    id: ids[i], module: module.apiName, ownerId: b.ownerId, createdBy: p.user.id, modifiedBy: p.user.id,
    createdAt: now, modifiedAt: now, parentId: b.parentId, data: b.data,
  }));
  await ctx.store.insertRecords(p.org.id, stored);
  let next = 0;
  const results = built.map((b) => ('data' in b ? success('record added', auditDetails(stored[next++], users)) : b));
  return bulkAnswer(results, 201);
}

async function update(ctx: AppContext, req: ApiRequest, p: Principal, module: ModuleDef, id?: string): Promise<ApiResult> {
  const items = dataItems(req, id !== undefined ? 1 : 100);
  requireRight(p, module, 'edit', 'update');
  const users = await usersOf(ctx.store, p.org.id);
  const ids = items.map((item) => id ?? (typeof item === 'object' && item !== null ? lookupId((item as Record<string, unknown>).id) : undefined));
  const existing = await ctx.store.getRecords(p.org.id, module.apiName, ids.filter((x): x is string => x !== undefined));
  const now = ctx.clock.now();
  const results: ItemResult[] = [];
  const updates: { index: number; id: string; data: Record<string, unknown>; ownerId: string; modifiedBy: string; modifiedAt: number }[] = [];
  for (let i = 0; i < items.length; i++) {
    const rid = ids[i];
    if (rid === undefined) {
      const given = typeof items[i] === 'object' && items[i] !== null ? (items[i] as Record<string, unknown>).id : undefined;
      results[i] = given === undefined || given === null || given === ''
        ? failure('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'id', json_path: `$.data[${i}].id` })
        : failure('INVALID_DATA', 'invalid data', { api_name: 'id', json_path: `$.data[${i}].id`, expected_data_type: 'bigint' });
      continue;
    }
    const current = existing.get(rid);
    if (!current) {
      results[i] = failure('INVALID_DATA', 'the id given seems to be invalid', { id: rid });
      continue;
    }
    if (!mayChange(p, module, current)) {
      results[i] = failure('AUTHORIZATION_FAILED', 'User does not have sufficient privilege to update records data', { id: rid });
      continue;
    }
    const b = await build(ctx, p, module, items[i], i, users, current);
    if (!('data' in b)) {
      results[i] = b;
      continue;
    }
    updates.push({ index: i, id: rid, data: b.data, ownerId: b.ownerId, modifiedBy: p.user.id, modifiedAt: now });
  }
  const done = await ctx.store.updateRecords(p.org.id, module.apiName, updates);
  updates.forEach((u, k) => {
    const current = existing.get(u.id)!;
    results[u.index] = done[k]
      ? success('record updated', auditDetails({ ...current, modifiedAt: now, modifiedBy: p.user.id }, users))
      : failure('INVALID_DATA', 'the id given seems to be invalid', { id: u.id });
  });
  return bulkAnswer(results);
}

async function remove(ctx: AppContext, req: ApiRequest, p: Principal, module: ModuleDef, id?: string): Promise<ApiResult> {
  // The Records API answers a missing `ids` with REQUIRED_PARAM_MISSING (ZOHO-FACTS §4), where the
  // related-records delink of the seed answers MANDATORY_NOT_FOUND.
  const ids = id !== undefined ? [id] : parseIdList(queryAll(req.query, 'ids'), 100, () => errors.requiredParamMissing('ids', 'param_name'));
  requireRight(p, module, 'delete', 'delete');
  const existing = await ctx.store.getRecords(p.org.id, module.apiName, ids);
  const allowed = ids.filter((rid) => {
    const rec = existing.get(rid);
    return rec !== undefined && mayChange(p, module, rec);
  });
  const done = await ctx.store.deleteRecords(p.org.id, module.apiName, allowed);
  const deleted = new Map<string, boolean>();
  allowed.forEach((rid, k) => deleted.set(rid, (deleted.get(rid) ?? false) || done[k]));
  const seen = new Set<string>();
  const results = ids.map((rid) => {
    const rec = existing.get(rid);
    if (rec && !mayChange(p, module, rec)) {
      return failure('AUTHORIZATION_FAILED', 'User does not have sufficient privilege to delete records data', { id: rid });
    }
    const ok = deleted.get(rid) === true && !seen.has(rid);
    seen.add(rid);
    return ok ? success('record deleted', { id: rid }) : failure('INVALID_DATA', 'the id given seems to be invalid', { id: rid });
  });
  return bulkAnswer(results);
}
