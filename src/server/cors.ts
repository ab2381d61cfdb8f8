/**
 * CORS for browser apps, credentials mode included (SPEC §7): an allowed origin is echoed with
 * `Access-Control-Allow-Credentials: true` on every answer, errors included, so the page can
 * read them. Which origins are allowed:
 * - `strict` (Zoho's rule): on an API call made with a live access token, the origins that
 *   token's client registered; on anything else (preflights, token endpoints, calls without a
 *   valid token), an origin some client registered.
 * - `registered` (the default): as `strict`, and loopback origins (pages on the developer's own
 *   machine, e.g. `http://127.0.0.1:5501`) always, whatever client the token belongs to.
 * - `any`: every origin.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashSecret } from '../auth/tokens.js';
import type { AppContext } from './context.js';

export type CorsMode = 'registered' | 'strict' | 'any';
export const CORS_MODES: readonly CorsMode[] = ['registered', 'strict', 'any'];

const TOKEN_PREFIX = 'zoho-oauthtoken ';

export function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  } catch {
    return false;
  }
}

/** The client behind a live access token in the Authorization header, if any. */
async function tokenClientOrigins(ctx: AppContext, header: string | undefined): Promise<string[] | undefined> {
  if (!header || header.slice(0, TOKEN_PREFIX.length).toLowerCase() !== TOKEN_PREFIX) return undefined;
  const row = await ctx.store.getToken(hashSecret(header.slice(TOKEN_PREFIX.length).trim()));
  if (!row || row.kind !== 'access' || row.revoked || (row.expiresAt !== null && row.expiresAt <= ctx.clock.now())) return undefined;
  return (await ctx.store.getClient(row.clientId))?.origins ?? [];
}

export async function originAllowed(ctx: AppContext, request: FastifyRequest, origin: string): Promise<boolean> {
  const mode = ctx.config.cors ?? 'registered';
  if (mode === 'any' || (mode === 'registered' && isLoopbackOrigin(origin))) return true;
  if (request.method !== 'OPTIONS' && request.url.startsWith('/crm/')) {
    const origins = await tokenClientOrigins(ctx, request.headers.authorization);
    if (origins) return origins.includes(origin);
  }
  return ctx.store.isOriginRegistered(origin);
}

export async function corsHook(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const origin = request.headers.origin;
  if (!origin) return;
  reply.header('vary', 'Origin');
  if (!(await originAllowed(ctx, request, origin))) return;
  reply.header('access-control-allow-origin', origin);
  reply.header('access-control-allow-credentials', 'true');
  reply.header('access-control-expose-headers', 'X-API-CREDITS-REMAINING');
}

/** A preflight: allowed origins get the methods and headers they ask for; others get 403 and no CORS headers. */
export function answerPreflight(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.headers.origin && !reply.hasHeader('access-control-allow-origin')) return reply.code(403).send();
  reply.header('access-control-allow-methods', 'GET, POST, PUT, DELETE, PATCH, OPTIONS');
  reply.header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? 'Authorization, Content-Type');
  reply.header('access-control-max-age', '86400');
  return reply.code(204).send();
}
