import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/store.js';
import type { DataCentre } from '../zoho/data-centres.js';
import type { AdjustableClock } from '../zoho/time.js';
import type { Reliability } from './reliability.js';
import type { CorsMode } from './cors.js';

export interface AppConfig {
  /** Public URL of the API, returned as `api_domain`. */
  apiDomain: string;
  /** Public URL of the accounts (OAuth) server. */
  accountsUrl: string;
  /** When set, the admin surface also accepts non-loopback callers that present it. */
  adminKey?: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /** Which browser origins get CORS headers: `registered` (default) or `any`. */
  cors?: CorsMode;
}

export interface AppContext {
  store: Store;
  clock: AdjustableClock;
  config: AppConfig;
  log: FastifyBaseLogger;
  /** Fault rules, edition limits and the request log (set by buildApp). */
  reliability?: Reliability;
  /** The data centre the request came to; absent means `us`, the server's own URLs. */
  dc?: DataCentre;
}

/** What a handler answers; the pipeline turns it into an HTTP reply in one place. */
export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export const ACCESS_TOKEN_TTL_MS = 3600_000;
export const GRANT_CODE_TTL_MS = 120_000;
