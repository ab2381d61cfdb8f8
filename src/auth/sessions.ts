/**
 * Sign-in sessions for the accounts pages. The cookie carries an opaque random value; the
 * server keeps only its hash, so a copy of the database signs nobody in.
 */
import { randomBytes } from 'node:crypto';
import type { Session, Store } from '../store/store.js';
import { hashSecret } from './tokens.js';

export const SESSION_COOKIE = 'zcrm_session';
export const SESSION_TTL_MS = 12 * 3600_000;

export async function startSession(store: Store, now: number, orgId: string, userId: string): Promise<string> {
  const value = randomBytes(32).toString('base64url');
  await store.createSession({ hash: hashSecret(value), orgId, userId, createdAt: now, expiresAt: now + SESSION_TTL_MS });
  return value;
}

/** The cookie's value, if the request carries one. */
export function sessionCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export async function readSession(store: Store, now: number, cookieHeader: string | undefined): Promise<{ value: string; session: Session } | undefined> {
  const value = sessionCookie(cookieHeader);
  const session = value ? await store.getSession(hashSecret(value), now) : undefined;
  return value && session ? { value, session } : undefined;
}

/** The consent form's anti-forgery field: derived from the session cookie another site cannot read. */
export function csrfToken(sessionValue: string): string {
  return hashSecret(`consent:${sessionValue}`);
}

export function setCookieHeader(value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_MS / 1000}${secure ? '; Secure' : ''}`;
}
