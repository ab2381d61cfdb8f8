/** `POST /oauth/v2/token`: the authorization-code and refresh-token grants, per data centre. */
import type { OAuthClient, Store } from '../store/store.js';
import { dcOfSettings, type DcPlace } from '../zoho/data-centres.js';
import { ACCESS_TTL_MS, mintAccessToken, mintRefreshToken } from './accounts.js';
import { accessIssuesExhausted, refreshIssuesExhausted, THROTTLED } from './token-limits.js';
import { hashSecret, sameHash } from './tokens.js';

/** Every answer is sent with HTTP 200, errors included (ZOHO-FACTS §1.4). */
export type TokenAnswer = Record<string, unknown>;

export type GrantPlace = Pick<DcPlace, 'dc' | 'apiDomain'>;

const issued = (place: GrantPlace, fields: Record<string, string>): TokenAnswer =>
  ({ ...fields, api_domain: place.apiDomain, token_type: 'Bearer', expires_in: ACCESS_TTL_MS / 1000 });

/** The client, when it exists in this data centre (another one's client is unknown here: `invalid_client`). */
async function clientHere(store: Store, place: GrantPlace, clientId: string | undefined): Promise<OAuthClient | undefined> {
  const client = clientId ? await store.getClient(clientId) : undefined;
  if (!client) return undefined;
  const org = await store.getOrg(client.orgId);
  return org && dcOfSettings(org.settings) === place.dc ? client : undefined;
}

export async function tokenGrant(store: Store, now: number, place: GrantPlace, params: Record<string, string>): Promise<TokenAnswer> {
  const grantType = params.grant_type;
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') return { error: 'unsupported_grant_type' };
  const client = await clientHere(store, place, params.client_id);
  if (!client) return { error: 'invalid_client' };
  if (!params.client_secret || !sameHash(hashSecret(params.client_secret), client.secretHash)) return { error: 'invalid_client_secret' };
  return grantType === 'authorization_code' ? codeGrant(store, now, place, client, params) : refreshGrant(store, now, place, client, params);
}

async function codeGrant(store: Store, now: number, place: GrantPlace, client: OAuthClient, params: Record<string, string>): Promise<TokenAnswer> {
  if (!params.code) return { error: 'invalid_code' };
  const grant = await store.consumeGrant(hashSecret(params.code), now);
  if (!grant || grant.clientId !== client.clientId) return { error: 'invalid_code' };
  if (grant.redirectUri !== null && params.redirect_uri !== grant.redirectUri) return { error: 'invalid_redirect_uri' };
  const base = { clientId: client.clientId, orgId: grant.orgId, userId: grant.userId, scopes: grant.scopes };
  if (grant.accessType !== 'offline') return issued(place, { access_token: await mintAccessToken(store, now, base, null) });
  if (await refreshIssuesExhausted(store, now, base)) return { ...THROTTLED };
  const refresh = await mintRefreshToken(store, now, base);
  const access = await mintAccessToken(store, now, base, refresh.hash);
  return issued(place, { access_token: access, refresh_token: refresh.token });
}

async function refreshGrant(store: Store, now: number, place: GrantPlace, client: OAuthClient, params: Record<string, string>): Promise<TokenAnswer> {
  const refresh = params.refresh_token ? await store.getToken(hashSecret(params.refresh_token)) : undefined;
  if (!refresh || refresh.kind !== 'refresh' || refresh.revoked || refresh.clientId !== client.clientId) return { error: 'invalid_code' };
  if (await accessIssuesExhausted(store, now, refresh.hash)) return { ...THROTTLED };
  return issued(place, { access_token: await mintAccessToken(store, now, refresh, refresh.hash) });
}
