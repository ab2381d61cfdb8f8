/** Zoho's accounts endpoints: `/oauth/v2/token` and `/oauth/v2/token/revoke` (SPEC §7), per data centre. */
import type { FastifyInstance } from 'fastify';
import { tokenGrant } from '../auth/token-grant.js';
import { hashSecret } from '../auth/tokens.js';
import { dcOfSettings } from '../zoho/data-centres.js';
import type { AppContext } from './context.js';
import { dcUrls, requestDc } from './data-centre.js';
import { formParams } from './forms.js';

export function registerOAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/oauth/v2/token', async (request, reply) => {
    const params = await formParams(request.raw.url ?? '', request.headers['content-type'], request.body as Buffer | undefined);
    const answer = await tokenGrant(ctx.store, ctx.clock.now(), dcUrls(ctx, requestDc(request)), params);
    // Zoho answers token errors, throttling included, with HTTP 200 (ZOHO-FACTS §1.4).
    reply.code(200).header('cache-control', 'no-store').send(answer);
  });

  app.post('/oauth/v2/token/revoke', async (request, reply) => {
    const params = await formParams(request.raw.url ?? '', request.headers['content-type'], request.body as Buffer | undefined);
    const token = params.token ?? '';
    const row = token ? await ctx.store.getToken(hashSecret(token)) : undefined;
    const org = row ? await ctx.store.getOrg(row.orgId) : undefined;
    // Another data centre's token is unknown here.
    if (!row || !org || dcOfSettings(org.settings) !== requestDc(request)) return reply.code(400).send({ status: 'failure', error: 'invalid_token' });
    await ctx.store.revokeToken(row.hash);
    return reply.code(200).send({ status: 'success' });
  });
}
