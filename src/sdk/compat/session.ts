/** The client behind the Zoho-style façade, set by `ZCRM.initialize`. */
import { createClient, type ClientOptions, type ZcrmClient } from '../client.js';
import { ZcrmUsageError } from '../errors.js';
import type { TokenProvider, TokenStore } from '../tokens.js';

let client: ZcrmClient | undefined;

/** What `ZCRM.initialize` takes: an access token, or a refresh token with its client, or a provider. */
export interface InitializeOptions {
  apiDomain?: string;
  accountsUrl?: string;
  dataCenter?: string;
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  tokenProvider?: TokenProvider;
  tokenStore?: TokenStore;
  fetch?: typeof fetch;
  retry?: ClientOptions['retry'];
}

/**
 * Sets up the façade. Call once before using `ZCRM.RelatedRecord.Operations`; calling it
 * again replaces the previous set-up.
 *
 * @example
 * await ZCRM.initialize({ apiDomain: 'http://127.0.0.1:8080', accessToken: '1000.xxxx.yyyy' });
 * await ZCRM.initialize({ dataCenter: 'eu', clientId, clientSecret, refreshToken });
 */
export async function initialize(o: InitializeOptions): Promise<void> {
  if (!o || typeof o !== 'object') throw new ZcrmUsageError('ZCRM.initialize needs an options object');
  let auth: ClientOptions['auth'];
  if (o.tokenProvider) auth = { tokenProvider: o.tokenProvider };
  else if (o.refreshToken) auth = { refreshToken: o.refreshToken, clientId: o.clientId ?? '', clientSecret: o.clientSecret ?? '' };
  else if (o.accessToken) auth = { accessToken: o.accessToken };
  else throw new ZcrmUsageError('ZCRM.initialize needs accessToken, or refreshToken with clientId and clientSecret, or tokenProvider');
  client = createClient({
    apiDomain: o.apiDomain, accountsUrl: o.accountsUrl, dataCenter: o.dataCenter, auth, tokenStore: o.tokenStore, fetch: o.fetch, retry: o.retry,
  });
}

export function currentClient(): ZcrmClient {
  if (!client) throw new ZcrmUsageError('call `await ZCRM.initialize({ apiDomain, accessToken })` before using ZCRM operations');
  return client;
}
