/**
 * Fault injection (`/_zcrm/faults`): rules that make matching calls fail with a Zoho error
 * (or a bare HTTP status), answer late, or both, so a client can meet a 429, a 500 or a slow
 * answer on purpose. Each rule draws from its own seeded generator, so a run is repeatable.
 */
import { errors, ZohoError } from '../zoho/errors.js';
import { lookupModule } from '../zoho/modules.js';

export interface FaultError {
  code: string;
  status: number;
  message: string;
  details: Record<string, unknown>;
}

export interface FaultRule {
  id: string;
  method: string | null;
  path: string | null;
  path_regex: string | null;
  module: string | null;
  org: string | null;
  /** A Zoho error to answer with; null with `status` null means latency only. */
  error: FaultError | null;
  /** A bare HTTP status answered with an empty body (a proxy's failure, not Zoho's). */
  status: number | null;
  probability: number;
  /** How many more times the rule may fire; null = no limit. */
  remaining: number | null;
  latency_ms: number;
  seed: number;
  hits: number;
}

export interface FaultCall {
  method: string;
  path: string;
  /** Canonical module API name of a `/crm/` call, when there is one. */
  module?: string;
  orgId?: string;
}

/** Errors whose status and message come from the catalogue when a rule names only the code. */
const KNOWN: Record<string, () => ZohoError> = {
  INVALID_TOKEN: errors.invalidToken,
  AUTHENTICATION_FAILURE: errors.authenticationFailure,
  OAUTH_SCOPE_MISMATCH: errors.oauthScopeMismatch,
  TOO_MANY_REQUESTS: () => errors.tooManyRequests(),
  INTERNAL_ERROR: errors.internalError,
  INVALID_URL_PATTERN: errors.invalidUrlPattern,
  INVALID_REQUEST_METHOD: errors.invalidRequestMethod,
  UNABLE_TO_PARSE_DATA_TYPE: errors.unableToParse,
  INVALID_MODULE: () => errors.invalidModule(0),
  INVALID_DATA: () => new ZohoError(400, 'INVALID_DATA', 'invalid data'),
  NO_PERMISSION: () => new ZohoError(403, 'NO_PERMISSION', 'permission denied'),
  AUTHORIZATION_FAILED: () => errors.authorizationFailed('update'),
  MANDATORY_NOT_FOUND: () => errors.mandatoryParamMissing('ids'),
  LIMIT_EXCEEDED: () => errors.idsLimitExceeded(100),
  REQUEST_ENTITY_TOO_LARGE: () => errors.bodyTooLarge(8 * 1024 * 1024),
};

/** Ready-made rules: `{"preset": "INVALID_TOKEN"}` and friends. */
export const PRESETS = ['INVALID_TOKEN', 'TOO_MANY_REQUESTS', 'INTERNAL_ERROR'] as const;

export class FaultInputError extends Error {}

/** mulberry32: small, fast and good enough for coin flips that must repeat. */
function nextRandom(rule: { state: number }): number {
  rule.state = (rule.state + 0x6d2b79f5) | 0;
  let t = rule.state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\?]/g, '\\$&');
  return new RegExp('^' + escaped.replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*') + '$', 'i');
}

interface LiveRule extends FaultRule {
  state: number;
  matcher: RegExp | null;
}

export class Faults {
  private rules: LiveRule[] = [];
  private nextId = 1;

  /** `seed` makes rules without their own seed repeat the same draws from run to run. */
  constructor(private readonly seed = 1) {}

  list(): FaultRule[] {
    return this.rules.map(({ state: _s, matcher: _m, ...rule }) => rule);
  }

  clear(): void {
    this.rules = [];
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  add(input: Record<string, unknown>): FaultRule {
    const rule = parseRule(input, String(this.nextId), this.seed);
    this.nextId++;
    this.rules.push({ ...rule, state: rule.seed, matcher: compileMatcher(rule) });
    return this.list()[this.rules.length - 1];
  }

  /** The first rule that matches the call and whose draw fires, counted as a hit. */
  pick(call: FaultCall): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.remaining !== null && rule.remaining <= 0) continue;
      if (!matches(rule, call)) continue;
      if (rule.probability < 1 && nextRandom(rule) >= rule.probability) continue;
      rule.hits++;
      if (rule.remaining !== null) rule.remaining--;
      return rule;
    }
    return undefined;
  }
}

