/**
 * Access tokens: where they come from (a given token, a refresh token, or the caller's own
 * provider), where they are kept (a pluggable store, memory by default) and when they are
 * renewed (shortly before expiry, and once more when the server says INVALID_TOKEN).
 */
import { ZcrmAuthError, ZcrmNetworkError, ZcrmUsageError } from './errors.js';

/** An access token with what is known about it. */
export interface TokenSet {
  accessToken: string;
  /** Epoch milliseconds; unknown when absent. */
  expiresAt?: number;
  /** The `api_domain` the accounts server returned with the token. */
  apiDomain?: string;
}

/**
 * Where access tokens are kept between calls (and, for a persistent store, between runs).
 * The default keeps them in memory and writes nothing to disk.
 */
export interface TokenStore {
  get(key: string): Promise<TokenSet | undefined> | TokenSet | undefined;
  set(key: string, token: TokenSet): Promise<void> | void;
  delete(key: string): Promise<void> | void;
}

/**
 * The default token store: a Map in memory.
 *
 * @example
 * const client = createClient({ apiDomain, auth, tokenStore: new MemoryTokenStore() });
 */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, TokenSet>();
  get(key: string): TokenSet | undefined {
    return this.tokens.get(key);
  }
  set(key: string, token: TokenSet): void {
    this.tokens.set(key, token);
  }
  delete(key: string): void {
    this.tokens.delete(key);
  }
}

/** Asked for a token; `forceRefresh` is true after the server refused the previous one. */
export type TokenProvider = (context: { forceRefresh: boolean }) => Promise<string | TokenSet> | string | TokenSet;

/** How the client authenticates. */
export type AuthOptions =
  | { accessToken: string; expiresAt?: number }
  | { refreshToken: string; clientId: string; clientSecret: string }
  | { tokenProvider: TokenProvider };

export interface TokenManagerOptions {
  accountsUrl: string;
  fetch: typeof fetch;
  now: () => number;
  store: TokenStore;
  /** Renew this long before the expiry the accounts server announced (default 60 s). */
  refreshSkewMs: number;
  /** Called with `api_domain` from a token answer; it replaces the configured API domain. */
  onApiDomain: (apiDomain: string) => void;
}

/** The token endpoint: a full `/oauth/v2/token` URL, or an accounts server's base URL. */
export function tokenUrl(accountsUrl: string): string {
  const base = accountsUrl.replace(/\/+$/, '');
  return /\/oauth\/v2\/token$/.test(base) ? base : `${base}/oauth/v2/token`;
}

/** Holds the current token; concurrent callers share one refresh (single flight). */
export class TokenManager {
  private inflight: Promise<TokenSet> | undefined;
  private readonly key: string;

  constructor(private readonly auth: AuthOptions, private readonly o: TokenManagerOptions) {
    if ('refreshToken' in auth) {
      if (!auth.refreshToken || !auth.clientId || !auth.clientSecret) {
        throw new ZcrmUsageError('refresh-token auth needs refreshToken, clientId and clientSecret');
      }
      // The key names the grant without holding the whole refresh token.
      this.key = `refresh:${auth.clientId}:${auth.refreshToken.slice(-12)}`;
    } else if ('accessToken' in auth) {
      if (!auth.accessToken) throw new ZcrmUsageError('accessToken is empty');
      this.key = 'access';
    } else if ('tokenProvider' in auth && typeof auth.tokenProvider === 'function') {
      this.key = 'provider';
    } else {
      throw new ZcrmUsageError('auth must give accessToken, or refreshToken + clientId + clientSecret, or tokenProvider');
    }
  }

  /** Whether a refused token can be replaced by a new one. */
  get canRenew(): boolean {
    return !('accessToken' in this.auth);
  }

  /** A token that is not known to be expired, renewing it first when needed. */
  async current(): Promise<string> {
    if ('accessToken' in this.auth) return this.auth.accessToken;
    const stored = await this.o.store.get(this.key);
    if (stored && (stored.expiresAt === undefined || stored.expiresAt - this.o.refreshSkewMs > this.o.now())) {
      return stored.accessToken;
    }
    return (await this.renewOnce(false)).accessToken;
  }

  /**
   * After the server refused `stale` (INVALID_TOKEN): a new token, or undefined when this
   * auth mode cannot renew. A token another caller already renewed is reused.
   */
  async renew(stale: string): Promise<string | undefined> {
    if (!this.canRenew) return undefined;
    const stored = await this.o.store.get(this.key);
    if (stored && stored.accessToken !== stale) return stored.accessToken;
    return (await this.renewOnce(true)).accessToken;
  }

  private renewOnce(force: boolean): Promise<TokenSet> {
    if (!this.inflight) {
      this.inflight = this.fetchToken(force)
        .then(async (t) => {
          await this.o.store.set(this.key, t);
          if (t.apiDomain) this.o.onApiDomain(t.apiDomain);
          return t;
        })
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }

  private async fetchToken(force: boolean): Promise<TokenSet> {
    const auth = this.auth;
    if ('tokenProvider' in auth) {
      const got = await auth.tokenProvider({ forceRefresh: force });
      return typeof got === 'string' ? { accessToken: got } : got;
    }
    if (!('refreshToken' in auth)) throw new ZcrmUsageError('this auth mode cannot renew tokens');
    const form = new URLSearchParams({
      refresh_token: auth.refreshToken, client_id: auth.clientId, client_secret: auth.clientSecret, grant_type: 'refresh_token',
    });
    const url = tokenUrl(this.o.accountsUrl);
    let res: Response;
    try {
      res = await this.o.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    } catch (e) {
      throw new ZcrmNetworkError(`cannot reach the accounts server ${url}: ${describe(e)}`);
    }
    const text = await res.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new ZcrmNetworkError(`the accounts server ${url} answered HTTP ${res.status} without JSON`);
    }
    // Zoho answers token errors with HTTP 200 and {"error": "..."} (ZOHO-FACTS §1.4).
    if (typeof body.access_token !== 'string' || body.access_token === '') throw new ZcrmAuthError(String(body.error ?? `HTTP ${res.status}`));
    return {
      accessToken: body.access_token,
      expiresAt: expiresAt(body, this.o.now()),
      apiDomain: typeof body.api_domain === 'string' && body.api_domain ? body.api_domain : undefined,
    };
  }
}

/** `expires_in` is seconds; older Zoho answers also carry `expires_in_sec`, making `expires_in` milliseconds. */
function expiresAt(body: Record<string, unknown>, now: number): number | undefined {
  const sec = typeof body.expires_in_sec === 'number' ? body.expires_in_sec : typeof body.expires_in === 'number' ? body.expires_in : undefined;
  return sec === undefined ? undefined : now + sec * 1000;
}

export function describe(e: unknown): string {
  const err = e as { message?: string; cause?: { message?: string; code?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}
