/**
 * The CRM API route table: which Zoho operation a `/crm/{version}/…` path is.
 * The URL pattern is checked first, then each handler checks, in order: method → auth →
 * module (+ related list) → scope → ids and body → permission → parent record → per-id (SPEC §4.1).
 */
import { errors } from '../zoho/errors.js';
import type { ApiResult, AppContext } from './context.js';
import { records } from './records.js';
import { relatedRecords } from './related-records.js';
import type { ApiRequest } from './request.js';
import { org, settings, users } from './settings.js';

/** v2 is the reference; later versions are accepted where the shapes are the same (SPEC §1). */
export const VERSION_RE = /^v(2|2\.1|2\.2|[3-8])$/;

/** Module-level sub-resources this server does not serve; they answer INVALID_URL_PATTERN. */
const RESERVED = new Set(['upsert', 'search', 'deleted', 'actions', 'mass_update', 'bulk']);

export type Handler = (ctx: AppContext, req: ApiRequest) => Promise<ApiResult>;

export function routeCrm(segments: string[]): Handler {
  const n = segments.length;
  if (n === 0 || segments.some((s) => s === '')) throw errors.invalidUrlPattern();
  const head = segments[0];
  if (head === 'settings') {
    if ((segments[1] === 'modules' || segments[1] === 'fields') && n <= 3) return settings;
    if (segments[1] === 'related_lists' && n === 2) return settings;
    throw errors.invalidUrlPattern();
  }
  if (head === 'users' && n <= 2) return users;
  if (head === 'org' && n === 1) return org;
  if (n >= 2 && RESERVED.has(segments[1].toLowerCase())) throw errors.invalidUrlPattern();
  if (n <= 2) return records;
  if (n <= 4) return relatedRecords;
  throw errors.invalidUrlPattern();
}
