import type { Command } from 'commander';
import { adminCall } from './admin-client.js';
import { adminKeyOption, opt, urlOption } from './options.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerClient(program: Command): void {
  const client = program.command('client').description('OAuth clients: server-based and browser (client-based) apps');
  client
    .command('create')
    .description('register a client with its redirect URIs and, for browser apps, allowed origins')
    .addOption(urlOption())
    .addOption(opt('--org <org_id>', 'org the client belongs to').makeOptionMandatory())
    .addOption(opt('--type <type>', 'server (authorization code) or browser (implicit grant)').choices(['server', 'browser']).makeOptionMandatory())
    .addOption(opt('--redirect-uri <uri>', 'registered redirect URI, matched exactly (repeatable)').argParser(collect).makeOptionMandatory())
    .addOption(opt('--origin <origin>', 'allowed browser origin, scheme://host[:port] (repeatable; browser apps default to their redirect URIs\' origins)').argParser(collect))
    .addOption(opt('--name <name>', 'name shown on the consent page'))
    .addOption(adminKeyOption())
    .addOption(opt('--json', 'print one JSON object'))
    .action(async (o: { url: string; org: string; type: string; redirectUri: string[]; origin?: string[]; name?: string; adminKey?: string; json?: boolean }) => {
      const made = await adminCall(o.url, 'POST', `_zcrm/orgs/${encodeURIComponent(o.org)}/clients`, {
        type: o.type, redirect_uris: o.redirectUri, origins: o.origin, name: o.name,
      }, o.adminKey);
      if (o.json) {
        process.stdout.write(JSON.stringify(made) + '\n');
        return;
      }
      process.stdout.write(
        `client_id      ${made.client_id}\nclient_secret  ${made.client_secret}\nredirect_uris  ${(made.redirect_uris as string[]).join(' ')}\n` +
        `origins        ${(made.origins as string[]).join(' ')}\naccounts_url   ${made.accounts_url}\napi_domain     ${made.api_domain}\n`,
      );
    });
}