function matches(rule: LiveRule, call: FaultCall): boolean {
  if (rule.method && rule.method !== '*' && rule.method !== call.method) return false;
  if (rule.matcher && !rule.matcher.test(call.path)) return false;
  if (rule.module && rule.module !== call.module) return false;
  if (rule.org && rule.org !== call.orgId) return false;
  return true;
}

function compileMatcher(rule: FaultRule): RegExp | null {
  if (rule.path_regex) return new RegExp(rule.path_regex);
  return rule.path ? globToRegExp(rule.path) : null;
}

const optString = (v: unknown, name: string): string | null => {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v === '') throw new FaultInputError(`${name} must be a non-empty string`);
  return v;
};

function parseError(raw: unknown): FaultError | null {
  if (raw === undefined || raw === null) return null;
  const spec = typeof raw === 'string' ? { code: raw } : raw;
  if (typeof spec !== 'object' || Array.isArray(spec)) throw new FaultInputError('error must be a Zoho code or {code, status?, message?, details?}');
  const { code, status, message, details } = spec as Record<string, unknown>;
  if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(code)) throw new FaultInputError('error.code must be a Zoho error code such as INTERNAL_ERROR');
  const known = KNOWN[code]?.();
  const httpStatus = status ?? known?.status;
  if (typeof httpStatus !== 'number' || !Number.isInteger(httpStatus) || httpStatus < 400 || httpStatus > 599) {
    throw new FaultInputError(`error.status (400-599) is required for ${code}`);
  }
  if (details !== undefined && (typeof details !== 'object' || details === null || Array.isArray(details))) throw new FaultInputError('error.details must be an object');
  return {
    code, status: httpStatus, message: typeof message === 'string' ? message : known?.message ?? code.toLowerCase().replace(/_/g, ' '),
    details: (details as Record<string, unknown> | undefined) ?? known?.details ?? {},
  };
}

function numberIn(v: unknown, name: string, fallback: number, min: number, max: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new FaultInputError(`${name} must be a number from ${min} to ${max}`);
  return v;
}

function parseRule(input: Record<string, unknown>, id: string, seed: number): FaultRule {
  const preset = input.preset;
  if (preset !== undefined && !PRESETS.includes(preset as (typeof PRESETS)[number])) {
    throw new FaultInputError(`preset must be one of ${PRESETS.join(', ')}`);
  }
  const error = parseError(input.error ?? preset);
  const status = input.status === undefined || input.status === null ? null : numberIn(input.status, 'status', 500, 400, 599);
  if (error && status !== null) throw new FaultInputError('give either error or status, not both');
  const pathRegex = optString(input.path_regex, 'path_regex');
  if (pathRegex) {
    try {
      new RegExp(pathRegex);
    } catch {
      throw new FaultInputError('path_regex is not a valid regular expression');
    }
  }
  const moduleName = optString(input.module, 'module');
  const found = moduleName ? lookupModule(moduleName) : undefined;
  if (found && found.kind !== 'ok') throw new FaultInputError(`unknown module ${moduleName}`);
  const latency = numberIn(input.latency_ms, 'latency_ms', 0, 0, 120_000);
  if (!error && status === null && latency === 0) throw new FaultInputError('a rule needs an error, a status or a latency_ms');
  const count = input.count === undefined || input.count === null ? null : numberIn(input.count, 'count', 1, 1, 1e9);
  return {
    id, method: optString(input.method, 'method')?.toUpperCase() ?? null, path: optString(input.path, 'path'), path_regex: pathRegex,
    module: found?.kind === 'ok' ? found.module.apiName : null, org: optString(input.org, 'org'), error, status,
    probability: numberIn(input.probability, 'probability', 1, 0, 1), remaining: count === null ? null : Math.floor(count),
    latency_ms: latency, hits: 0,
    seed: input.seed === undefined ? (seed * 1_000_003 + Number(id)) >>> 0 : Math.floor(numberIn(input.seed, 'seed', 0, 0, 2 ** 32 - 1)),
  };
}
