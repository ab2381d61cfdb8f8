/**
 * `GET /oauth/v2/auth` and `/oauth/v2/auth/refresh` with the sign-in and consent pages behind
 * them (SPEC §7). Errors go back to the app's redirect URI, except when the client or the
 * redirect URI itself is wrong: then the page shows them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkAuthRequest, consentCovers, denied, issueAuthorization, type AuthRequest } from '../auth/authorize.js';
import { csrfToken, readSession, setCookieHeader, startSession } from '../auth/sessions.js';
import { verifyPassword } from '../auth/tokens.js';
import type { OAuthClient, Org, User } from '../store/store.js';
import type { AppContext } from './context.js';
import { dcPath, dcUrls, requestDc } from './data-centre.js';
import { formParams } from './forms.js';
import { consentPage, errorPage, signInPage } from './oauth-pages.js';

interface Approved {
  client: OAuthClient;
  org: Org;
  request: AuthRequest;
  rawQuery: string;
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).headers({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    // No scripts and nothing external; form-action is left open because the consent form ends in a redirect to the app.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  }).send(body);
}

const rawQueryOf = (request: FastifyRequest): string => {
  const url = request.raw.url ?? '';
  const q = url.indexOf('?');
  return q === -1 ? '' : url.slice(q + 1);
};

/** The handlers behind the accounts pages, sharing the app context. */
class AuthorizePages {
  constructor(private readonly ctx: AppContext) {}

  /** Checks the request; answers the error itself and returns undefined when it is not valid. */
  async checked(request: FastifyRequest, reply: FastifyReply, rawQuery = rawQueryOf(request)): Promise<Approved | undefined> {
    const check = await checkAuthRequest(this.ctx.store, requestDc(request), new URLSearchParams(rawQuery));
    if (check.kind === 'page') {
      html(reply, 400, errorPage(check.error));
      return undefined;
    }
    if (check.kind === 'redirect') {
      reply.code(302).header('location', check.location).header('cache-control', 'no-store').send();
      return undefined;
    }
    return { ...check, rawQuery };
  }

  async signedInUser(request: FastifyRequest, org: Org): Promise<{ user: User; csrf: string } | undefined> {
    const found = await readSession(this.ctx.store, this.ctx.clock.now(), request.headers.cookie);
    if (!found || found.session.orgId !== org.id) return undefined;
    const user = await this.ctx.store.getUser(org.id, found.session.userId);
    return user && { user, csrf: csrfToken(found.value) };
  }

  async finish(request: FastifyRequest, reply: FastifyReply, a: Approved, userId: string, consentedNow: boolean, status = 302): Promise<FastifyReply> {
    const place = dcUrls(this.ctx, requestDc(request));
    const location = await issueAuthorization(this.ctx.store, this.ctx.clock.now(), place, a.request, a.org.id, userId, consentedNow);
    return reply.code(status).header('location', location).header('cache-control', 'no-store').send();
  }

  /** `GET /oauth/v2/auth` (and `/refresh` when `silent`): sign-in page, consent page, or straight back to the app. */
  async authorize(request: FastifyRequest, reply: FastifyReply, silent: boolean): Promise<FastifyReply> {
    const a = await this.checked(request, reply);
    if (!a) return reply;
    const dc = requestDc(request);
    const signedIn = await this.signedInUser(request, a.org);
    if (!signedIn) {
      const action = `${dcPath(dc, '/oauth/v2/auth/signin')}?${a.rawQuery}${a.rawQuery ? '&' : ''}zcrm_next=${silent ? 'refresh' : 'auth'}`;
      return html(reply, 200, signInPage({ action, clientName: a.client.name, orgName: a.org.name }));
    }
    const consent = await this.ctx.store.getConsent(a.client.clientId, a.org.id, signedIn.user.id);
    // `/auth/refresh` is the silent renewal for a user who already granted access (ZOHO-FACTS §1.3).
    if (consentCovers(consent, a.request.scopes) && (silent || !a.request.forceConsent)) return this.finish(request, reply, a, signedIn.user.id, false);
    return html(reply, 200, consentPage({
      action: `${dcPath(dc, '/oauth/v2/auth/consent')}?${a.rawQuery}`, csrf: signedIn.csrf, clientName: a.client.name,
      orgName: a.org.name, email: signedIn.user.email, scopes: a.request.scopes,
    }));
  }

  /** `POST /oauth/v2/auth/signin`: a new session (the old one ends), then back to the authorization URL. */
  async signIn(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const form = await formParams('', request.headers['content-type'], request.body as Buffer | undefined);
    const query = new URLSearchParams(rawQueryOf(request));
    const next = query.get('zcrm_next') === 'refresh' ? '/oauth/v2/auth/refresh' : '/oauth/v2/auth';
    query.delete('zcrm_next');
    const a = await this.checked(request, reply, query.toString());
    if (!a) return reply;
    const email = (form.email ?? '').trim().toLowerCase();
    const user = (await this.ctx.store.listUsers(a.org.id)).find((u) => u.email === email);
    if (!user || !user.passwordHash || !verifyPassword(form.password ?? '', user.passwordHash)) {
      const action = `${dcPath(requestDc(request), '/oauth/v2/auth/signin')}?${rawQueryOf(request)}`;
      return html(reply, 401, signInPage({ action, clientName: a.client.name, orgName: a.org.name, email, error: 'The email or password is not correct.' }));
    }
    const old = await readSession(this.ctx.store, this.ctx.clock.now(), request.headers.cookie);
    if (old) await this.ctx.store.deleteSession(old.session.hash);
    const value = await startSession(this.ctx.store, this.ctx.clock.now(), a.org.id, user.id);
    reply.header('set-cookie', setCookieHeader(value, request.protocol === 'https'));
    return reply.code(303).header('location', `${dcPath(requestDc(request), next)}?${a.rawQuery}`).send();
  }

  /** `POST /oauth/v2/auth/consent`: Accept records the consent and issues; Deny goes back with `access_denied`. */
  async consent(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const form = await formParams('', request.headers['content-type'], request.body as Buffer | undefined);
    const a = await this.checked(request, reply);
    if (!a) return reply;
    const signedIn = await this.signedInUser(request, a.org);
    if (!signedIn || form.csrf !== signedIn.csrf) return html(reply, 403, errorPage('session_expired'));
    if (form.decision !== 'accept') return reply.code(303).header('location', denied(a.request)).send();
    const before = await this.ctx.store.getConsent(a.client.clientId, a.org.id, signedIn.user.id);
    const scopes = [...new Set([...(before?.scopes ?? []), ...a.request.scopes])];
    await this.ctx.store.saveConsent({ clientId: a.client.clientId, orgId: a.org.id, userId: signedIn.user.id, scopes, createdAt: this.ctx.clock.now() });
    return this.finish(request, reply, a, signedIn.user.id, true, 303);
  }
}

export function registerAuthorizeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const pages = new AuthorizePages(ctx);
  app.get('/oauth/v2/auth', (request, reply) => pages.authorize(request, reply, false));
  app.get('/oauth/v2/auth/refresh', (request, reply) => pages.authorize(request, reply, true));
  app.post('/oauth/v2/auth/signin', (request, reply) => pages.signIn(request, reply));
  app.post('/oauth/v2/auth/consent', (request, reply) => pages.consent(request, reply));
}
