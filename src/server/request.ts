import { errors } from '../zoho/errors.js';
import { parseJsonExact } from './json.js';
import type { Principal } from './principal.js';

/** What a CRM API handler sees of a request. */
export interface ApiRequest {
  method: string;
  version: string;
  /** Path segments after `/crm/{version}/`, still URL-encoded. */
  segments: string[];
  query: URLSearchParams;
  body: Buffer | undefined;
  authorization: string | undefined;
  /** The caller, when the request hooks have authenticated the `authorization` header already. */
  principal?: Principal;
}

/**
 * A path segment decoded; undefined when its percent-encoding is malformed. Most segments hold no
 * escape at all, and decodeURIComponent costs more than the rest of reading a path.
 */
export function decodeSegment(s: string): string | undefined {
  if (s.indexOf('%') === -1) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** A path segment decoded, or as it came when its percent-encoding is malformed. */
export const decodeSegmentOrRaw = (s: string): string => decodeSegment(s) ?? s;

/** Every value of a query parameter (some clients repeat `ids`). */
export function queryAll(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name);
  return values.length === 0 ? undefined : values;
}

/**
 * JSON bodies are accepted whatever the Content-Type says: Zoho's own SDKs send PUT and
 * POST bodies without one. Undefined when there is no body.
 */
export function jsonBody(req: ApiRequest): unknown {
  if (!req.body || req.body.length === 0) return undefined;
  const text = req.body.toString('utf8').trim();
  if (text === '') return undefined;
  try {
    return parseJsonExact(text);
  } catch {
    throw errors.unableToParse();
  }
}

/** The `{"data":[…]}` body of insert, update and link calls, at most `limit` items. */
export function dataItems(req: ApiRequest, limit = 100): unknown[] {
  const body = jsonBody(req);
  if (body === undefined) throw errors.mandatoryParamMissing('data');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw errors.invalidBody();
  const data = (body as Record<string, unknown>).data;
  if (data === undefined) throw errors.mandatoryParamMissing('data');
  if (!Array.isArray(data)) throw errors.invalidBody();
  if (data.length === 0) throw errors.mandatoryParamMissing('data');
  if (data.length > limit) throw errors.recordsLimitExceeded(limit);
  return data;
}

/** Positive integer query parameter with a default and an upper bound. */
export function intParam(query: URLSearchParams, name: string, fallback: number, max?: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^[0-9]{1,9}$/.test(raw) || Number(raw) < 1) throw errors.invalidParam(name, 'integer');
  const value = Number(raw);
  return max !== undefined && value > max ? max : value;
}
