/**
 * Orgs, users, clients, grant codes and tokens: the accounts side that the OAuth endpoints,
 * the admin surface and the CLI share.
 */
import type { Org, OAuthClient, Profile, Store, TokenRow, User } from '../store/store.js';
import { parseScopes } from '../zoho/scopes.js';
import { ADMINISTRATOR, STANDARD } from './permissions.js';
import { hashPassword, hashSecret, mintClientId, mintClientSecret, mintToken, sameHash } from './tokens.js';

export const ACCESS_TTL_MS = 3600_000;
export const CODE_TTL_MS = 120_000;

export interface NewOrg {
  org: Org;
  admin: User;
  administrator: Profile;
  standard: Profile;
}

export async function createOrgWithAdmin(
  store: Store, now: number, input: { name?: string; id?: string; prefix?: number; adminEmail?: string } = {},
): Promise<NewOrg> {
  const org = await store.createOrg({ id: input.id, prefix: input.prefix, name: input.name ?? 'Zylker', now });
  const administrator = await store.createProfile(org.id, { name: 'Administrator', permissions: ADMINISTRATOR });
  const standard = await store.createProfile(org.id, { name: 'Standard', permissions: STANDARD });
  const admin = await store.createUser(org.id, {
    email: (input.adminEmail ?? `admin@org${org.id}.zcrm.local`).toLowerCase(), name: 'Patricia Boyle',
    profileId: administrator.id, passwordHash: null, now,
  });
  return { org, admin, administrator, standard };
}

export async function createUser(
  store: Store, orgId: string, now: number, input: { email: string; password?: string; name?: string; profile?: string },
): Promise<{ user: User; profile: Profile } | { error: string }> {
  const profiles = await store.listProfiles(orgId);
  const wanted = (input.profile ?? 'Standard').toLowerCase();
  const profile = profiles.find((p) => p.name.toLowerCase() === wanted || p.id === input.profile);
  if (!profile) return { error: `no profile named ${input.profile}` };
  const email = input.email.toLowerCase();
  if ((await store.listUsers(orgId)).some((u) => u.email === email)) return { error: `a user with email ${email} exists` };
  const user = await store.createUser(orgId, {
    email, name: input.name ?? email.split('@')[0], profileId: profile.id,
    passwordHash: input.password ? hashPassword(input.password) : null, now,
  });
  return { user, profile };
}

export async function createClient(
  store: Store, orgId: string, now: number,
  input: { type: OAuthClient['type']; name?: string; redirectUris?: string[]; origins?: string[] },
): Promise<{ client: OAuthClient; secret: string }> {
  const secret = mintClientSecret();
  const client: OAuthClient = {
    clientId: mintClientId(), orgId, secretHash: hashSecret(secret), type: input.type,
    name: input.name ?? (input.type === 'self' ? 'Self Client' : 'Client'), redirectUris: input.redirectUris ?? [],
    origins: input.origins ?? [], createdAt: now,
  };
  await store.createClient(client);
  return { client, secret };
}

export async function mintGrantCode(
  store: Store, now: number,
  input: { clientId: string; orgId: string; userId: string; scopes: string[]; redirectUri?: string | null; accessType?: 'online' | 'offline'; ttlMs?: number },
): Promise<string> {
  const code = mintToken();
  await store.saveGrant({
    codeHash: hashSecret(code), clientId: input.clientId, orgId: input.orgId, userId: input.userId, scopes: input.scopes,
    redirectUri: input.redirectUri ?? null, accessType: input.accessType ?? 'offline', expiresAt: now + (input.ttlMs ?? CODE_TTL_MS),
  });
  return code;
}

export async function mintAccessToken(
  store: Store, now: number, base: Pick<TokenRow, 'clientId' | 'orgId' | 'userId' | 'scopes'>, parentHash: string | null,
): Promise<string> {
  const token = mintToken();
  await store.saveToken({ ...base, hash: hashSecret(token), kind: 'access', parentHash, expiresAt: now + ACCESS_TTL_MS, revoked: false, createdAt: now });
  return token;
}

export async function mintRefreshToken(store: Store, now: number, base: Pick<TokenRow, 'clientId' | 'orgId' | 'userId' | 'scopes'>): Promise<{ token: string; hash: string }> {
  const token = mintToken();
  const hash = hashSecret(token);
  await store.saveToken({ ...base, hash, kind: 'refresh', parentHash: null, expiresAt: null, revoked: false, createdAt: now });
  return { token, hash };
}

export type TokenGrantResult = { ok: Record<string, unknown> } | { error: string };

/** `POST /oauth/v2/token`; errors are Zoho's `{"error": …}` answered with HTTP 200. */
export async function tokenGrant(store: Store, now: number, apiDomain: string, params: Record<string, string>): Promise<TokenGrantResult> {
  const grantType = params.grant_type;
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') return { error: 'unsupported_grant_type' };
  const client = params.client_id ? await store.getClient(params.client_id) : undefined;
  if (!client) return { error: 'invalid_client' };
  if (!params.client_secret || !sameHash(hashSecret(params.client_secret), client.secretHash)) return { error: 'invalid_client_secret' };
  if (grantType === 'authorization_code') {
    if (!params.code) return { error: 'invalid_code' };
    const grant = await store.consumeGrant(hashSecret(params.code), now);
    if (!grant || grant.clientId !== client.clientId) return { error: 'invalid_code' };
    if (grant.redirectUri !== null && params.redirect_uri !== grant.redirectUri) return { error: 'invalid_redirect_uri' };
    const base = { clientId: client.clientId, orgId: grant.orgId, userId: grant.userId, scopes: grant.scopes };
    const out: Record<string, unknown> = { access_token: '' };
    if (grant.accessType === 'offline') {
      const refresh = await mintRefreshToken(store, now, base);
      out.access_token = await mintAccessToken(store, now, base, refresh.hash);
      out.refresh_token = refresh.token;
    } else {
      out.access_token = await mintAccessToken(store, now, base, null);
    }
    Object.assign(out, { api_domain: apiDomain, token_type: 'Bearer', expires_in: ACCESS_TTL_MS / 1000 });
    return { ok: out };
  }
  const hash = params.refresh_token ? hashSecret(params.refresh_token) : '';
  const refresh = hash ? await store.getToken(hash) : undefined;
  if (!refresh || refresh.kind !== 'refresh' || refresh.revoked || refresh.clientId !== client.clientId) return { error: 'invalid_code' };
  const access = await mintAccessToken(store, now, refresh, refresh.hash);
  return { ok: { access_token: access, api_domain: apiDomain, token_type: 'Bearer', expires_in: ACCESS_TTL_MS / 1000 } };
}

/** A self client with a grant code for the chosen scopes, as Zoho's API console makes. */
export async function selfClient(
  store: Store, now: number, orgId: string, userId: string, scope: string, ttlMs?: number,
): Promise<{ clientId: string; clientSecret: string; code: string; scopes: string[] }> {
  const scopes = parseScopes(scope);
  const { client, secret } = await createClient(store, orgId, now, { type: 'self' });
  const code = await mintGrantCode(store, now, { clientId: client.clientId, orgId, userId, scopes, ttlMs: ttlMs ?? CODE_TTL_MS });
  return { clientId: client.clientId, clientSecret: secret, code, scopes };
}
