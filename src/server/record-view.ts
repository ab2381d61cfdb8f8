import type { Store, StoredRecord, User } from '../store/store.js';
import { formatZohoTime } from '../zoho/time.js';

export type UserMap = Map<string, User>;

export async function usersOf(store: Store, orgId: string): Promise<UserMap> {
  return new Map((await store.listUsers(orgId)).map((u) => [u.id, u]));
}

export function userRef(users: UserMap, id: string): { name: string; id: string; email: string } {
  const u = users.get(id);
  return { name: u?.name ?? '', id, email: u?.email ?? '' };
}

/**
 * A stored record as Zoho prints it: the fields, the owner and audit lookups, times with an
 * offset, and ids as strings. With `fields`, only those (and `id`) are kept.
 */
export function recordView(
  record: StoredRecord, users: UserMap, extra: Record<string, unknown> = {}, fields?: Set<string>,
): Record<string, unknown> {
  const full: Record<string, unknown> = {
    Owner: userRef(users, record.ownerId),
    ...record.data,
    ...(record.module === 'Notes' ? { $se_module: record.data.$se_module ?? null } : {}),
    Created_Time: formatZohoTime(record.createdAt),
    Modified_Time: formatZohoTime(record.modifiedAt),
    Created_By: userRef(users, record.createdBy),
    Modified_By: userRef(users, record.modifiedBy),
    $approved: true,
    $editable: true,
    ...extra,
    id: record.id,
  };
  if (!fields) return full;
  const picked: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(full)) if (fields.has(k) || k === 'id') picked[k] = v;
  return picked;
}

export function fieldsParam(query: URLSearchParams): Set<string> | undefined {
  const raw = query.get('fields');
  if (raw === null || raw.trim() === '') return undefined;
  return new Set(raw.split(',').map((f) => f.trim()).filter((f) => f !== ''));
}

/** `details` of insert and update results. */
export function auditDetails(record: StoredRecord, users: UserMap): Record<string, unknown> {
  const by = (id: string) => ({ name: users.get(id)?.name ?? '', id });
  return {
    Modified_Time: formatZohoTime(record.modifiedAt),
    Modified_By: by(record.modifiedBy),
    Created_Time: formatZohoTime(record.createdAt),
    id: record.id,
    Created_By: by(record.createdBy),
  };
}
