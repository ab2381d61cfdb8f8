/**
 * One CRM API call: URL, token, JSON, and the two things that are retried — a refused token
 * (renewed once) and throttling or server failures (backoff with jitter).
 */
import { ZcrmApiError, ZcrmNetworkError, ZcrmRateLimitError } from './errors.js';
import { assertExactNumbers, toJson } from './ids.js';
import { describe, type TokenManager } from './tokens.js';

export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  retries?: number;
  /** First backoff in ms (default 500); doubled on each retry. */
  baseDelayMs?: number;
  /** Longest single wait in ms (default 20 000), Retry-After included. */
  maxDelayMs?: number;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path after `/crm/{version}/`, segments already encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TransportOptions {
  apiDomain: () => string;
  apiVersion: string;
  fetch: typeof fetch;
  tokens: TokenManager;
  retry: Required<RetryOptions>;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);
const RETRY_5XX = new Set([500, 502, 503, 504]);

export class Transport {
  /** The last `X-API-CREDITS-REMAINING` the server sent (Zoho sends it once half the day's credits are used). */
  creditsRemaining: number | undefined;

  constructor(private readonly o: TransportOptions) {}

  url(call: ApiCall): string {
    const u = new URL(`${this.o.apiDomain().replace(/\/+$/, '')}/crm/${this.o.apiVersion}/${call.path}`);
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /** Sends a call and returns whatever the server answered, after renewals and retries. */
  async send(call: ApiCall): Promise<RawResponse> {
    if (call.body !== undefined) assertExactNumbers(call.body);
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const token = await this.o.tokens.current();
      const res = await this.attempt(call, token, attempt);
      if (res === 'retry') continue;
      if (res.status === 401 && code(res.body) === 'INVALID_TOKEN' && !renewed) {
        renewed = true;
        const fresh = await this.o.tokens.renew(token);
        if (fresh !== undefined) {
          attempt--; // a renewal is not a retry
          continue;
        }
      }
      if (this.shouldRetry(call, res, attempt)) {
        await this.o.sleep(this.delay(attempt, res.headers.get('retry-after')));
        continue;
      }
      return res;
    }
  }

  /**
   * Sends a call and throws {@link ZcrmApiError} for a request-level error (an answer with a
   * top-level `code`); per-item answers (`{"data":[…]}`, even with 400) are returned.
   */
  async call(call: ApiCall): Promise<RawResponse> {
    const res = await this.send(call);
    const perItem = !!res.body && typeof res.body === 'object' && Array.isArray((res.body as { data?: unknown }).data);
    if (res.status >= 400 && !perItem) throw apiError(res, this.creditsRemaining);
    return res;
  }

  private async attempt(call: ApiCall, token: string, attempt: number): Promise<RawResponse | 'retry'> {
    const headers: Record<string, string> = { authorization: `Zoho-oauthtoken ${token}`, ...call.headers };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.o.fetch(this.url(call), { method: call.method, headers, body: call.body === undefined ? undefined : toJson(call.body) });
    } catch (e) {
      // Only a call that cannot have been applied twice is repeated after a lost connection.
      if (IDEMPOTENT.has(call.method) && attempt < this.o.retry.retries) {
        await this.o.sleep(this.delay(attempt, null));
        return 'retry';
      }
      throw new ZcrmNetworkError(`cannot reach ${this.o.apiDomain()}: ${describe(e)}`);
    }
    const credits = res.headers.get('x-api-credits-remaining');
    if (credits !== null && /^\d+$/.test(credits.trim())) this.creditsRemaining = Number(credits);
    const text = await res.text();
    let body: unknown;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (res.status < 500) throw new ZcrmNetworkError(`${call.method} ${this.url(call)} answered HTTP ${res.status} with a body that is not JSON`);
        body = undefined;
      }
    }
    return { status: res.status, headers: res.headers, body };
  }

  private shouldRetry(call: ApiCall, res: RawResponse, attempt: number): boolean {
    if (attempt >= this.o.retry.retries) return false;
    if (res.status === 429) {
      // With the day's credits used up, retrying only spends time: the credits come back hours later.
      return res.headers.get('x-api-credits-remaining')?.trim() !== '0';
    }
    // A POST that failed on the server may have been applied; repeating it could insert twice.
    return RETRY_5XX.has(res.status) && IDEMPOTENT.has(call.method);
  }

  /** Exponential backoff with "equal jitter", never shorter than a Retry-After the server sent. */
  private delay(attempt: number, retryAfter: string | null): number {
    const { baseDelayMs, maxDelayMs } = this.o.retry;
    const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
    const jittered = exp / 2 + this.o.random() * (exp / 2);
    const after = retryAfter !== null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : 0;
    return Math.min(maxDelayMs, Math.max(jittered, after));
  }
}

function code(body: unknown): string | undefined {
  return body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string' ? (body as { code: string }).code : undefined;
}

/** The typed error for a request-level answer. */
export function apiError(res: RawResponse, creditsRemaining?: number): ZcrmApiError {
  const b = (res.body && typeof res.body === 'object' ? res.body : {}) as Record<string, unknown>;
  const data = Array.isArray(b.data) ? (b.data[0] as Record<string, unknown> | undefined) : undefined;
  const src = typeof b.code === 'string' ? b : data ?? {};
  const c = typeof src.code === 'string' ? src.code : `HTTP_${res.status}`;
  const message = typeof src.message === 'string' ? src.message : `HTTP ${res.status}`;
  const details = (src.details && typeof src.details === 'object' ? src.details : {}) as Record<string, unknown>;
  if (res.status === 429) return new ZcrmRateLimitError(res.status, c, message, details, res.body, creditsRemaining);
  return new ZcrmApiError(res.status, c, message, details, res.body);
}
