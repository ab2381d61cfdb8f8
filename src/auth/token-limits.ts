/**
 * Zoho's token limits (ZOHO-FACTS §1.4, Kaizen #43 "Tokens and limitations"): at most 15 live
 * access tokens per refresh token (the 16th ends the oldest), at most 20 refresh tokens per user
 * and client (the 21st deletes the oldest with its access tokens), and no more than 10 access
 * tokens per refresh token, or 10 refresh tokens per user and client, in 10 minutes.
 */
import type { Store, TokenRow } from '../store/store.js';

export const LIVE_ACCESS_PER_REFRESH = 15;
export const REFRESH_PER_USER_CLIENT = 20;
export const ISSUES_PER_WINDOW = 10;
export const WINDOW_MS = 600_000;

/** Zoho's throttling answer, sent with HTTP 200 like its other token errors (Kaizen #43). */
export const THROTTLED = {
  error: 'Access Denied',
  error_description: 'You have made too many requests continuously. Please try again after some time.',
  status: 'failure',
} as const;

type Owner = Pick<TokenRow, 'clientId' | 'orgId' | 'userId'>;

/** True when this refresh token already gave out its share of access tokens in the window. */
export async function accessIssuesExhausted(store: Store, now: number, refreshHash: string): Promise<boolean> {
  const recent = await store.listTokens({ kind: 'access', parentHash: refreshHash, createdSince: now - WINDOW_MS });
  return recent.length >= ISSUES_PER_WINDOW;
}

/** True when this user and client already got their share of refresh tokens in the window. */
export async function refreshIssuesExhausted(store: Store, now: number, owner: Owner): Promise<boolean> {
  const recent = await store.listTokens({ kind: 'refresh', ...owner, createdSince: now - WINDOW_MS });
  return recent.length >= ISSUES_PER_WINDOW;
}

/** Ends the oldest live access tokens of a refresh token beyond the cap. */
export async function evictAccessTokens(store: Store, now: number, refreshHash: string): Promise<void> {
  const live = await store.listTokens({ kind: 'access', parentHash: refreshHash, liveAt: now });
  for (const old of live.slice(0, Math.max(0, live.length - LIVE_ACCESS_PER_REFRESH))) await store.revokeToken(old.hash);
}

/** Ends the oldest refresh tokens (and their access tokens) of a user and client beyond the cap. */
export async function evictRefreshTokens(store: Store, now: number, owner: Owner): Promise<void> {
  const live = await store.listTokens({ kind: 'refresh', ...owner, liveAt: now });
  for (const old of live.slice(0, Math.max(0, live.length - REFRESH_PER_USER_CLIENT))) await store.revokeToken(old.hash);
}
