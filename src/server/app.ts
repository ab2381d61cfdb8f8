/**
 * The HTTP server: one Fastify app serving Zoho's CRM API (`/crm/{version}/…`), its accounts
 * endpoints (`/oauth/v2/…`) and our admin surface (`/_zcrm/…`). Every answer a client sees is
 * built here or from the error catalogue.
 */
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { createRequire } from 'node:module';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { errors, ZohoError } from '../zoho/errors.js';
import { ItemList } from '../zoho/results.js';
import { AdjustableClock } from '../zoho/time.js';
import { registerAdminRoutes } from './admin-routes.js';
import type { ApiResult, AppConfig, AppContext } from './context.js';
import { routeCrm, VERSION_RE } from './crm-api.js';
import { SharedClock } from './shared-clock.js';
import { demoToken, seedDemo } from './demo.js';
import { registerOAuthRoutes } from './oauth-routes.js';
import { registerAuthorizeRoutes } from './authorize-routes.js';
import { registerClientAdminRoutes } from './client-admin-routes.js';
import { answerPreflight, corsHook } from './cors.js';
import { contextFor, rewriteDcUrl } from './data-centre.js';
import type { ApiRequest } from './request.js';
import { describeCall } from './operations.js';
import { finishCall, registerReliability, traceOf, type ReliabilityOptions } from './reliability.js';
import { registerReliabilityRoutes } from './reliability-routes.js';
import { loadScenario } from './scenario.js';
import { serverHardening } from './hardening.js';
import { registerSnapshotRoutes } from './snapshot-routes.js';

export interface AppOptions extends Partial<AppConfig>, ReliabilityOptions {
  store: Store;
  clock?: AdjustableClock;
  logLevel?: string;
}

const JSON_TYPE = 'application/json;charset=utf-8';
const CRM_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'] as const;

/** Sends an answer built by a handler or from the error catalogue, and records the call it ends. */
export function sendResult(reply: FastifyReply, result: ApiResult): FastifyReply {
  // The request log reads the answer's outcomes from this object rather than parsing the JSON.
  const trace = traceOf(reply.request);
  if (trace) trace.answer = result.body ?? null;
  reply.code(result.status);
  if (result.headers) reply.headers(result.headers);
  if (result.body === undefined || result.status === 204) reply.send();
  else reply.header('content-type', JSON_TYPE).send(result.body instanceof ItemList ? result.body.json() : JSON.stringify(result.body));
  finishCall(reply.request, result.status);
  return reply;
}

/**
 * Fastify's schema compilers (ajv, fast-json-stringify), loaded only if a route declares a schema.
 * Ours declare none — handlers check input themselves and answer in Zoho's error format — so a
 * server never loads them (Fastify would load both when it starts).
 */
const schemaCompilersOnDemand: NonNullable<FastifyServerOptions['schemaController']>['compilersFactory'] = {
  buildValidator: (...args: unknown[]) => fastifyDependency('@fastify/ajv-compiler')()(...args),
  buildSerializer: (...args: unknown[]) => fastifyDependency('@fastify/fast-json-stringify-compiler')()(...args),
};

function fastifyDependency(name: string): any {
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'));
  return fromFastify(name);
}

