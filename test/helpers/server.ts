/** Test helpers: an isolated in-process server per suite, orgs and tokens made through the admin API. */
import { startServer, type RunningServer } from '../../src/server/app.js';
import { createTestDatabase } from './pg.js';

export interface TestServer extends RunningServer {
  admin(method: string, path: string, body?: unknown): Promise<Record<string, any>>;
  /** A new org with an Administrator user, and an access token for the given scopes. */
  newOrg(scope?: string): Promise<{ orgId: string; userId: string; token: string; refreshToken: string; clientId: string; clientSecret: string }>;
  tokenFor(orgId: string, scope: string, userId?: string): Promise<string>;
}

/**
 * `ZCRM_TEST_STORE=postgres` (or `options.pg`) backs the server with a fresh PostgreSQL database,
 * dropped on close; otherwise SQLite :memory:.
 */
export async function startTestServer(options: Parameters<typeof startServer>[0] & { pg?: boolean } = {}): Promise<TestServer> {
  const { pg, ...rest } = options;
  const onPostgres = pg ?? (process.env.ZCRM_TEST_STORE === 'postgres' && rest.db === undefined && rest.store === undefined);
  const database = onPostgres ? await createTestDatabase() : undefined;
  const server = await startServer({ port: 0, db: database?.url ?? ':memory:', demo: false, logLevel: 'silent', ...rest });
  if (database) {
    const close = server.close.bind(server);
    server.close = async () => {
      await close();
      await database.drop();
    };
  }
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : {};
  };
  const tokenFor = async (orgId: string, scope: string, userId?: string) =>
    (await admin('POST', `/_zcrm/orgs/${orgId}/tokens`, { scope, user_id: userId })).access_token as string;
  const newOrg = async (scope = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.ALL,ZohoCRM.org.ALL') => {
    const org = await admin('POST', '/_zcrm/orgs', {});
    const t = await admin('POST', `/_zcrm/orgs/${org.org_id}/tokens`, { scope });
    return { orgId: org.org_id, userId: org.user_id, token: t.access_token, refreshToken: t.refresh_token, clientId: t.client_id, clientSecret: t.client_secret };
  };
  return Object.assign(server, { admin, newOrg, tokenFor });
}

export interface ApiAnswer {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/** One CRM API call with a token; the body is parsed when there is one. */
export async function api(base: string, token: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  const h: Record<string, string> = { ...headers };
  if (token !== undefined) h.authorization = `Zoho-oauthtoken ${token}`;
  const res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}
