/**
 * Row mappers for the PostgreSQL store. BIGINT columns arrive as strings (the driver's default,
 * kept on purpose: ids never pass through JS numbers); times are converted to numbers, which
 * epoch milliseconds fit exactly.
 */
import type { Grant, OAuthClient, Org, Profile, StoredRecord, TokenRow, User } from '../store.js';

export type Row = Record<string, unknown>;

export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const num = (v: unknown): number => Number(v);
const json = (v: unknown): any => JSON.parse(str(v));
const maybe = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toRecord(r: Row): StoredRecord {
  return {
    id: str(r.id), module: str(r.module), ownerId: str(r.owner_id), createdBy: str(r.created_by),
    modifiedBy: str(r.modified_by), createdAt: num(r.created_at), modifiedAt: num(r.modified_at),
    parentId: maybe(r.parent_id), data: json(r.data),
  };
}

export function toOrg(r: Row): Org {
  return { id: str(r.id), prefix: num(r.prefix), name: str(r.name), settings: json(r.settings), createdAt: num(r.created_at) };
}

export function toProfile(r: Row): Profile {
  return { id: str(r.id), orgId: str(r.org_id), name: str(r.name), permissions: json(r.permissions) };
}

export function toUser(r: Row): User {
  return {
    id: str(r.id), orgId: str(r.org_id), email: str(r.email), name: str(r.name), profileId: str(r.profile_id),
    passwordHash: maybe(r.password_hash), createdAt: num(r.created_at),
  };
}

export function toClient(r: Row): OAuthClient {
  return {
    clientId: str(r.client_id), orgId: str(r.org_id), secretHash: str(r.secret_hash), type: str(r.type) as OAuthClient['type'],
    name: str(r.name), redirectUris: json(r.redirect_uris), origins: json(r.origins), createdAt: num(r.created_at),
  };
}

export function toGrant(r: Row): Grant {
  return {
    codeHash: str(r.code_hash), clientId: str(r.client_id), orgId: str(r.org_id), userId: str(r.user_id), scopes: json(r.scopes),
    redirectUri: maybe(r.redirect_uri), accessType: str(r.access_type) as Grant['accessType'], expiresAt: num(r.expires_at),
  };
}

export function toToken(r: Row): TokenRow {
  return {
    hash: str(r.hash), kind: str(r.kind) as TokenRow['kind'], clientId: str(r.client_id), orgId: str(r.org_id),
    userId: str(r.user_id), scopes: json(r.scopes), parentHash: maybe(r.parent_hash),
    expiresAt: r.expires_at === null ? null : num(r.expires_at), revoked: r.revoked === true, createdAt: num(r.created_at),
  };
}
