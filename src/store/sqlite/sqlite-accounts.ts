/** SQLite queries for the accounts side: token limits' lookups, clients by org and origin, sessions, consents. */
import type Database from 'better-sqlite3';
import type { Consent, OAuthClient, Session, TokenFilter, TokenRow } from '../store.js';

type Row = Record<string, unknown>;
type Query = (sql: string) => Database.Statement;

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number => Number(v);

export function toToken(r: Row): TokenRow {
  return {
    hash: str(r.hash), kind: str(r.kind) as TokenRow['kind'], clientId: str(r.client_id), orgId: str(r.org_id),
    userId: str(r.user_id), scopes: JSON.parse(str(r.scopes)), parentHash: r.parent_hash === null ? null : str(r.parent_hash),
    expiresAt: r.expires_at === null ? null : num(r.expires_at), revoked: num(r.revoked) === 1, createdAt: num(r.created_at),
  };
}

export function toClient(r: Row): OAuthClient {
  return {
    clientId: str(r.client_id), orgId: str(r.org_id), secretHash: str(r.secret_hash), type: str(r.type) as OAuthClient['type'],
    name: str(r.name), redirectUris: JSON.parse(str(r.redirect_uris)), origins: JSON.parse(str(r.origins)), createdAt: num(r.created_at),
  };
}

export class SqliteAccounts {
  constructor(private readonly q: Query) {}

  listTokens(f: TokenFilter): TokenRow[] {
    const where = ['kind = ?'];
    const params: unknown[] = [f.kind];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (f.parentHash !== undefined) add('parent_hash = ?', f.parentHash);
    if (f.clientId !== undefined) add('client_id = ?', f.clientId);
    if (f.orgId !== undefined) add('org_id = ?', f.orgId);
    if (f.userId !== undefined) add('user_id = ?', BigInt(f.userId));
    if (f.createdSince !== undefined) add('created_at > ?', f.createdSince);
    if (f.liveAt !== undefined) add('revoked = 0 AND (expires_at IS NULL OR expires_at > ?)', f.liveAt);
    return (this.q(`SELECT * FROM tokens WHERE ${where.join(' AND ')} ORDER BY created_at, rowid`).all(...params) as Row[]).map(toToken);
  }

  listClients(orgId: string): OAuthClient[] {
    return (this.q('SELECT * FROM clients WHERE org_id = ? ORDER BY created_at, client_id').all(orgId) as Row[]).map(toClient);
  }

  isOriginRegistered(origin: string): boolean {
    return this.q("SELECT 1 FROM clients, json_each(clients.origins) AS o WHERE clients.origins <> '[]' AND o.value = ? LIMIT 1").get(origin) !== undefined;
  }

  createSession(s: Session): void {
    this.q('INSERT INTO sessions (hash, org_id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(s.hash, s.orgId, BigInt(s.userId), s.createdAt, s.expiresAt);
  }

  getSession(hash: string, now: number): Session | undefined {
    const r = this.q('SELECT * FROM sessions WHERE hash = ? AND expires_at > ?').get(hash, now) as Row | undefined;
    return r && { hash, orgId: str(r.org_id), userId: str(r.user_id), createdAt: num(r.created_at), expiresAt: num(r.expires_at) };
  }

  deleteSession(hash: string): void {
    this.q('DELETE FROM sessions WHERE hash = ?').run(hash);
  }

  saveConsent(c: Consent): void {
    this.q(`INSERT INTO consents (client_id, org_id, user_id, scopes, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (client_id, org_id, user_id) DO UPDATE SET scopes = excluded.scopes, created_at = excluded.created_at`)
      .run(c.clientId, c.orgId, BigInt(c.userId), JSON.stringify(c.scopes), c.createdAt);
  }

  getConsent(clientId: string, orgId: string, userId: string): Consent | undefined {
    const r = this.q('SELECT * FROM consents WHERE client_id = ? AND org_id = ? AND user_id = ?').get(clientId, orgId, BigInt(userId)) as Row | undefined;
    return r && { clientId, orgId, userId, scopes: JSON.parse(str(r.scopes)), createdAt: num(r.created_at) };
  }
}
