/**
 * Names the Zoho operation a call is (`related_records.delink`, `records.insert`, …), its module
 * and the scopes that would satisfy it, from the method and URL alone — for fault matching,
 * credit costs and the request log. The handlers decide what actually happens.
 */
import { lookupModule } from '../zoho/modules.js';
import { SATISFIES, type Operation } from '../zoho/scopes.js';
import { VERSION_RE } from './crm-api.js';
import { decodeSegmentOrRaw } from './request.js';

export interface CallDescription {
  api: 'crm' | 'oauth';
  method: string;
  /** The path, without the query string. */
  path: string;
  query: URLSearchParams;
  /** The `{version}` of `/crm/{version}/…` (empty for accounts calls). */
  version: string;
  /** Path segments after `/crm/{version}/`, still URL-encoded. */
  segments: string[];
  operation: string;
  /** Canonical module API name, when the path names a known module. */
  module?: string;
  /** Any one of these scopes allows the operation (empty when not scope-checked). */
  scopes: string[];
}

const RECORD_OPS: Record<string, [string, Operation]> = {
  GET: ['records.list', 'read'], POST: ['records.insert', 'create'], PUT: ['records.update', 'update'], DELETE: ['records.delete', 'delete'],
};
const RELATED_OPS: Record<string, [string, Operation]> = {
  GET: ['related_records.list', 'read'], PUT: ['related_records.link', 'link'], DELETE: ['related_records.delink', 'delink'],
};

const scopeLists = new Map<string, Map<Operation, string[]>>();

/** The scopes allowing an operation on a module (the same list object every time: callers only read it). */
function moduleScopes(scopeName: string, op: Operation): string[] {
  let byOp = scopeLists.get(scopeName);
  if (!byOp) scopeLists.set(scopeName, (byOp = new Map()));
  let list = byOp.get(op);
  if (!list) {
    list = ['ZohoCRM.modules.ALL', ...SATISFIES[op].map((t) => `ZohoCRM.modules.${scopeName}.${t.toUpperCase()}`)];
    byOp.set(op, list);
  }
  return list;
}

function describeCrm(method: string, segments: string[]): Pick<CallDescription, 'operation' | 'module' | 'scopes'> {
  const m = method === 'HEAD' ? 'GET' : method;
  const [head, second] = segments;
  if (head === 'settings' && second) {
    return { operation: `settings.${second}`, scopes: ['ZohoCRM.settings.ALL', `ZohoCRM.settings.${second}.ALL`, `ZohoCRM.settings.${second}.READ`] };
  }
  if (head === 'users' || head === 'org') return { operation: `${head}.get`, scopes: [`ZohoCRM.${head}.ALL`, `ZohoCRM.${head}.READ`] };
  const found = head ? lookupModule(decodeSegmentOrRaw(head)) : undefined;
  const module = found?.kind === 'ok' ? found.module : undefined;
  const n = segments.length;
  const entry = n >= 1 && n <= 2 ? RECORD_OPS[m] : n >= 3 && n <= 4 ? RELATED_OPS[m] : undefined;
  if (!entry) return { operation: 'unknown', module: module?.apiName, scopes: [] };
  let operation = entry[0];
  if (operation === 'records.list' && n === 2) operation = 'records.get';
  if (operation === 'related_records.list' && n === 4) operation = 'related_records.get';
  return { operation, module: module?.apiName, scopes: module ? moduleScopes(module.scopeName, entry[1]) : [] };
}

/** The query of every call without one: read by handlers and the request log, never changed. */
const NO_QUERY = new URLSearchParams();

/** Describes a call to Zoho's API or accounts endpoints; undefined for anything else. */
export function describeCall(method: string, rawUrl: string): CallDescription | undefined {
  const q = rawUrl.indexOf('?');
  const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const query = q === -1 || q === rawUrl.length - 1 ? NO_QUERY : new URLSearchParams(rawUrl.slice(q + 1));
  if (path.startsWith('/oauth/')) {
    const operation = path.startsWith('/oauth/v2/token/revoke') ? 'oauth.revoke' : path.startsWith('/oauth/v2/token') ? 'oauth.token' : 'oauth.auth';
    return { api: 'oauth', method, path, query, version: '', segments: [], operation, scopes: [] };
  }
  if (!path.startsWith('/crm/')) return undefined;
  const parts = path.split('/').slice(2);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  const version = parts.shift() ?? '';
  if (!VERSION_RE.test(version)) return { api: 'crm', method, path, query, version, segments: parts, operation: 'unknown', scopes: [] };
  return { api: 'crm', method, path, query, version, segments: parts, ...describeCrm(method, parts) };
}
