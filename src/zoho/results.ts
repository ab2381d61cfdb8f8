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
