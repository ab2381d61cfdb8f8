import { hashSecret } from '../auth/tokens.js';
import type { Org, Profile, User } from '../store/store.js';
import { DEFAULT_DC, dcOfSettings } from '../zoho/data-centres.js';
import { errors } from '../zoho/errors.js';
import { normalizeScopes } from '../zoho/scopes.js';
import type { AppContext } from './context.js';
import type { ApiRequest } from './request.js';
import { cachedPrincipal, rememberPrincipal } from './principal-cache.js';

export interface Principal {
  org: Org;
  user: User;
  profile: Profile;
  clientId: string;
  scopes: Set<string>;
}

/** The scheme as Zoho spells it, and in lower case for the case-insensitive comparison. */
const SCHEME = 'Zoho-oauthtoken ';
const PREFIX = SCHEME.toLowerCase();

/** `Authorization: Zoho-oauthtoken <something>` (the scheme is case-insensitive). */
export const hasTokenScheme = (header: string | undefined): header is string =>
  header !== undefined && header.length > PREFIX.length
  && (header.startsWith(SCHEME) || header.slice(0, PREFIX.length).toLowerCase() === PREFIX);

/** The stored hash of the token in a header that has the token scheme. */
export const tokenHash = (header: string): string => hashSecret(header.slice(PREFIX.length).trim());

/**
 * Authenticates `Authorization: Zoho-oauthtoken <token>` (`knownHash`: the token's hash, when the
 * caller has it already). No header (or another scheme) →
 * AUTHENTICATION_FAILURE; unknown, revoked or expired token → INVALID_TOKEN (SPEC §2).
 */
export async function authenticate(ctx: AppContext, header: string | undefined, knownHash?: string): Promise<Principal> {
  if (!hasTokenScheme(header)) throw errors.authenticationFailure();
  const hash = knownHash ?? tokenHash(header);
  const now = ctx.clock.now();
  const cached = cachedPrincipal(ctx.store, hash, now);
  if (cached) {
    requireOwnDataCentre(ctx, cached.org);
    return cached;
  }
  const version = ctx.store.authVersion?.();
  const caller = await ctx.store.getCaller(hash);
  const row = caller?.token;
  if (!row || row.kind !== 'access' || row.revoked || (row.expiresAt !== null && row.expiresAt <= now)) {
    throw errors.invalidToken();
  }
  const { org, user, profile } = caller;
  if (!org || !user || !profile) throw errors.invalidToken();
  requireOwnDataCentre(ctx, org);
  const principal: Principal = { org, user, profile, clientId: row.clientId, scopes: normalizeScopes(row.scopes) };
  rememberPrincipal(ctx.store, hash, principal, row.expiresAt, version);
  return principal;
}

/**
 * The principal of a token authenticated recently (the cache), without waiting; undefined when it
 * must be looked up — or refused — by `authenticate`. `hash`: the token's hash, when known.
 */
export function cachedPrincipalFor(ctx: AppContext, header: string, hash = hasTokenScheme(header) ? tokenHash(header) : undefined): Principal | undefined {
  if (hash === undefined) return undefined;
  const cached = cachedPrincipal(ctx.store, hash, ctx.clock.now());
  return cached && inOwnDataCentre(ctx, cached.org) ? cached : undefined;
}

/** The caller of an API request: authenticated by the request hooks already, or now. */
export function principalOf(ctx: AppContext, req: ApiRequest): Principal | Promise<Principal> {
  return req.principal ?? authenticate(ctx, req.authorization);
}

/** A token is known only to its own data centre's API (ZOHO-FACTS §1.1); checked on cache hits too. */
function requireOwnDataCentre(ctx: AppContext, org: Org): void {
  if (!inOwnDataCentre(ctx, org)) throw errors.invalidToken();
}

const inOwnDataCentre = (ctx: AppContext, org: Org): boolean => dcOfSettings(org.settings) === (ctx.dc ?? DEFAULT_DC);