export async function buildApp(options: AppOptions): Promise<{ app: FastifyInstance; ctx: AppContext }> {
  const bodyLimit = options.bodyLimit ?? 8 * 1024 * 1024;
  const app = Fastify({
    logger: {
      level: options.logLevel ?? 'info',
      redact: { paths: ['req.headers.authorization', 'headers.authorization', 'authorization'], censor: '[redacted]' },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    logController: new LogController({ disableRequestLogging: true }),
    // No child logger per request: the lines that concern a request name its reqId themselves.
    childLoggerFactory: (logger) => logger,
    bodyLimit,
    requestIdHeader: false,
    routerOptions: { ignoreDuplicateSlashes: false, maxParamLength: 1000 },
    return503OnClosing: false,
    schemaController: { compilersFactory: schemaCompilersOnDemand },
    rewriteUrl: rewriteDcUrl,
    ...serverHardening(options),
  });
  const apiDomain = (options.apiDomain ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const ctx: AppContext = {
    store: options.store,
    // On PostgreSQL several instances may serve one database: the simulated clock lives there too.
    clock: options.clock ?? (options.store.kind === 'postgres' ? new SharedClock(options.store) : new AdjustableClock()),
    config: { apiDomain, accountsUrl: (options.accountsUrl ?? apiDomain).replace(/\/+$/, ''), adminKey: options.adminKey, bodyLimit, cors: options.cors ?? 'registered' },
    log: app.log,
  };

  // Bodies arrive raw, whatever their Content-Type: Zoho's SDKs send JSON without one and
  // browsers send `null` as text/plain on DELETE. Each handler decides what a body means.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // Faults, edition limits and the request log, around calls to Zoho's API and accounts endpoints.
  const steps = registerReliability(app, ctx, options);
  ctx.reliability = steps.reliability;

  // The clock first (on PostgreSQL it is read from the database), then CORS headers for browsers,
  // then the call's trace.
  app.addHook('onRequest', (request, reply, done) => {
    const synced = ctx.clock.sync();
    if (!synced && !request.headers.origin) {
      steps.begin(request);
      return done();
    }
    Promise.resolve(synced).then(() => corsHook(ctx, request, reply)).then(() => {
      steps.begin(request);
      done();
    }, done);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    let zerr: ZohoError;
    if (error instanceof ZohoError) zerr = error;
    else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') zerr = errors.bodyTooLarge(bodyLimit);
    else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) zerr = errors.unableToParse();
    else {
      request.log.error({ err: error, reqId: request.id, method: request.method, url: request.url.split('?')[0] }, 'internal error');
      zerr = errors.internalError();
    }
    return sendResult(reply, { status: zerr.status, body: zerr.toJSON() });
  });

  app.setNotFoundHandler(async (request, reply) => {
    await steps.admit(request, reply);
    if (reply.sent) return reply;
    const e = errors.invalidUrlPattern();
    return sendResult(reply, { status: e.status, body: e.toJSON() });
  });

  app.route({
    method: [...CRM_METHODS],
    url: '/crm/*',
    handler: async (request, reply) => {
      // Admission first (it authenticates the caller); a fault rule may have answered already.
      const admitting = steps.admit(request, reply);
      if (admitting) await admitting;
      if (reply.sent) return reply;
      // The request hook has parsed the URL.
      const trace = traceOf(request);
      const call = trace ?? describeCall(request.method, request.raw.url ?? request.url);
      if (call?.api !== 'crm' || !VERSION_RE.test(call.version)) throw errors.invalidUrlPattern();
      const handler = routeCrm(call.segments);
      const method = request.method === 'HEAD' ? 'GET' : request.method;
      const req: ApiRequest = {
        method, version: call.version, segments: call.segments, query: call.query,
        // GET and DELETE bodies are ignored, as Zoho does.
        body: method === 'GET' || method === 'DELETE' ? undefined : (request.body as Buffer | undefined),
        authorization: request.headers.authorization,
        principal: trace?.principal,
      };
      return sendResult(reply, await handler(trace?.ctx ?? contextFor(ctx, request), req));
    },
  });

  // Routes that answer without sendResult get admission and the request log as hooks.
  app.register(async (scope) => {
    steps.hookInto(scope);
    scope.options('*', async (request, reply) => answerPreflight(request, reply));
    registerOAuthRoutes(scope, ctx);
    registerAuthorizeRoutes(scope, ctx);
  });
  registerAdminRoutes(app, ctx);
  registerReliabilityRoutes(app, ctx, ctx.reliability);
  registerSnapshotRoutes(app, ctx);
  registerClientAdminRoutes(app, ctx);
  return { app, ctx };
}

export interface StartOptions extends Partial<AppConfig>, ReliabilityOptions {
  port?: number;
  host?: string;
  /** A SQLite file path, `:memory:`, or a `postgres://` URL. */
  db?: string;
  store?: Store;
  sync?: 'normal' | 'full';
  /** Seed the demo org when the database is empty (default true). */
  demo?: boolean;
  logLevel?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  app: FastifyInstance;
  ctx: AppContext;
  /** A fresh token for the demo org's administrator, when the demo org exists. */
  demoAccessToken?: string;
  close(): Promise<void>;
}

/** Starts a server; `startServer({ port: 0, db: ':memory:' })` gives an isolated one per test suite. */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const store = options.store ?? (await openStore(options.db ?? ':memory:', { sync: options.sync }));
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const { app, ctx } = await buildApp({ ...options, store, logLevel: options.logLevel ?? 'warn' });
  // A scenario seeds the database before anyone can call (and keeps the demo org out of it).
  if (options.scenario) await loadScenario(ctx, options.scenario).catch(async (e) => { if (!options.store) await store.close(); throw e; });
  await app.listen({ port, host });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  if (!options.apiDomain) {
    ctx.config.apiDomain = url;
    if (!options.accountsUrl) ctx.config.accountsUrl = url;
  }
  await ctx.clock.sync();
  if (options.demo !== false && (await store.isEmpty())) await seedDemo(ctx);
  const demoAccessToken = options.demo !== false ? await demoToken(ctx) : undefined;
  return {
    url, port: actualPort, app, ctx, demoAccessToken,
    async close() {
      await app.close();
      if (!options.store) await store.close();
    },
  };
}
