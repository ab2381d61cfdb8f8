/**
 * What happens around a call to Zoho's API (`/crm/…`) or accounts endpoints (`/oauth/…`): fault
 * injection and edition limits before the handler runs, the request log once the answer is sent.
 * Handlers know nothing of them.
 *
 *   onRequest: the call is described (its trace)
 *   admission: caller's org (from the token) → fault rule (error or delay) → edition limits
 *              (concurrency, credits; 429) → handler
 *   answer sent: the answer's code and per-id outcomes → request log; limits released
 *
 * The CRM API's route runs admission itself and records its call as `sendResult` sends the answer:
 * it is the hot path, and each Fastify hook kind a route has adds a step to every request. Other
 * traced routes (accounts endpoints, CORS preflights) get the same steps as hooks (`hookInto`).
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
  /** The caller behind a valid access token, authenticated once for admission and the handler. */
  principal?: Principal;
  /** Where the call is recorded once its answer is sent. */
  recorder: Recorder;
  /** Recorded already (an answer is recorded once, however it was sent). */
  finished?: boolean;
}

interface Recorder {
  requests: RequestLog;
  clock: AppContext['clock'];
}

/** The steps around traced calls (see the top of this file). */
export interface CallSteps {
  reliability: Reliability;
  /** Describes a call to Zoho's API or accounts endpoints (from an onRequest hook). */
  begin(request: FastifyRequest): void;
  /**
   * Admission before the handler. Undefined when the call may go on at once; otherwise a promise
   * that settles when it may, or rejects with the error to answer. When a fault rule answered
   * already, `reply.sent` is true.
   */
  admit(request: FastifyRequest, reply: FastifyReply): Promise<unknown> | undefined;
  /** Admission, payload capture and recording as hooks, for the traced routes of `scope`. */
  hookInto(scope: FastifyInstance): void;
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
  const status = rule.status ?? 500;
  reply.code(status).send();
  finishCall(reply.request, status);
  return reply;
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

/**
 * Records a traced call in the request log and releases its edition limits, once: called as its
 * answer is sent (by `sendResult`, or by the hooks of routes that answer otherwise).
 */
export function finishCall(request: FastifyRequest, status: number): void {
  const trace = request.zcrmTrace;
  if (!trace || trace.finished) return;
  trace.finished = true;
  trace.release?.();
  const level = request.log.level;
  const debug = level === 'debug' || level === 'trace';
  const entry = trace.recorder.requests.record(trace, status, trace.recorder.clock.now(), debug);
  // The same entry, secrets-free by construction, for `--log-level debug`.
  if (entry) request.log.debug({ reqId: request.id, call: entry }, 'call');
}

export function registerReliability(app: FastifyInstance, ctx: AppContext, options: ReliabilityOptions = {}): CallSteps {
  const r: Reliability = {
    limits: new Limits(ctx), faults: new Faults(options.faultSeed ?? 1), requests: new RequestLog(options.requestLogSize ?? 1000),
  };
  const recorder: Recorder = { requests: r.requests, clock: ctx.clock };

  // A declared property keeps every request object the same shape.
  app.decorateRequest('zcrmTrace', null);
  const begin = (request: FastifyRequest): void => {
    const described = describeCall(request.method, request.raw.url ?? request.url);
    if (described) {
      const trace = described as Trace;
      trace.startedAt = ctx.clock.now();
      trace.credits = 0;
      trace.recorder = recorder;
      request.zcrmTrace = trace;
    }
  };

  /** Faults and edition limits for a call whose caller is known; a promise only when there is something to wait for. */
  const admitCaller = (trace: Trace, request: FastifyRequest, reply: FastifyReply, who: Principal | undefined): Promise<unknown> | undefined => {
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
  const admit = (request: FastifyRequest, reply: FastifyReply): Promise<unknown> | undefined => {
    const trace = request.zcrmTrace;
    if (!trace) return undefined;
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
          return authenticate(trace.ctx, header, hash).catch(() => undefined)
            .then((found) => admitCaller(trace, request, reply, found));
        }
      }
    }
    return admitCaller(trace, request, reply, who);
  };

  const hookInto = (scope: FastifyInstance): void => {
    scope.addHook('preHandler', (request, reply, done) => {
      const waiting = admit(request, reply);
      if (waiting) waiting.then(() => done(), done);
      else done();
    });
    scope.addHook('onSend', (request, _reply, payload, done) => {
      const trace = request.zcrmTrace;
      if (trace && trace.answer === undefined && typeof payload === 'string') trace.payload = payload;
      done(null, payload);
    });
    scope.addHook('onResponse', (request, reply, done) => {
      finishCall(request, reply.statusCode);
      done();
    });
  };

  return { reliability: r, begin, admit, hookInto };
}
