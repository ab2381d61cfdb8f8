/**
 * Admin surface for OAuth clients: server-based and browser (client-based) apps with their
 * registered redirect URIs and allowed origins. Behind the same loopback/admin-key guard as the
 * rest of `/_zcrm/` (the guard is an app-wide hook in admin-routes.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createClient } from '../auth/accounts.js';
import type { OAuthClient } from '../store/store.js';
import { ZohoError } from '../zoho/errors.js';
import type { AppContext } from './context.js';
import { dcUrls, orgDc } from './data-centre.js';

const invalid = (message: string, details: Record<string, unknown> = {}) => new ZohoError(400, 'INVALID_DATA', message, details);

function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const raw = request.body as Buffer | undefined;
  try {
    const parsed: unknown = raw && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : {};
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw invalid('the request body must be a JSON object');
}

function stringList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string' && v !== '')) throw invalid(`${name} must be a list of strings`, { param_name: name });
  return [...new Set(list as string[])];
}

/** Redirect URIs are absolute http(s) URLs without a fragment; they are compared exactly. */
export function checkRedirectUri(uri: string): boolean {
  try {
    const url = new URL(uri);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !uri.includes('#');
  } catch {
    return false;
  }
}

/** An origin is `scheme://host[:port]`, exactly as a browser sends it. */
export function checkOrigin(origin: string): boolean {
  try {
    return new URL(origin).origin === origin;
  } catch {
    return false;
  }
}

function clientView(c: OAuthClient): Record<string, unknown> {
  return { client_id: c.clientId, type: c.type, name: c.name, redirect_uris: c.redirectUris, origins: c.origins, created_time: new Date(c.createdAt).toISOString() };
}

export function registerClientAdminRoutes(app: FastifyInstance, ctx: AppContext): void {
  const orgOf = async (request: FastifyRequest) => {
    const { org } = request.params as { org: string };
    const found = await ctx.store.getOrg(org);
    if (!found) throw new ZohoError(404, 'INVALID_DATA', 'no such org', { org_id: org });
    return found;
  };

  app.get('/_zcrm/orgs/:org/clients', async (request) => {
    const org = await orgOf(request);
    return { clients: (await ctx.store.listClients(org.id)).map(clientView) };
  });

  app.post('/_zcrm/orgs/:org/clients', async (request, reply) => {
    const org = await orgOf(request);
    const b = jsonBody(request);
    if (b.type !== 'server' && b.type !== 'browser') throw invalid('type must be server or browser', { param_name: 'type' });
    const redirectUris = stringList(b.redirect_uris, 'redirect_uris');
    if (redirectUris.length === 0) throw invalid('at least one redirect URI is required', { param_name: 'redirect_uris' });
    const badUri = redirectUris.find((u) => !checkRedirectUri(u));
    if (badUri) throw invalid('a redirect URI must be an absolute http(s) URL without a fragment', { redirect_uri: badUri });
    let origins = stringList(b.origins, 'origins');
    const badOrigin = origins.find((o) => !checkOrigin(o));
    if (badOrigin) throw invalid('an origin is scheme://host[:port], without a path', { origin: badOrigin });
    // A browser app with no origins given may call from where its redirect pages live.
    if (b.type === 'browser' && origins.length === 0) origins = [...new Set(redirectUris.map((u) => new URL(u).origin))];
    const name = typeof b.name === 'string' && b.name.trim() !== '' ? b.name.trim() : b.type === 'browser' ? 'Browser app' : 'Server app';
    const { client, secret } = await createClient(ctx.store, org.id, ctx.clock.now(), { type: b.type, name, redirectUris, origins });
    const place = dcUrls(ctx, orgDc(org));
    reply.code(201);
    return {
      client_id: client.clientId, client_secret: secret, redirect_uris: client.redirectUris, origins: client.origins,
      type: client.type, name: client.name, org_id: org.id, accounts_url: place.accountsUrl, api_domain: place.apiDomain,
    };
  });
}
