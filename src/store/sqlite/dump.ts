/**
 * SQLite side of snapshots and API-credit accounting: whole-org export and import, and the
 * per-minute credit buckets of edition limits. Called by SqliteStore inside its transactions.
 */
import { SQLITE_ORG_TABLES, withoutDelinkTrigger } from './schema.js';
import type Database from 'better-sqlite3';
import { type CreditCharge, type OrgDump, type RelationRow, type StoredRecord } from '../store.js';

type Row = Record<string, unknown>;

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number => Number(v);
const big = (id: string): bigint => BigInt(id);
const bigOrNull = (id: string | null): bigint | null => (id === null ? null : BigInt(id));

/** Tables holding one org's data, with the column naming the org. */

/** Prepared statements of the per-request path, cached per connection. */
const cached = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function q(db: Database.Database, sql: string): Database.Statement {
  let m = cached.get(db);
  if (!m) cached.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s;
}

export function chargeCredits(db: Database.Database, orgId: string, c: CreditCharge): { ok: boolean; used: number } {
  q(db, 'DELETE FROM api_credits WHERE org_id = ? AND minute < ?').run(orgId, c.sinceMinute);
  const row = q(db, 'SELECT COALESCE(SUM(used), 0) AS used FROM api_credits WHERE org_id = ? AND minute >= ?').get(orgId, c.sinceMinute) as Row;
  const used = num(row.used);
  if (c.cost === 0) return { ok: used <= c.limit, used };
  if (used + c.cost > c.limit) return { ok: false, used };
  q(db, `INSERT INTO api_credits (org_id, minute, used) VALUES (?, ?, ?)
    ON CONFLICT (org_id, minute) DO UPDATE SET used = used + excluded.used`).run(orgId, c.minute, c.cost);
  return { ok: true, used: used + c.cost };
}

function toRecord(r: Row): StoredRecord {
  return {
    id: str(r.id), module: str(r.module), ownerId: str(r.owner_id), createdBy: str(r.created_by),
    modifiedBy: str(r.modified_by), createdAt: num(r.created_at), modifiedAt: num(r.modified_at),
    parentId: r.parent_id === null ? null : str(r.parent_id), data: JSON.parse(str(r.data)),
  };
}

export function exportOrg(db: Database.Database, orgId: string): OrgDump | undefined {
  const o = db.prepare('SELECT * FROM orgs WHERE id = ?').get(orgId) as Row | undefined;
  if (!o) return undefined;
  const all = (sql: string) => db.prepare(sql).all(orgId) as Row[];
  return {
    org: { id: str(o.id), prefix: num(o.prefix), name: str(o.name), settings: JSON.parse(str(o.settings)), createdAt: num(o.created_at) },
    nextSeq: str(o.next_seq),
    profiles: all('SELECT * FROM profiles WHERE org_id = ? ORDER BY id').map((r) => ({
      id: str(r.id), orgId, name: str(r.name), permissions: JSON.parse(str(r.permissions)),
    })),
    users: all('SELECT * FROM users WHERE org_id = ? ORDER BY id').map((r) => ({
      id: str(r.id), orgId, email: str(r.email), name: str(r.name), profileId: str(r.profile_id),
      passwordHash: r.password_hash === null ? null : str(r.password_hash), createdAt: num(r.created_at),
    })),
    clients: all('SELECT * FROM clients WHERE org_id = ? ORDER BY created_at, client_id').map((r) => ({
      clientId: str(r.client_id), orgId, secretHash: str(r.secret_hash), type: str(r.type) as 'self',
      name: str(r.name), redirectUris: JSON.parse(str(r.redirect_uris)), origins: JSON.parse(str(r.origins)), createdAt: num(r.created_at),
    })),
    tokens: all('SELECT * FROM tokens WHERE org_id = ? ORDER BY created_at, hash').map((r) => ({
      hash: str(r.hash), kind: str(r.kind) as 'access', clientId: str(r.client_id), orgId, userId: str(r.user_id),
      scopes: JSON.parse(str(r.scopes)), parentHash: r.parent_hash === null ? null : str(r.parent_hash),
      expiresAt: r.expires_at === null ? null : num(r.expires_at), revoked: num(r.revoked) === 1, createdAt: num(r.created_at),
    })),
    records: all('SELECT * FROM records WHERE org_id = ? ORDER BY id').map(toRecord),
    relations: all('SELECT * FROM relations WHERE org_id = ? AND gone = 0 ORDER BY relation, left_id, right_id').map((r): RelationRow => ({
      relation: str(r.relation), leftId: str(r.left_id), rightId: str(r.right_id), data: JSON.parse(str(r.data)), createdAt: num(r.created_at),
    })),
  };
}

export function importOrg(db: Database.Database, d: OrgDump): void {
  const id = d.org.id;
  withoutDelinkTrigger(db, () => {
    for (const t of SQLITE_ORG_TABLES) db.prepare(`DELETE FROM ${t} WHERE ${t === 'orgs' ? 'id' : 'org_id'} = ?`).run(id);
  });
  db.prepare('INSERT INTO orgs (id, prefix, name, next_seq, settings, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(id, d.org.prefix, d.org.name, big(d.nextSeq), JSON.stringify(d.org.settings), d.org.createdAt);
  const profile = db.prepare('INSERT INTO profiles (org_id, id, name, permissions) VALUES (?, ?, ?, ?)');
  for (const p of d.profiles) profile.run(id, big(p.id), p.name, JSON.stringify(p.permissions));
  const user = db.prepare('INSERT INTO users (org_id, id, email, name, profile_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const u of d.users) user.run(id, big(u.id), u.email, u.name, big(u.profileId), u.passwordHash, u.createdAt);
  const client = db.prepare('INSERT INTO clients (client_id, org_id, secret_hash, type, name, redirect_uris, origins, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const c of d.clients) client.run(c.clientId, id, c.secretHash, c.type, c.name, JSON.stringify(c.redirectUris), JSON.stringify(c.origins), c.createdAt);
  const token = db.prepare('INSERT INTO tokens (hash, kind, client_id, org_id, user_id, scopes, parent_hash, expires_at, revoked, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const t of d.tokens) {
    token.run(t.hash, t.kind, t.clientId, id, big(t.userId), JSON.stringify(t.scopes), t.parentHash, t.expiresAt, t.revoked ? 1 : 0, t.createdAt);
  }
  const record = db.prepare(`INSERT INTO records (org_id, id, module, owner_id, created_by, modified_by, created_at, modified_at, parent_id, data)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const r of d.records) {
    record.run(id, big(r.id), r.module, big(r.ownerId), big(r.createdBy), big(r.modifiedBy), r.createdAt, r.modifiedAt, bigOrNull(r.parentId), JSON.stringify(r.data));
  }
  const relation = db.prepare('INSERT INTO relations (org_id, relation, left_id, right_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  for (const r of d.relations) relation.run(id, r.relation, big(r.leftId), big(r.rightId), JSON.stringify(r.data), r.createdAt);
}
