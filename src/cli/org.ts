/** `zcrm-local org …`: org settings on a running server, through its admin surface. */
import type { Command } from 'commander';
import { adminCall } from './admin-client.js';
import { adminKeyOption, opt, urlOption } from './options.js';

const EDITIONS = ['Free', 'Standard', 'Professional', 'Enterprise', 'Ultimate', 'off'];

function count(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[0-9]{1,12}$/.test(raw)) throw new Error(`${name} must be a non-negative integer`);
  return Number(raw);
}

export function registerOrg(program: Command): void {
  const org = program.command('org').description('org settings on a running server');
  org
    .command('edition')
    .description(`set an org's edition limits (concurrency, daily API credits): ${EDITIONS.join('|')}`)
    .argument('<org_id>', 'the org')
    .argument('<edition>', EDITIONS.join('|'))
    .addOption(urlOption())
    .addOption(opt('--users <n>', 'licensed users counted for the daily credits (default: the org\'s users)'))
    .addOption(opt('--credits <n>', 'daily credits instead of the edition\'s own (for tests)'))
    .addOption(adminKeyOption())
    .addOption(opt('--json', 'print one JSON object'))
    .action(async (orgId: string, edition: string, o: { url: string; users?: string; credits?: string; adminKey?: string; json?: boolean }) => {
      const canonical = EDITIONS.find((e) => e.toLowerCase() === edition.toLowerCase());
      if (!canonical) throw new Error(`edition must be one of ${EDITIONS.join(', ')}`);
      const made = await adminCall(o.url, 'PUT', `_zcrm/orgs/${encodeURIComponent(orgId)}/edition`, {
        edition: canonical, users: count(o.users, '--users'), credits: count(o.credits, '--credits'),
      }, o.adminKey);
      if (o.json) {
        process.stdout.write(JSON.stringify(made) + '\n');
        return;
      }
      process.stdout.write(made.edition === null
        ? `org ${made.org_id}: limits off\n`
        : `org ${made.org_id}: ${made.edition} — ${made.concurrency_limit} concurrent calls, ${made.credits_limit} API credits per 24 hours (${made.credits_used} used)\n`);
    });
}
