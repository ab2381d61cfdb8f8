/** `connection add|list|remove`: named connections, used by API commands with `--connection <name>`. */
import type { Command } from 'commander';
import { dataCentre } from '../sdk/index.js';
import { connectionsFile, loadConnections, saveConnections, type Connection } from './connections.js';
import { opt } from './options.js';

interface AddFlags {
  url?: string;
  dc?: string;
  accountsUrl?: string;
  token?: string;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
}

function connectionFrom(o: AddFlags): Connection {
  const dc = o.dc ? dataCentre(o.dc) : undefined;
  const apiDomain = o.url ?? dc?.apiDomain;
  if (!apiDomain) throw new Error('give --url <api_domain> or --dc <data centre>');
  const refresh = o.refreshToken !== undefined || o.clientId !== undefined || o.clientSecret !== undefined;
  if (refresh && (!o.refreshToken || !o.clientId || !o.clientSecret)) throw new Error('a refresh-token connection needs --refresh-token, --client-id and --client-secret');
  if (!refresh && !o.token) throw new Error('give --token <access_token>, or --refresh-token with --client-id and --client-secret');
  if (refresh && o.token) throw new Error('give either --token or a refresh token, not both');
  const c: Connection = { apiDomain: apiDomain.replace(/\/+$/, '') };
  const accountsUrl = o.accountsUrl ?? dc?.accountsUrl;
  if (accountsUrl) c.accountsUrl = accountsUrl;
  if (refresh) Object.assign(c, { refreshToken: o.refreshToken, clientId: o.clientId, clientSecret: o.clientSecret });
  else c.accessToken = o.token;
  return c;
}

export function registerConnectionCommands(program: Command): void {
  const connection = program.command('connection').description(`named connections, saved in ${connectionsFile()} (readable by you only)`);

  connection.command('add').description('save (or replace) a connection')
    .argument('<name>', 'a name, e.g. crm_oauth_connection')
    .addOption(opt('--url <api_domain>', 'API domain, e.g. http://127.0.0.1:8080 or https://www.zohoapis.eu'))
    .addOption(opt('--dc <data_centre>', 'Zoho data centre instead of --url: com, eu, in, com.au, jp, ca, sa, com.cn'))
    .addOption(opt('--accounts-url <url>', 'accounts server (default: the data centre\'s, or the API domain for a local server)'))
    .addOption(opt('--token <access_token>', 'an access token'))
    .addOption(opt('--refresh-token <token>', 'a refresh token (tokens are then renewed as needed)'))
    .addOption(opt('--client-id <id>', 'client id for the refresh token'))
    .addOption(opt('--client-secret <secret>', 'client secret for the refresh token'))
    .action((name: string, o: AddFlags) => {
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new Error('a connection name is 1 to 64 letters, digits, _ . or -');
      const all = loadConnections();
      const existed = name in all;
      all[name] = connectionFrom(o);
      saveConnections(all);
      process.stdout.write(`${existed ? 'replaced' : 'saved'} connection ${name} (${all[name].apiDomain})\n`);
    });

  connection.command('list').description('list connections (no secrets shown)')
    .addOption(opt('--json', 'print one JSON object'))
    .action((o: { json?: boolean }) => {
      const rows = Object.entries(loadConnections()).map(([name, c]) => ({
        name, api_domain: c.apiDomain, accounts_url: c.accountsUrl ?? null, auth: c.refreshToken ? 'refresh_token' : 'access_token',
      }));
      if (o.json) {
        process.stdout.write(JSON.stringify({ connections: rows }) + '\n');
        return;
      }
      if (rows.length === 0) {
        process.stdout.write('no connections (add one with `zcrm-local connection add <name> --url … --token …`)\n');
        return;
      }
      const w = Math.max(4, ...rows.map((r) => r.name.length));
      process.stdout.write(rows.map((r) => `${r.name.padEnd(w)}  ${r.auth.padEnd(13)}  ${r.api_domain}`).join('\n') + '\n');
    });

  connection.command('remove').description('remove a connection')
    .argument('<name>', 'the connection')
    .action((name: string) => {
      const all = loadConnections();
      if (!(name in all)) throw new Error(`no connection named "${name}"`);
      delete all[name];
      saveConnections(all);
      process.stdout.write(`removed connection ${name}\n`);
    });
}
