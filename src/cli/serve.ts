import type { Command } from 'commander';
import { opt } from './options.js';
import { faultSeedOption, reliabilityStartOptions, requestLogSizeOption, requestTimeoutOption, scenarioOption, type ReliabilityCliOptions } from './serve-options.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the Zoho CRM v2-compatible server')
    .addOption(opt('-p, --port <port>', 'port to listen on', 'ZCRM_PORT', '8080'))
    .addOption(opt('--host <host>', 'address to listen on', 'ZCRM_HOST', '127.0.0.1'))
    .addOption(opt('--db <path>', 'SQLite file, :memory:, or a postgres:// URL', 'ZCRM_DB', 'zcrm-local.db'))
    .addOption(opt('--api-domain <url>', 'public URL returned as api_domain (default: the listening URL)', 'ZCRM_PUBLIC_URL'))
    .addOption(opt('--accounts-url <url>', 'public URL of the accounts server (default: the API domain)', 'ZCRM_ACCOUNTS_URL'))
    .addOption(opt('--admin-key <key>', 'open /_zcrm/ to non-loopback callers presenting this key', 'ZCRM_ADMIN_KEY'))
    .addOption(opt('--sync <mode>', 'durability: normal (survives a process crash of the server) or full (also an OS or database crash; PostgreSQL: synchronous_commit)', 'ZCRM_SYNC', 'normal').choices(['normal', 'full']))
    .addOption(opt('--cors <mode>', 'browser origins given CORS headers: registered (by a client; loopback origins too), strict (registered only) or any', 'ZCRM_CORS', 'registered').choices(['registered', 'strict', 'any']))
    .addOption(opt('--no-demo', 'do not seed the demo org into an empty database'))
    .addOption(opt('--log-level <level>', 'log level (fatal, error, warn, info, debug)', 'ZCRM_LOG_LEVEL', 'info'))
    .addOption(requestLogSizeOption())
    .addOption(faultSeedOption())
    .addOption(scenarioOption())
    .addOption(requestTimeoutOption())
    .action(async (o: { port: string; host: string; db: string; apiDomain?: string; accountsUrl?: string; adminKey?: string; sync: 'normal' | 'full'; cors: 'registered' | 'strict' | 'any'; demo: boolean; logLevel: string } & ReliabilityCliOptions) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${o.port}`);
      // The server code loads only for `serve`, so the other commands start quickly.
      const [{ startServer }, { describeDb }, { isLoopback }] = await Promise.all([
        import('../server/app.js'), import('../store/open-store.js'), import('../server/admin-routes.js'),
      ]);
      const server = await startServer({
        port, host: o.host, db: o.db, apiDomain: o.apiDomain, accountsUrl: o.accountsUrl, adminKey: o.adminKey,
        sync: o.sync, cors: o.cors, demo: o.demo, logLevel: o.logLevel, ...reliabilityStartOptions(o),
      });
      const api = server.ctx.config.apiDomain;
      process.stdout.write(`zcrm-local serving Zoho CRM API v2 at ${api} (store: ${server.ctx.store.kind}, db: ${describeDb(o.db)})\n`);
      // A working token is printed only when the server listens on loopback.
      if (server.demoAccessToken && isLoopback(o.host === 'localhost' ? '127.0.0.1' : o.host)) {
        process.stdout.write(
          `\nTry the founding document's sample request (demo org 3652397, token valid for one hour):\n\n` +
          `curl "${api}/crm/v2/Campaigns/3652397000000327001/Contacts?ids=3652397000000925128,3652397000000649013" \\\n` +
          `  -X DELETE \\\n  -H "Authorization: Zoho-oauthtoken ${server.demoAccessToken}"\n\n`,
        );
      }
      const stop = () => {
        server.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
