/**
 * The admin surface under `/_zcrm/`: health, orgs, users, profiles, self clients, tokens,
 * private sharing, the clock and reset. Closed to non-loopback callers unless an admin key is
 * configured and presented in `X-Zcrm-Admin-Key`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createClient, createOrgWithAdmin, createUser, mintAccessToken, mintRefreshToken, selfClient } from '../auth/accounts.js';
import { parsePermissions } from '../auth/permissions.js';
import { sameHash, hashSecret } from '../auth/tokens.js';
import { ZohoError } from '../zoho/errors.js';
import { lookupModule } from '../zoho/modules.js';
import { isWellFormedScope, parseScopes } from '../zoho/scopes.js';
import type { AppContext } from './context.js';
import { dcUrls, orgDc } from './data-centre.js';
import { seedDemo } from './demo.js';
import { importSnapshot, snapshotFromBody } from './snapshot-routes.js';
import { DATA_CENTRES, isDataCentre, type DataCentre } from '../zoho/data-centres.js';

const adminError = (status: number, code: string, message: string, details: Record<string, unknown> = {}) =>
  new ZohoError(status, code, message, details);

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function body(request: FastifyRequest): Record<string, unknown> {
  const raw = request.body as Buffer | undefined;
  if (!raw || raw.length === 0) return {};
  try {
    const parsed = JSON.parse(raw.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw adminError(400, 'INVALID_DATA', 'the request body must be a JSON object');
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function registerAdminRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    // The matched route decides too: the router decodes `/%5Fzcrm/…` to an admin route the raw URL does not show.
    if (!request.url.startsWith('/_zcrm/') && !(request.routeOptions.url ?? '').startsWith('/_zcrm/')) return;
    if (isLoopback(request.socket.remoteAddress)) return;
    const key = request.headers['x-zcrm-admin-key'];
    if (ctx.config.adminKey && typeof key === 'string' && sameHash(hashSecret(key), hashSecret(ctx.config.adminKey))) return;
    throw adminError(403, 'NO_PERMISSION', 'the admin surface is closed to this caller');
  });

  const orgOf = async (request: FastifyRequest) => {
    const { org } = request.params as { org: string };
    const found = await ctx.store.getOrg(org);
    if (!found) throw adminError(404, 'INVALID_DATA', 'no such org', { org_id: org });
    return found;
  };

  const adminUserOf = async (orgId: string, userId?: string) => {
    const users = await ctx.store.listUsers(orgId);
    if (userId) {
      const u = users.find((x) => x.id === userId);
      if (!u) throw adminError(404, 'INVALID_DATA', 'no such user', { user_id: userId });
      return u;
    }
    const profiles = await ctx.store.listProfiles(orgId);
    const admin = profiles.find((p) => p.permissions.admin);
    const u = users.find((x) => x.profileId === admin?.id) ?? users[0];
    if (!u) throw adminError(404, 'INVALID_DATA', 'the org has no user');
    return u;
  };

  const scopesOf = (raw: unknown): string => {
    const scope = str(raw);
    if (!scope) throw adminError(400, 'MANDATORY_NOT_FOUND', 'scope is required', { param_name: 'scope' });
    const bad = parseScopes(scope).filter((s) => !isWellFormedScope(s));
    if (bad.length > 0) throw adminError(400, 'INVALID_DATA', 'invalid scope', { scopes: bad });
    return scope;
  };

  app.get('/_zcrm/health', async () => ({ status: 'ok', store: ctx.store.kind, time: new Date(ctx.clock.now()).toISOString() }));

  app.get('/_zcrm/orgs', async () => ({
    orgs: (await ctx.store.listOrgs()).map((o) => ({ org_id: o.id, name: o.name, settings: o.settings })),
  }));

  app.post('/_zcrm/orgs', async (request, reply) => {
    const b = body(request);
    if (b.dc !== undefined && !isDataCentre(b.dc)) throw adminError(400, 'INVALID_DATA', `dc must be one of ${DATA_CENTRES.join(', ')}`, { param_name: 'dc' });
    const created = await createOrgWithAdmin(ctx.store, ctx.clock.now(), { name: str(b.name), adminEmail: str(b.admin_email), dc: b.dc as DataCentre | undefined });
    const place = dcUrls(ctx, orgDc(created.org));
    reply.code(201);
    return {
      org_id: created.org.id, name: created.org.name, user_id: created.admin.id, email: created.admin.email,
      dc: place.dc, accounts_url: place.accountsUrl, api_domain: place.apiDomain,
      profiles: [created.administrator, created.standard].map((p) => ({ id: p.id, name: p.name })),
    };
  });

  app.post('/_zcrm/orgs/:org/self-clients', async (request, reply) => {
    const org = await orgOf(request);
    const b = body(request);
    const user = await adminUserOf(org.id, str(b.user_id));
    const ttl = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in * 1000 : undefined;
    const made = await selfClient(ctx.store, ctx.clock.now(), org.id, user.id, scopesOf(b.scope), ttl);
    reply.code(201);
    return {
      org_id: org.id, user_id: user.id, client_id: made.clientId, client_secret: made.clientSecret, code: made.code,
      scopes: made.scopes, accounts_url: dcUrls(ctx, orgDc(org)).accountsUrl, api_domain: dcUrls(ctx, orgDc(org)).apiDomain,
    };
  });

  /** Mints tokens directly, skipping the grant-code exchange (handy for test set-up). */
  app.post('/_zcrm/orgs/:org/tokens', async (request, reply) => {
    const org = await orgOf(request);
    const b = body(request);
    const user = await adminUserOf(org.id, str(b.user_id));
    const scopes = parseScopes(scopesOf(b.scope));
    const now = ctx.clock.now();
    const { client, secret } = await createClient(ctx.store, org.id, now, { type: 'self' });
    const base = { clientId: client.clientId, orgId: org.id, userId: user.id, scopes };
    const refresh = await mintRefreshToken(ctx.store, now, base);
    const access = await mintAccessToken(ctx.store, now, base, refresh.hash);
    reply.code(201);
    return {
      org_id: org.id, user_id: user.id, client_id: client.clientId, client_secret: secret, access_token: access,
      refresh_token: refresh.token, expires_in: 3600, api_domain: dcUrls(ctx, orgDc(org)).apiDomain, accounts_url: dcUrls(ctx, orgDc(org)).accountsUrl,
    };
  });

  app.get('/_zcrm/orgs/:org/users', async (request) => {
    const org = await orgOf(request);
    const profiles = new Map((await ctx.store.listProfiles(org.id)).map((p) => [p.id, p.name]));
    return { users: (await ctx.store.listUsers(org.id)).map((u) => ({ user_id: u.id, email: u.email, name: u.name, profile: profiles.get(u.profileId) })) };
  });

  app.post('/_zcrm/orgs/:org/users', async (request, reply) => {
    const org = await orgOf(request);
    const b = body(request);
    const email = str(b.email);
    if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) throw adminError(400, 'INVALID_DATA', 'a valid email is required', { param_name: 'email' });
    const made = await createUser(ctx.store, org.id, ctx.clock.now(), { email, password: str(b.password), name: str(b.name), profile: str(b.profile) });
    if ('error' in made) throw adminError(400, 'INVALID_DATA', made.error);
    reply.code(201);
    return { user_id: made.user.id, email: made.user.email, profile: made.profile.name };
  });

  app.get('/_zcrm/orgs/:org/profiles', async (request) => {
    const org = await orgOf(request);
    return { profiles: (await ctx.store.listProfiles(org.id)).map((p) => ({ profile_id: p.id, name: p.name, permissions: p.permissions })) };
  });

  app.post('/_zcrm/orgs/:org/profiles', async (request, reply) => {
    const org = await orgOf(request);
    const b = body(request);
    const name = str(b.name);
    const permissions = parsePermissions(b.permissions ?? {});
    if (!name || !permissions) throw adminError(400, 'INVALID_DATA', 'name and permissions {modules: {Module: {view, create, edit, delete}}} are required');
    for (const m of Object.keys(permissions.modules)) {
      if (lookupModule(m).kind !== 'ok') throw adminError(400, 'INVALID_MODULE', `unknown module ${m}`);
    }
    const profile = await ctx.store.createProfile(org.id, { name, permissions });
    reply.code(201);
    return { profile_id: profile.id, name: profile.name, permissions: profile.permissions };
  });

  /** `{"private_modules": ["Campaigns"]}` sets which modules' data sharing is private. */
  app.put('/_zcrm/orgs/:org/settings', async (request) => {
    const org = await orgOf(request);
    const b = body(request);
    const settings = { ...org.settings };
    if (b.private_modules !== undefined) {
      if (!Array.isArray(b.private_modules)) throw adminError(400, 'INVALID_DATA', 'private_modules must be a list');
      const names: string[] = [];
      for (const m of b.private_modules) {
        const found = typeof m === 'string' ? lookupModule(m) : { kind: 'unknown' as const };
        if (found.kind !== 'ok') throw adminError(400, 'INVALID_MODULE', `unknown module ${String(m)}`);
        names.push(found.module.apiName);
      }
      settings.privateModules = names;
    }
    await ctx.store.updateOrgSettings(org.id, settings);
    return { org_id: org.id, settings };
  });

  app.get('/_zcrm/clock', async () => ({ now: new Date(ctx.clock.now()).toISOString(), offset_ms: ctx.clock.offset }));
  app.post('/_zcrm/clock/advance', async (request) => {
    const b = body(request);
    const seconds = b.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) throw adminError(400, 'INVALID_DATA', 'seconds must be a non-negative number');
    await ctx.clock.advanceShared(seconds * 1000);
    return { now: new Date(ctx.clock.now()).toISOString(), offset_ms: ctx.clock.offset };
  });

  /** `{demo?}` wipes every org; `{snapshot}` or `{path}` then imports that snapshot (checked before anything is wiped). */
  app.post('/_zcrm/reset', { bodyLimit: 512 * 1024 * 1024 }, async (request) => {
    const b = body(request);
    const snapshot = snapshotFromBody(b);
    await ctx.store.reset();
    const orgs = snapshot ? await importSnapshot(ctx, snapshot) : [];
    const demo = b.demo === true ? await seedDemo(ctx) : undefined;
    return { status: 'ok', demo_org_id: demo?.orgId ?? null, orgs };
  });
}

