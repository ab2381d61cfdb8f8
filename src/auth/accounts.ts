/**
 * Orgs, users, clients, grant codes and tokens: the accounts side that the OAuth endpoints,
 * the admin surface and the CLI share.
 */
import type { Org, OAuthClient, Profile, Store, TokenRow, User } from '../store/store.js';
import { DEFAULT_DC, type DataCentre } from '../zoho/data-centres.js';
import { parseScopes } from '../zoho/scopes.js';
import { ADMINISTRATOR, STANDARD } from './permissions.js';
import { evictAccessTokens, evictRefreshTokens } from './token-limits.js';
import { hashPassword, hashSecret, mintClientId, mintClientSecret, mintToken } from './tokens.js';

export const ACCESS_TTL_MS = 3600_000;
export const CODE_TTL_MS = 120_000;

export interface NewOrg {
  org: Org;
  admin: User;
  administrator: Profile;
  standard: Profile;
}

export async function createOrgWithAdmin(
  store: Store, now: number, input: { name?: string; id?: string; prefix?: number; adminEmail?: string; dc?: DataCentre } = {},
): Promise<NewOrg> {
  const org = await store.createOrg({ id: input.id, prefix: input.prefix, name: input.name ?? 'Zylker', now });
  if (input.dc && input.dc !== DEFAULT_DC) {
    org.settings = { ...org.settings, dc: input.dc };
    await store.updateOrgSettings(org.id, org.settings);
  }
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
  if (parentHash) await evictAccessTokens(store, now, parentHash);
  return token;
}

export async function mintRefreshToken(store: Store, now: number, base: Pick<TokenRow, 'clientId' | 'orgId' | 'userId' | 'scopes'>): Promise<{ token: string; hash: string }> {
  const token = mintToken();
  const hash = hashSecret(token);
  await store.saveToken({ ...base, hash, kind: 'refresh', parentHash: null, expiresAt: null, revoked: false, createdAt: now });
  await evictRefreshTokens(store, now, base);
  return { token, hash };
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
