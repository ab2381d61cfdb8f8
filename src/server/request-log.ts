/**
 * The request log (`GET /_zcrm/requests`): every call to Zoho's API and accounts endpoints with
 * its org, operation, the scopes that could allow it, credits, status, error code and per-id
 * outcomes. A bounded ring in the server process. It never holds a secret: no headers, no
 * bodies, no accounts-endpoint answers, and only known harmless query parameters.
 */
import type { Trace } from './reliability.js';

export interface Outcome {
  id: string | null;
  code: string;
  status: string;
}

export interface RequestLogEntry {
  seq: number;
  time: string;
  method: string;
  path: string;
  /** Only the parameters in SAFE_PARAMS; others are left out, whatever they hold. */
  query: Record<string, string>;
  operation: string;
  org_id: string | null;
  user_id: string | null;
  /** Any one of these scopes allows the operation (empty when the caller was not authenticated). */
  scopes_checked: string[];
  /** Credits the call cost (charged when the org has an edition). */
  credits: number;
  status: number;
  /** The error code of a request-level error (or of the accounts server), null on success. */
  code: string | null;
  outcomes: Outcome[];
  /** The fault rule that fired, if any. */
  fault: string | null;
  duration_ms: number;
}

const SAFE_PARAMS = new Set(['ids', 'page', 'per_page', 'fields', 'sort_by', 'sort_order', 'module', 'type', 'converted', 'approved', 'grant_type']);

function safeQuery(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) if (SAFE_PARAMS.has(k)) out[k] = k in out ? `${out[k]},${v}` : v;
  return out;
}

function isResult(item: unknown): item is { code: string; status: string; details?: { id?: unknown } } {
  if (typeof item !== 'object' || item === null) return false;
  const x = item as Record<string, unknown>;
  return typeof x.code === 'string' && (x.status === 'success' || x.status === 'error');
}

const WRITES = new Set(['records.insert', 'records.update', 'records.delete', 'related_records.link', 'related_records.delink']);

/**
 * The answer's error code and per-id outcomes, read from the body object the answer was built from,
 * or else from the JSON the client received (only error envelopes, small, and write answers are
 * parsed: list answers can be large). An accounts-endpoint answer is read for its `error` only, as
 * it may carry tokens.
 */
function readAnswer(trace: Trace): { code: string | null; outcomes: Outcome[] } {
  const none = { code: null, outcomes: [] };
  const b = answerBody(trace);
  if (!b) return none;
  if (trace.api === 'oauth') return { code: typeof b.error === 'string' ? b.error : null, outcomes: [] };
  if (typeof b.code === 'string' && b.status === 'error') return { code: b.code, outcomes: [] };
  if (!WRITES.has(trace.operation) || !Array.isArray(b.data)) return none;
  const outcomes = b.data.filter(isResult).map((item) => ({
    id: typeof item.details?.id === 'string' ? item.details.id : null, code: item.code, status: item.status,
  }));
  return { code: null, outcomes };
}

function answerBody(trace: Trace): Record<string, unknown> | undefined {
  if (trace.answer !== undefined) {
    return typeof trace.answer === 'object' && trace.answer !== null ? trace.answer as Record<string, unknown> : undefined;
  }
  const text = trace.payload;
  if (!text || !(trace.api === 'oauth' || text.startsWith('{"code":') || WRITES.has(trace.operation))) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** An entry as recorded: the time and query are formatted only when the log is read. */
interface Recorded extends Omit<RequestLogEntry, 'time' | 'query'> {
  startedAt: number;
  params: URLSearchParams;
}

function toEntry(r: Recorded): RequestLogEntry {
  return {
    seq: r.seq, time: new Date(r.startedAt).toISOString(), method: r.method, path: r.path, query: safeQuery(r.params),
    operation: r.operation, org_id: r.org_id, user_id: r.user_id, scopes_checked: r.scopes_checked, credits: r.credits,
    status: r.status, code: r.code, outcomes: r.outcomes, fault: r.fault, duration_ms: r.duration_ms,
  };
}

export class RequestLog {
  private readonly ring: (Recorded | undefined)[];
  private next = 0;
  private seq = 0;

  constructor(readonly size = 1000) {
    this.ring = new Array(Math.max(1, size));
  }

  /** Records a call; returns a function giving its entry (for a debug log line). */
  record(trace: Trace, status: number, now: number): () => RequestLogEntry {
    const { code, outcomes } = readAnswer(trace);
    const recorded: Recorded = {
      seq: ++this.seq, startedAt: trace.startedAt, method: trace.method, path: trace.path, params: trace.query,
      operation: trace.operation, org_id: trace.orgId ?? null, user_id: trace.userId ?? null,
      scopes_checked: trace.orgId ? trace.scopes : [], credits: trace.credits, status, code, outcomes,
      fault: trace.fault ?? null, duration_ms: Math.max(0, now - trace.startedAt),
    };
    this.ring[this.next] = recorded;
    this.next = (this.next + 1) % this.ring.length;
    return () => toEntry(recorded);
  }

  /** Oldest first; `limit` keeps the newest entries. */
  list(filter: { org?: string; limit?: number } = {}): RequestLogEntry[] {
    const ordered = [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)].filter((e): e is Recorded => e !== undefined);
    const matching = filter.org ? ordered.filter((e) => e.org_id === filter.org) : ordered;
    return (filter.limit !== undefined ? matching.slice(Math.max(0, matching.length - filter.limit)) : matching).map(toEntry);
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
  }
}
