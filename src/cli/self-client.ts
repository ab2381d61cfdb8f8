import type { Command } from 'commander';
import { adminCall } from './admin-client.js';
import { adminKeyOption, opt, urlOption } from './options.js';

export function registerSelfClient(program: Command): void {
  program
    .command('self-client')
    .description('create a self client and a grant code for chosen scopes (a new org unless --org is given)')
    .addOption(urlOption())
    .addOption(opt('--scope <scopes>', 'comma-separated scopes, e.g. ZohoCRM.modules.ALL').makeOptionMandatory())
    .addOption(opt('--org <org_id>', 'existing org to add the client to'))
    .addOption(opt('--expires-in <seconds>', 'grant code lifetime in seconds', undefined, '120'))
    .addOption(adminKeyOption())
    .addOption(opt('--json', 'print one JSON object'))
    .action(async (o: { url: string; scope: string; org?: string; expiresIn: string; adminKey?: string; json?: boolean }) => {
      let orgId = o.org;
      if (!orgId) orgId = String((await adminCall(o.url, 'POST', '_zcrm/orgs', {}, o.adminKey)).org_id);
      const made = await adminCall(o.url, 'POST', `_zcrm/orgs/${encodeURIComponent(orgId)}/self-clients`, {
        scope: o.scope, expires_in: Number(o.expiresIn),
      }, o.adminKey);
      if (o.json) {
        process.stdout.write(JSON.stringify(made) + '\n');
        return;
      }
      process.stdout.write(
        `org_id        ${made.org_id}\nuser_id       ${made.user_id}\nclient_id     ${made.client_id}\n` +
        `client_secret ${made.client_secret}\ncode          ${made.code}\naccounts_url  ${made.accounts_url}\napi_domain    ${made.api_domain}\n` +
        `\nExchange the code (once, within ${o.expiresIn} s):\n` +
        `curl -X POST "${made.accounts_url}/oauth/v2/token" -d grant_type=authorization_code -d client_id=${made.client_id} -d client_secret=${made.client_secret} -d code=${made.code}\n`,
      );
    });
}
