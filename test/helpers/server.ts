/** Test helpers: an isolated in-process server per suite, orgs and tokens made through the admin API. */
import { startServer, type RunningServer } from '../../src/server/app.js';

export interface TestServer extends RunningServer {
  admin(method: string, path: string, body?: unknown): Promise<Record<string, any>>;
  /** A new org with an Administrator user, and an access token for the given scopes. */
  newOrg(scope?: string): Promise<{ orgId: string; userId: string; token: string; refreshToken: string; clientId: string; clientSecret: string }>;
  tokenFor(orgId: string, scope: string, userId?: string): Promise<string>;
}

export async function startTestServer(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const server = await startServer({ port: 0, db: ':memory:', demo: false, logLevel: 'silent', ...options });
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
