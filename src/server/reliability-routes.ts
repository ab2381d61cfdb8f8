/**
 * Admin routes for edition limits and fault rules:
 *   GET|PUT /_zcrm/orgs/{org}/edition     {edition: Free|…|Ultimate|off, users?, credits?}
 *   GET|POST|DELETE /_zcrm/faults, DELETE /_zcrm/faults/{id}
 * The `/_zcrm/` loopback-or-key guard (admin-routes.ts) covers them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OrgSettings } from '../store/store.js';
import { ZohoError } from '../zoho/errors.js';
import type { AppContext } from './context.js';
import { FaultInputError, PRESETS } from './faults.js';
import { EDITION_NAMES, parseEdition } from './limits.js';
import type { Reliability } from './reliability.js';

export const adminError = (status: number, code: string, message: string, details: Record<string, unknown> = {}) =>
  new ZohoError(status, code, message, details);

/** The JSON object body of an admin call ({} when empty). */
export function adminBody(request: FastifyRequest): Record<string, unknown> {
  const raw = request.body as Buffer | undefined;
  if (!raw || raw.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw adminError(400, 'INVALID_DATA', 'the request body must be a JSON object');
}

const positiveInt = (v: unknown, name: string): number | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1e12) throw adminError(400, 'INVALID_DATA', `${name} must be a non-negative integer`, { param_name: name });
  return v;
};

export function registerReliabilityRoutes(app: FastifyInstance, ctx: AppContext, r: Reliability): void {
  const orgOf = async (request: FastifyRequest) => {
    const { org } = request.params as { org: string };
    const found = await ctx.store.getOrg(org);
    if (!found) throw adminError(404, 'INVALID_DATA', 'no such org', { org_id: org });
    return found;
  };

  app.get('/_zcrm/orgs/:org/edition', async (request) => {
    const org = await orgOf(request);
    return { org_id: org.id, ...(await r.limits.status(org)) };
  });

  /** `{"edition": "Professional"}`, optionally `users` (licences) and `credits` (a daily credit override); "off" removes limits. */
  app.put('/_zcrm/orgs/:org/edition', async (request) => {
    const org = await orgOf(request);
    const b = adminBody(request);
    const off = b.edition === null || (typeof b.edition === 'string' && b.edition.toLowerCase() === 'off');
    const edition = parseEdition(b.edition);
    if (!off && !edition) {
      throw adminError(400, 'INVALID_DATA', `edition must be one of ${EDITION_NAMES.join(', ')} or off`, { param_name: 'edition' });
    }
    const { editionUsers: _u, editionCredits: _c, ...rest } = org.settings;
    const settings: OrgSettings = { ...rest, edition: edition ?? null };
    const users = positiveInt(b.users, 'users');
    const credits = positiveInt(b.credits, 'credits');
    if (edition && users !== undefined) settings.editionUsers = users;
    if (edition && credits !== undefined) settings.editionCredits = credits;
    await ctx.store.updateOrgSettings(org.id, settings);
    const updated = { ...org, settings };
    return { org_id: org.id, ...(await r.limits.status(updated)) };
  });

  /** `?org=` keeps one org's calls, `?limit=` the newest n; oldest first. */
  app.get('/_zcrm/requests', async (request) => {
    const q = request.query as Record<string, string | undefined>;
    const limit = q.limit === undefined ? undefined : Number(q.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw adminError(400, 'INVALID_DATA', 'limit must be a non-negative integer', { param_name: 'limit' });
    return { size: r.requests.size, requests: r.requests.list({ org: q.org || undefined, limit }) };
  });

  app.delete('/_zcrm/requests', async () => {
    r.requests.clear();
    return { status: 'ok' };
  });

  app.get('/_zcrm/faults', async () => ({ faults: r.faults.list(), presets: PRESETS }));

  app.post('/_zcrm/faults', async (request, reply) => {
    try {
      const fault = r.faults.add(adminBody(request));
      reply.code(201);
      return { fault };
    } catch (e) {
      if (e instanceof FaultInputError) throw adminError(400, 'INVALID_DATA', e.message);
      throw e;
    }
  });

  app.delete('/_zcrm/faults', async () => {
    r.faults.clear();
    return { status: 'ok', faults: [] };
  });

  app.delete('/_zcrm/faults/:id', async (request) => {
    const { id } = request.params as { id: string };
    if (!r.faults.remove(id)) throw adminError(404, 'INVALID_DATA', 'no such fault rule', { id });
    return { status: 'ok', id };
  });
}
