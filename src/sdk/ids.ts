/**
 * Zoho ids are 64-bit integers, up to 19 digits. JavaScript numbers hold 53 bits exactly, so
 * the SDK keeps ids as strings and accepts `bigint`; a `number` above 2^53 has already lost
 * digits and is refused before any request is sent.
 */
import { ZcrmUsageError } from './errors.js';

/** An id as callers may give it. Numbers are accepted only while they are exact. */
export type IdLike = string | bigint | number;

const ID_RE = /^[0-9]{1,19}$/;
const INT64_MAX = 9223372036854775807n;

/**
 * True when `value` is a Zoho id: 1 to 19 digits, positive, within a signed 64-bit integer.
 *
 * @example
 * isZohoId('3652397000000925128') // true
 * isZohoId('9223372036854775808') // false: beyond 64 bits
 */
export function isZohoId(value: string): boolean {
  return ID_RE.test(value) && BigInt(value) > 0n && BigInt(value) <= INT64_MAX;
}

/**
 * Checks the JavaScript type of an id and turns it into a string, without judging its digits.
 * Throws {@link ZcrmUsageError} for unsafe or fractional numbers and for other types.
 */
export function idText(value: unknown, what = 'id'): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw new ZcrmUsageError(
        `${what} ${value} is a JavaScript number above 2^53 (Number.MAX_SAFE_INTEGER), so it has already lost digits; ` +
        'give Zoho ids as strings or BigInt (e.g. "3652397000000925128" or 3652397000000925128n)',
      );
    }
    if (!Number.isInteger(value)) throw new ZcrmUsageError(`${what} ${value} is not an integer`);
    return String(value);
  }
  throw new ZcrmUsageError(`${what} must be a string or a BigInt, not ${value === null ? 'null' : typeof value}`);
}

/**
 * Normalises one id to its string form, or throws {@link ZcrmUsageError}.
 *
 * @example
 * toId(3652397000000925128n)   // '3652397000000925128'
 * toId('3652397000000925128')  // '3652397000000925128'
 * toId(3652397000000925128)    // throws: above 2^53
 */
export function toId(value: IdLike, what = 'id'): string {
  const text = idText(value, what);
  if (!isZohoId(text)) throw new ZcrmUsageError(`${what} "${text}" is not a Zoho record id (1 to 19 digits)`);
  return text;
}

/**
 * Refuses a request body holding an integer number beyond 2^53 anywhere: such a value has
 * already been rounded by JavaScript, and sending it would write a different id or amount.
 */
export function assertExactNumbers(value: unknown, path = '$'): void {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw new ZcrmUsageError(`${path} is ${value}, a JavaScript number above 2^53 that has lost digits; give ids as strings or BigInt`);
    }
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => assertExactNumbers(v, `${path}[${i}]`));
  else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) assertExactNumbers(v, `${path}.${k}`);
  }
}

/** JSON with `bigint` values written as strings, as Zoho expects ids. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}
