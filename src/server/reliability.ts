/**
 * The hooks around Zoho's API (`/crm/…`, `/oauth/…`): fault injection and edition limits before
 * the handler runs, the request log after the answer is sent. Handlers know nothing of them.
 *
 *   preHandler: caller's org (from the token) → fault rule (error or delay) → edition limits
 *               (concurrency, credits; 429) → handler
 *   onSend/onResponse: the answer's code and per-id outcomes → request log; limits released
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZohoError } from '../zoho/errors.js';
import type { AppContext } from './context.js';
import { Faults, type FaultRule } from './faults.js';
import { creditCost, editionOf, Limits } from './limits.js';
import { describeCall, type CallDescription } from './operations.js';
import { RequestLog } from './request-log.js';
import { authenticate, cachedPrincipalFor, hasTokenScheme, tokenHash, type Principal } from './principal.js';
import { contextFor } from './data-centre.js';
import type { TimeoutOptions } from './hardening.js';

export interface ReliabilityOptions extends TimeoutOptions {
  /** Seed of the fault rules' draws (default 1): the same seed and calls give the same faults. */
  faultSeed?: number;
  /** Entries the request log keeps (default 1000); the oldest go first. */
  requestLogSize?: number;
  /** Where the server's log lines go (default stdout); tests capture them here. */
  logStream?: { write(line: string): void };
  /** A scenario file (JSON) to load at start-up: orgs, users, records, relations, editions, fault rules. */
  scenario?: string;
}

export interface Reliability {
  limits: Limits;
  faults: Faults;
  requests: RequestLog;
}

/** What the hooks learn about one call as it goes. */
export interface Trace extends CallDescription {
  startedAt: number;
  orgId?: string;
  userId?: string;
  credits: number;
  fault?: string;
  /** The answer as sent: its body object when built by `sendResult`, else the serialised payload. */
  answer?: unknown;
  payload?: string;
  release?: () => void;
  /** The context the handler runs in (marked with the request's data centre). */
  ctx?: AppContext;
  /** The caller behind a valid access token, authenticated once for the hooks and the handler. */
  principal?: Principal;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request hooks learn about a call to Zoho's API (see Trace); null for other routes. */
    zcrmTrace: Trace | null;
  }
}

export function traceOf(request: FastifyRequest): Trace | undefined {
  return request.zcrmTrace ?? undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function injectFailure(reply: FastifyReply, rule: FaultRule): Promise<FastifyReply> {
  if (rule.error) throw new ZohoError(rule.error.status, rule.error.code, rule.error.message, rule.error.details);
  return reply.code(rule.status ?? 500).send();
}

const LAST_TOKEN = Symbol('zcrm.lastToken');
type TokenMemo = { header: string; hash: string };

/**
 * The token's hash, computed once per connection while the client keeps sending the same header
 * (SDKs and load tests reuse connections): the memo lives and dies with the socket.
 */
function hashOnConnection(request: FastifyRequest, header: string): string {
  const socket = request.raw.socket as { [LAST_TOKEN]?: TokenMemo } | null;
  const memo = socket?.[LAST_TOKEN];
  if (memo && memo.header === header) return memo.hash;
  const hash = tokenHash(header);
  if (socket) socket[LAST_TOKEN] = { header, hash };
  return hash;
}

export function registerReliabilityHooks(app: FastifyInstance, ctx: AppContext, options: ReliabilityOptions = {}): Reliability {
  const r: Reliability = {
    limits: new Limits(ctx), faults: new Faults(options.faultSeed ?? 1), requests: new RequestLog(options.requestLogSize ?? 1000),
  };

  // A declared property keeps every request object the same shape.
  app.decorateRequest('zcrmTrace', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const described = describeCall(request.method, request.raw.url ?? request.url);
    if (described) {
      const trace = described as Trace;
      trace.startedAt = ctx.clock.now();
      trace.credits = 0;
      request.zcrmTrace = trace;
    }
    done();
  });

  /** Faults and edition limits for a call whose caller is known; a promise only when there is something to wait for. */
  const admit = (trace: Trace, request: FastifyRequest, reply: FastifyReply, who: Principal | undefined): Promise<unknown> | undefined => {
    trace.principal = who;
    trace.orgId = who?.org.id;
    trace.userId = who?.user.id;
    const rule = r.faults.pick({ method: request.method, path: trace.path, module: trace.module, orgId: trace.orgId });
    if (rule) trace.fault = rule.id;
    if (who) trace.credits = creditCost(trace.method, trace.segments, request.body as Buffer | undefined);
    if (!rule && !(who && editionOf(who.org.settings))) return undefined;
    return (async () => {
      if (rule && (rule.error || rule.status !== null)) {
        if (rule.latency_ms > 0) await sleep(rule.latency_ms);
        return injectFailure(reply, rule);
      }
      if (who) {
        const admission = await r.limits.admit(who.org, trace.credits);
        if (admission) {
          // Released when the answer is sent or the client goes away, whichever comes first.
          trace.release = admission.release;
          reply.raw.once('close', admission.release);
          if (admission.remaining !== undefined) reply.header('X-API-CREDITS-REMAINING', String(admission.remaining));
        }
      }
      // A slow answer holds its concurrency slot, as a slow Zoho answer would.
      if (rule && rule.latency_ms > 0) await sleep(rule.latency_ms);
    })();
  };

  // Most calls come with a token authenticated moments ago, meet no fault rule and have no edition:
  // they pass without waiting on anything.
  app.addHook('preHandler', (request, reply, done) => {
    const trace = request.zcrmTrace;
    if (!trace) return done();
    const header = request.headers.authorization;
    let who: Principal | undefined;
    if (trace.api === 'crm') {
      trace.ctx = contextFor(ctx, request);
      if (hasTokenScheme(header)) {
        const hash = hashOnConnection(request, header);
        who = cachedPrincipalFor(trace.ctx, header, hash);
        if (!who) {
          // Looked up without failing (the handler answers auth errors), then handed to the handler:
          // a call is authenticated (and its token hashed) once.
          authenticate(trace.ctx, header, hash).catch(() => undefined)
            .then((found) => admit(trace, request, reply, found)).then(() => done(), done);
          return;
        }
      }
    }
    const waiting = admit(trace, request, reply, who);
    if (waiting) waiting.then(() => done(), done);
    else done();
  });

  app.addHook('onSend', (request, _reply, payload, done) => {
    const trace = request.zcrmTrace;
    if (trace && trace.answer === undefined && typeof payload === 'string') trace.payload = payload;
    done(null, payload);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const trace = request.zcrmTrace;
    if (trace) {
      trace.release?.();
      const entry = r.requests.record(trace, reply.statusCode, ctx.clock.now());
      // The same entry, secrets-free by construction, for `--log-level debug`.
      if (request.log.level === 'debug' || request.log.level === 'trace') request.log.debug({ reqId: request.id, call: entry() }, 'call');
    }
    done();
  });

  return r;
}
