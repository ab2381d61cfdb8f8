/** `createClient`: the idiomatic client, with its defaults in one place. */
import { accountsUrlFor, dataCentre, type DataCentre } from './data-centres.js';
import { ZcrmUsageError } from './errors.js';
import type { IdLike } from './ids.js';
import { Records } from './records.js';
import { RelatedRecords } from './related-records.js';
import { MemoryTokenStore, TokenManager, type AuthOptions, type TokenStore } from './tokens.js';
import { Transport, type ApiCall, type RawResponse, type RetryOptions } from './transport.js';

export interface ClientOptions {
  /** API base URL, e.g. `http://127.0.0.1:8080` or `https://www.zohoapis.eu`. Default: the data centre's, else Zoho's US host. */
  apiDomain?: string;
  /** Accounts server (base URL or full `/oauth/v2/token` URL). Default: the data centre's, or the one that goes with `apiDomain`. */
  accountsUrl?: string;
  /** Zoho data centre: com, eu, in, com.au, jp, ca, sa, com.cn. */
  dataCenter?: DataCentre | string;
  auth: AuthOptions;
  /** API version segment (default `v2`). */
  apiVersion?: string;
  /** Requests in flight at once for bulk calls (default 3, below every Zoho edition's concurrency limit). */
  concurrency?: number;
  retry?: RetryOptions;
  /** Where tokens are kept (default: memory only). */
  tokenStore?: TokenStore;
  /** Renew tokens this long before they expire (default 60 000 ms). */
  refreshSkewMs?: number;
  /** A fetch implementation, e.g. one that counts or logs requests (default: the global fetch). */
  fetch?: typeof fetch;
  /** Clock in epoch ms (default Date.now), for token expiry. */
  now?: () => number;
  /** How to wait between retries (default setTimeout). */
  sleep?: (ms: number) => Promise<void>;
}

/** The client returned by {@link createClient}. */
export class ZcrmClient {
  private readonly transport: Transport;
  private domain: string;
  private readonly concurrency: number;

  constructor(options: ClientOptions) {
    if (!options || !options.auth) throw new ZcrmUsageError('createClient needs an auth option');
    const dc = options.dataCenter ? dataCentre(options.dataCenter) : undefined;
    this.domain = (options.apiDomain ?? dc?.apiDomain ?? 'https://www.zohoapis.com').replace(/\/+$/, '');
    const accountsUrl = options.accountsUrl ?? dc?.accountsUrl ?? accountsUrlFor(this.domain);
    const fetchFn = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
    const now = options.now ?? (() => Date.now());
    this.concurrency = Math.max(1, options.concurrency ?? 3);
    const tokens = new TokenManager(options.auth, {
      accountsUrl, fetch: fetchFn, now, store: options.tokenStore ?? new MemoryTokenStore(), refreshSkewMs: options.refreshSkewMs ?? 60_000,
      // The api_domain that comes with a token wins: it names the data centre the user's org lives in.
      onApiDomain: (d) => {
        this.domain = d.replace(/\/+$/, '');
      },
    });
    this.transport = new Transport({
      apiDomain: () => this.domain, apiVersion: options.apiVersion ?? 'v2', fetch: fetchFn, tokens,
      retry: { retries: 4, baseDelayMs: 500, maxDelayMs: 20_000, ...options.retry },
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      random: Math.random,
    });
  }

  /** The API domain in use (it changes when a token answer names another). */
  get apiDomain(): string {
    return this.domain;
  }

  /** The last `X-API-CREDITS-REMAINING` the server sent, if any. */
  get creditsRemaining(): number | undefined {
    return this.transport.creditsRemaining;
  }

  /**
   * One record's related list.
   *
   * @example
   * const contacts = client.relatedRecords('Campaigns', '3652397000000327001', 'Contacts');
   * const report = await contacts.delink(ids);
   */
  relatedRecords(module: string, recordId: IdLike, relatedList: string): RelatedRecords {
    return new RelatedRecords(this.transport, module, recordId, relatedList, this.concurrency);
  }

  /**
   * One module's records.
   *
   * @example
   * const lead = await client.records('Leads').get('3652397000000900001');
   */
  records(module: string): Records {
    return new Records(this.transport, module, this.concurrency);
  }

  /**
   * Any CRM API call, with the client's auth, renewal and retries; the answer is returned as
   * it came (no error thrown for 4xx).
   *
   * @example
   * const res = await client.request({ method: 'GET', path: 'settings/modules' });
   */
  request(call: ApiCall): Promise<RawResponse> {
    return this.transport.send(call);
  }
}

/**
 * Creates a client for Zoho CRM's API (or a zcrm-local server).
 *
 * @example
 * import { createClient } from 'zcrm-local/sdk';
 * const client = createClient({
 *   dataCenter: 'eu',
 *   auth: { refreshToken: process.env.ZOHO_REFRESH_TOKEN!, clientId: '1000.XXXX', clientSecret: 'secret' },
 * });
 * const report = await client.relatedRecords('Campaigns', '3652397000000327001', 'Contacts')
 *   .delink(['3652397000000925128', '3652397000000649013']);
 */
export function createClient(options: ClientOptions): ZcrmClient {
  return new ZcrmClient(options);
}
