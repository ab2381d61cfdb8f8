/**
 * A small in-process cache of authenticated principals, keyed by token hash. Without it every API
 * request runs four lookups (token, org, user, profile) before its real work.
 *
 * Freshness: an entry is used only while the store's auth version is the one it was read at — the
 * SQLite store bumps that version on every write to orgs, users, profiles, clients or tokens, so a
 * revocation (or a profile or settings change) made through this process takes effect on the very
 * next request. Changes made by another server process on the same database are seen after at most
 * TTL_MS. Stores that do not report an auth version are never cached.
 */
import type { Store } from '../store/store.js';
import type { Principal } from './principal.js';

export const TTL_MS = 1000;
const MAX_ENTRIES = 1000;

interface Entry {
  principal: Principal;
  /** The token's own expiry (server clock), checked on every use. */
  expiresAt: number | null;
  version: number;
  /** Wall-clock time the entry was read, for the cross-process bound. */
  readAt: number;
}

const caches = new WeakMap<Store, Map<string, Entry>>();

export function cachedPrincipal(store: Store, hash: string, now: number): Principal | undefined {
  const version = store.authVersion?.();
  if (version === undefined) return undefined;
  const entry = caches.get(store)?.get(hash);
  if (!entry) return undefined;
  if (entry.version !== version || Date.now() - entry.readAt >= TTL_MS || (entry.expiresAt !== null && entry.expiresAt <= now)) {
    caches.get(store)!.delete(hash);
    return undefined;
  }
  return entry.principal;
}

/** `version` is the store's auth version read before the lookups that built the principal. */
export function rememberPrincipal(store: Store, hash: string, principal: Principal, expiresAt: number | null, version: number | undefined): void {
  if (version === undefined || store.authVersion?.() !== version) return;
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new Map()));
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(hash, { principal, expiresAt, version, readAt: Date.now() });
}
