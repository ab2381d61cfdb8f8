/** PostgreSQL queries for the accounts side: token limits' lookups, clients by org and origin, sessions, consents. */
import type { Consent, OAuthClient, Session, TokenFilter, TokenRow } from '../store.js';
import type { Query } from './postgres-store.js';
import { num, str, toClient, toToken } from './rows.js';

export async function listTokens(q: Query, f: TokenFilter): Promise<TokenRow[]> {
  const where = ['kind = $1'];
  const params: unknown[] = [f.kind];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.parentHash !== undefined) add('parent_hash = ?', f.parentHash);
  if (f.clientId !== undefined) add('client_id = ?', f.clientId);
  if (f.orgId !== undefined) add('org_id = ?', f.orgId);
  if (f.userId !== undefined) add('user_id = ?::bigint', f.userId);
  if (f.createdSince !== undefined) add('created_at > ?::bigint', f.createdSince);
  if (f.liveAt !== undefined) add('NOT revoked AND (expires_at IS NULL OR expires_at > ?::bigint)', f.liveAt);
  return (await q(`SELECT * FROM tokens WHERE ${where.join(' AND ')} ORDER BY created_at, hash`, params)).map(toToken);
}

export async function listClients(q: Query, orgId: string): Promise<OAuthClient[]> {
  return (await q('SELECT * FROM clients WHERE org_id = $1 ORDER BY created_at, client_id', [orgId])).map(toClient);
}

export async function isOriginRegistered(q: Query, origin: string): Promise<boolean> {
  const rows = await q("SELECT 1 FROM clients WHERE origins <> '[]' AND origins::jsonb ? $1 LIMIT 1", [origin]);
  return rows.length > 0;
}

export async function createSession(q: Query, s: Session): Promise<void> {
  await q('INSERT INTO sessions (hash, org_id, user_id, created_at, expires_at) VALUES ($1, $2, $3::bigint, $4::bigint, $5::bigint)',
    [s.hash, s.orgId, s.userId, s.createdAt, s.expiresAt]);
}

export async function getSession(q: Query, hash: string, now: number): Promise<Session | undefined> {
  const [r] = await q('SELECT * FROM sessions WHERE hash = $1 AND expires_at > $2::bigint', [hash, now]);
  return r && { hash, orgId: str(r.org_id), userId: str(r.user_id), createdAt: num(r.created_at), expiresAt: num(r.expires_at) };
}

export async function deleteSession(q: Query, hash: string): Promise<void> {
  await q('DELETE FROM sessions WHERE hash = $1', [hash]);
}

export async function saveConsent(q: Query, c: Consent): Promise<void> {
  await q(`INSERT INTO consents (client_id, org_id, user_id, scopes, created_at) VALUES ($1, $2, $3::bigint, $4, $5::bigint)
    ON CONFLICT (client_id, org_id, user_id) DO UPDATE SET scopes = excluded.scopes, created_at = excluded.created_at`,
  [c.clientId, c.orgId, c.userId, JSON.stringify(c.scopes), c.createdAt]);
}

export async function getConsent(q: Query, clientId: string, orgId: string, userId: string): Promise<Consent | undefined> {
  const [r] = await q('SELECT * FROM consents WHERE client_id = $1 AND org_id = $2 AND user_id = $3::bigint', [clientId, orgId, userId]);
  return r && { clientId, orgId, userId, scopes: JSON.parse(str(r.scopes)), createdAt: num(r.created_at) };
}
