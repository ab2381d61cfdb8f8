/**
 * `GET /oauth/v2/auth` without the HTML: checking a request, deciding where errors go, and
 * issuing a grant code (server apps) or an access token in the fragment (browser apps).
 * Sources: ZOHO-FACTS §1.2–1.3, SPEC §7.
 */
import type { Consent, OAuthClient, Org, Store } from '../store/store.js';
import { dcOfSettings, type DcPlace } from '../zoho/data-centres.js';
import { isWellFormedScope, parseScopes } from '../zoho/scopes.js';
import { ACCESS_TTL_MS, mintAccessToken, mintGrantCode } from './accounts.js';

export interface AuthRequest {
  clientId: string;
  responseType: 'code' | 'token';
  redirectUri: string;
  scopes: string[];
  accessType: 'online' | 'offline';
  forceConsent: boolean;
  state: string | null;
}

export type AuthCheck =
  /** Nowhere safe to send the user back to: the page itself shows the error. */
  | { kind: 'page'; error: 'invalid_client' | 'invalid_redirect_uri' }
  | { kind: 'redirect'; location: string }
  | { kind: 'ok'; client: OAuthClient; org: Org; request: AuthRequest };

/** Appends fields to a redirect URI, in its query (code flow) or fragment (implicit flow). */
export function redirectWith(uri: string, fields: [string, string][], inFragment: boolean): string {
  const encoded = new URLSearchParams(fields).toString();
  if (inFragment) return `${uri}#${encoded}`;
  return `${uri}${uri.includes('?') ? '&' : '?'}${encoded}`;
}

function errorLocation(uri: string, error: string, state: string | null, inFragment: boolean): string {
  const fields: [string, string][] = [['error', error]];
  if (state !== null) fields.push(['state', state]);
  return redirectWith(uri, fields, inFragment);
}

export async function checkAuthRequest(store: Store, dc: DcPlace['dc'], query: URLSearchParams): Promise<AuthCheck> {
  const clientId = query.get('client_id') ?? '';
  const client = clientId ? await store.getClient(clientId) : undefined;
  const org = client ? await store.getOrg(client.orgId) : undefined;
  // A client of another data centre is unknown here, as at Zoho.
  if (!client || !org || dcOfSettings(org.settings) !== dc || client.type === 'self') return { kind: 'page', error: 'invalid_client' };
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!client.redirectUris.includes(redirectUri)) return { kind: 'page', error: 'invalid_redirect_uri' };
  const state = query.get('state');
  const type = query.get('response_type');
  if (type !== 'code' && type !== 'token') return { kind: 'redirect', location: errorLocation(redirectUri, 'unsupported_response_type', state, false) };
  const inFragment = type === 'token';
  if (inFragment && client.type !== 'browser') return { kind: 'redirect', location: errorLocation(redirectUri, 'unauthorized_client', state, true) };
  const scopes = parseScopes(query.get('scope') ?? '');
  if (scopes.length === 0 || !scopes.every(isWellFormedScope)) {
    return { kind: 'redirect', location: errorLocation(redirectUri, 'invalid_scope', state, inFragment) };
  }
  const request: AuthRequest = {
    clientId, responseType: type, redirectUri, scopes, state,
    accessType: query.get('access_type') === 'offline' ? 'offline' : 'online',
    forceConsent: query.get('prompt') === 'consent',
  };
  return { kind: 'ok', client, org, request };
}

export function denied(request: AuthRequest): string {
  return errorLocation(request.redirectUri, 'access_denied', request.state, request.responseType === 'token');
}

/** True when an earlier consent already covers every scope asked for. */
export function consentCovers(consent: Consent | undefined, scopes: string[]): boolean {
  if (!consent) return false;
  const granted = new Set(consent.scopes.map((s) => s.toLowerCase()));
  return scopes.every((s) => granted.has(s.toLowerCase()));
}

/**
 * The redirect that completes an approved request. A refresh token comes only with a consent
 * given now (the consent page, or `prompt=consent`), as Zoho gives it only on first consent
 * (ZOHO-FACTS §1.2, §1.4).
 */
export async function issueAuthorization(
  store: Store, now: number, place: DcPlace, request: AuthRequest, orgId: string, userId: string, consentedNow: boolean,
): Promise<string> {
  const base = { clientId: request.clientId, orgId, userId, scopes: request.scopes };
  const state: [string, string][] = request.state === null ? [] : [['state', request.state]];
  if (request.responseType === 'token') {
    const token = await mintAccessToken(store, now, base, null);
    return redirectWith(request.redirectUri, [
      ['access_token', token], ['token_type', 'Bearer'], ['expires_in', String(ACCESS_TTL_MS / 1000)],
      ['api_domain', place.apiDomain], ...state, ['location', place.dc],
    ], true);
  }
  const code = await mintGrantCode(store, now, {
    ...base, redirectUri: request.redirectUri, accessType: request.accessType === 'offline' && consentedNow ? 'offline' : 'online',
  });
  return redirectWith(request.redirectUri, [['code', code], ['location', place.dc], ['accounts-server', place.accountsUrl], ...state], false);
}
