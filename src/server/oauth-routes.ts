/** Zoho's accounts endpoints: `/oauth/v2/token` and `/oauth/v2/token/revoke` (SPEC §7). */
import type { FastifyInstance } from 'fastify';
import { tokenGrant } from '../auth/accounts.js';
import { hashSecret } from '../auth/tokens.js';
import type { AppContext } from './context.js';
import { formParams } from './forms.js';

export function registerOAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/oauth/v2/token', async (request, reply) => {
    const params = await formParams(request.raw.url ?? '', request.headers['content-type'], request.body as Buffer | undefined);
    const result = await tokenGrant(ctx.store, ctx.clock.now(), ctx.config.apiDomain, params);
    // Zoho answers token errors with HTTP 200 and `{"error": …}` (ZOHO-FACTS §1.4).
    reply.code(200).header('cache-control', 'no-store').send('ok' in result ? result.ok : { error: result.error });
  });

  app.post('/oauth/v2/token/revoke', async (request, reply) => {
    const params = await formParams(request.raw.url ?? '', request.headers['content-type'], request.body as Buffer | undefined);
    const token = params.token ?? '';
    const row = token ? await ctx.store.getToken(hashSecret(token)) : undefined;
    if (!row) return reply.code(400).send({ status: 'failure', error: 'invalid_token' });
    await ctx.store.revokeToken(row.hash);
    return reply.code(200).send({ status: 'success' });
  });
}
