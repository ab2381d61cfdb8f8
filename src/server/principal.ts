import { hashSecret } from '../auth/tokens.js';
import type { Org, Profile, User } from '../store/store.js';
import { DEFAULT_DC, dcOfSettings } from '../zoho/data-centres.js';
import { errors } from '../zoho/errors.js';
import { normalizeScopes } from '../zoho/scopes.js';
import type { AppContext } from './context.js';

export interface Principal {
  org: Org;
  user: User;
  profile: Profile;
  clientId: string;
  scopes: Set<string>;
}

const PREFIX = 'zoho-oauthtoken ';

/**
 * Authenticates `Authorization: Zoho-oauthtoken <token>`. No header (or another scheme) →
 * AUTHENTICATION_FAILURE; unknown, revoked or expired token → INVALID_TOKEN (SPEC §2).
 */
export async function authenticate(ctx: AppContext, header: string | undefined): Promise<Principal> {
  if (!header || header.length <= PREFIX.length || header.slice(0, PREFIX.length).toLowerCase() !== PREFIX) {
    throw errors.authenticationFailure();
  }
  const token = header.slice(PREFIX.length).trim();
  const caller = await ctx.store.getCaller(hashSecret(token));
  const row = caller?.token;
  if (!row || row.kind !== 'access' || row.revoked || (row.expiresAt !== null && row.expiresAt <= ctx.clock.now())) {
    throw errors.invalidToken();
  }
  const { org, user, profile } = caller;
  if (!org || !user || !profile) throw errors.invalidToken();
  // A token is known only to its own data centre's API (ZOHO-FACTS §1.1).
  if (dcOfSettings(org.settings) !== (ctx.dc ?? DEFAULT_DC)) throw errors.invalidToken();
  return { org, user, profile, clientId: row.clientId, scopes: normalizeScopes(row.scopes) };
}
