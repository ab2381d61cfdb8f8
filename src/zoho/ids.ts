import { errors } from './errors.js';

/** Zoho ids are digit strings of at most 19 digits (they fit a signed 64-bit integer). */
const ID_RE = /^[0-9]{1,19}$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MAX_TEXT = INT64_MAX.toString();

/** 1 to 19 decimal digits, the first not a zero: an id as Zoho prints it (range not checked). */
function isCanonicalDigits(value: string): boolean {
  const n = value.length;
  if (n === 0 || n > 19 || value.charCodeAt(0) === 48) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function isValidId(value: string): boolean {
  // Ids as clients send them are checked in one pass, 19 digits against the largest as text;
  // leading zeros go through BigInt.
  if (isCanonicalDigits(value)) return value.length < 19 || value <= INT64_MAX_TEXT;
  if (!ID_RE.test(value)) return false;
  const n = BigInt(value);
  return n > 0n && n <= INT64_MAX;
}

/** Canonical form: no leading zeros, as Zoho prints ids. */
export function normalizeId(value: string): string {
  return isCanonicalDigits(value) ? value : BigInt(value).toString();
}

/** Parses a path or query id, or throws UNABLE_TO_PARSE_DATA_TYPE. */
export function parseId(value: string): string {
  if (!isValidId(value)) throw errors.unableToParse();
  return normalizeId(value);
}

/**
 * Parses the `ids` parameter of bulk calls: comma-separated, possibly sent as several
 * `ids` parameters by some clients. Blank entries from a trailing comma are ignored. No id at all
 * is `missing()` (the seed's MANDATORY_NOT_FOUND unless the API answers otherwise).
 */
export function parseIdList(raw: string[] | undefined, limit = 100, missing: () => Error = () => errors.mandatoryParamMissing('ids')): string[] {
  const parts: string[] = [];
  for (const chunk of raw ?? []) {
    for (const piece of chunk.split(',')) {
      const trimmed = piece.trim();
      if (trimmed !== '') parts.push(trimmed);
    }
  }
  if (parts.length === 0) throw missing();
  if (parts.length > limit) throw errors.idsLimitExceeded(limit);
  return parts.map(parseId);
}

/** The Zoho id an org's n-th generated record gets: 7-digit org prefix, then a 12-digit sequence. */
export function composeId(prefix: number, seq: bigint): string {
  return (BigInt(prefix) * 1_000_000_000_000n + seq).toString();
}
