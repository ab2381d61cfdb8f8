import type { Details } from './errors.js';

export interface ItemResult {
  code: string;
  details: Details;
  message: string;
  status: 'success' | 'error';
}

export const success = (message: string, details: Details): ItemResult => ({ code: 'SUCCESS', details, message, status: 'success' });
export const failure = (code: string, message: string, details: Details): ItemResult => ({ code, details, message, status: 'error' });

/** 200 (or `allOk`) when every item succeeded, 207 when some did, 400 when none did. */
export function bulkStatus(items: ItemResult[], allOk = 200): number {
  let ok = 0;
  for (const item of items) if (item.status === 'success') ok++;
  if (ok === items.length) return allOk;
  return ok === 0 ? 400 : 207;
}

/** A bulk answer: its status by the per-id rule (`allOk` when every item succeeded) and its body. */
export function bulkAnswer(items: ItemResult[], allOk = 200): { status: number; body: ItemList } {
  return { status: bulkStatus(items, allOk), body: new ItemList(items) };
}

/**
 * The body of a bulk answer, `{"data":[…]}`. `json()` gives exactly what JSON.stringify gives for
 * it, without JSON.stringify's walk over every item: 100 items in about an eighth of the time.
 */
export class ItemList {
  constructor(readonly data: ItemResult[]) {}

  json(): string {
    let out = '{"data":[';
    for (let i = 0; i < this.data.length; i++) {
      if (i > 0) out += ',';
      out += itemJson(this.data[i]);
    }
    return out + ']}';
  }
}

const ITEM_KEYS = ['code', 'details', 'message', 'status'];

/** An item as `success` and `failure` make it (a plain object with these four keys, in this order) written directly. */
function itemJson(item: ItemResult): string {
  let keys = 0;
  for (const key in item) {
    if (key !== ITEM_KEYS[keys++]) return JSON.stringify(item);
  }
  if (keys !== 4 || Object.getPrototypeOf(item) !== Object.prototype || typeof item.code !== 'string' || typeof item.message !== 'string'
    || typeof item.status !== 'string' || typeof item.details !== 'object' || item.details === null) {
    return JSON.stringify(item);
  }
  return `{"code":${quoted(item.code)},"details":${detailsJson(item.details)},"message":${quoted(item.message)},"status":${quoted(item.status)}}`;
}

/** `{"id":"…"}` written directly when that is all the details hold and the id is digits; anything else as JSON.stringify writes it. */
function detailsJson(details: Details): string {
  let keys = 0;
  for (const key in details) {
    if (++keys > 1 || key !== 'id') return JSON.stringify(details);
  }
  const id = details.id;
  if (keys === 1 && typeof id === 'string' && isDigits(id) && Object.getPrototypeOf(details) === Object.prototype) return `{"id":"${id}"}`;
  return JSON.stringify(details);
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Codes, messages and statuses come from a small set: each is JSON-encoded once. */
const QUOTED = new Map<string, string>();

function quoted(s: string): string {
  let q = QUOTED.get(s);
  if (q === undefined) {
    q = JSON.stringify(s);
    if (QUOTED.size < 1000) QUOTED.set(s, q);
  }
  return q;
}
