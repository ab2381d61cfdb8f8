import type { Command } from 'commander';
import { adminCall } from './admin-client.js';
import { adminKeyOption, opt, urlOption } from './options.js';

export function registerUser(program: Command): void {
  const user = program.command('user').description('users of an org (they sign in on the accounts pages)');
  user
    .command('create')
    .description('create a user with an email and a password')
    .addOption(urlOption())
    .addOption(opt('--org <org_id>', 'org the user belongs to').makeOptionMandatory())
    .addOption(opt('--email <email>', 'the user\'s email, used to sign in').makeOptionMandatory())
    .addOption(opt('--password <password>', 'the user\'s password').makeOptionMandatory())
    .addOption(opt('--profile <name>', 'profile name, e.g. Administrator or Standard', undefined, 'Standard'))
    .addOption(opt('--name <name>', 'full name'))
    .addOption(adminKeyOption())
    .addOption(opt('--json', 'print one JSON object'))
    .action(async (o: { url: string; org: string; email: string; password: string; profile: string; name?: string; adminKey?: string; json?: boolean }) => {
      const made = await adminCall(o.url, 'POST', `_zcrm/orgs/${encodeURIComponent(o.org)}/users`, {
        email: o.email, password: o.password, profile: o.profile, name: o.name,
      }, o.adminKey);
      const out = { user_id: made.user_id, email: made.email, profile: made.profile };
      process.stdout.write(o.json ? JSON.stringify(out) + '\n' : `user_id  ${out.user_id}\nemail    ${out.email}\nprofile  ${out.profile}\n`);
    });
}
