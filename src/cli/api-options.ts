/** The flags every API command shares, and the SDK client they make. */
import type { Command } from 'commander';
import { createClient, type ClientOptions, type ZcrmClient } from '../sdk/index.js';
import { FileTokenStore, getConnection } from './connections.js';
import { opt } from './options.js';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

export interface ApiFlags {
  url?: string;
  token?: string;
  connection?: string;
  concurrency: string;
}

export function addApiOptions(cmd: Command): Command {
  return cmd
    .addOption(opt('--url <api_domain>', `API domain: this server or Zoho's (default ${DEFAULT_URL}, or the connection's)`, 'ZCRM_API_DOMAIN'))
    .addOption(opt('--token <access_token>', 'OAuth access token', 'ZCRM_ACCESS_TOKEN'))
    .addOption(opt('--connection <name>', 'a connection saved with `zcrm-local connection add`', 'ZCRM_CONNECTION'))
    .addOption(opt('--concurrency <n>', 'requests in flight at once for bulk calls', 'ZCRM_CONCURRENCY', '3'));
}

/**
 * A client from the flags. With a connection, flags typed on the command line override it;
 * values from the environment do not (they may be set for another purpose).
 */
export function clientFrom(o: ApiFlags, cmd: Command): ZcrmClient {
  const concurrency = Number(o.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 50) throw new Error('--concurrency must be an integer from 1 to 50');
  const typed = (name: string) => cmd.getOptionValueSource(name) === 'cli';
  let options: ClientOptions;
  if (o.connection) {
    const c = getConnection(o.connection);
    const apiDomain = typed('url') && o.url ? o.url : c.apiDomain;
    let auth: ClientOptions['auth'];
    if (typed('token') && o.token) auth = { accessToken: o.token };
    else if (c.refreshToken) auth = { refreshToken: c.refreshToken, clientId: c.clientId ?? '', clientSecret: c.clientSecret ?? '' };
    else if (c.accessToken) auth = { accessToken: c.accessToken };
    else throw new Error(`connection "${o.connection}" has no token`);
    options = { apiDomain, accountsUrl: c.accountsUrl, auth, tokenStore: c.refreshToken ? new FileTokenStore(o.connection) : undefined };
  } else {
    if (!o.token) throw new Error('no access token: give --token <access_token> (or ZCRM_ACCESS_TOKEN), or --connection <name>');
    options = { apiDomain: o.url || DEFAULT_URL, auth: { accessToken: o.token } };
  }
  return createClient({ ...options, concurrency });
}

/** `<Module>/<id>/<RelatedList>`. */
export function relatedPath(path: string): { module: string; id: string; relatedList: string } {
  const parts = path.split('/');
  if (parts.length !== 3 || parts.some((p) => p === '')) throw new Error(`"${path}" is not <Module>/<record_id>/<RelatedList>, e.g. Campaigns/3652397000000327001/Contacts`);
  return { module: parts[0], id: parts[1], relatedList: parts[2] };
}
