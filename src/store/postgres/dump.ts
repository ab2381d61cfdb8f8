/**
 * PostgreSQL side of snapshots and API-credit accounting (see Store.chargeCredits, exportOrg,
 * importOrg). Each function runs inside one transaction opened by the store.
 */
import { ORG_TABLES, type CreditCharge, type OrgDump, type RelationRow } from '../store.js';
import type { Query } from './postgres-store.js';
import { num, str, toClient, toOrg, toProfile, toRecord, toToken, toUser } from './rows.js';


export async function chargeCredits(q: Query, orgId: string, c: CreditCharge): Promise<{ ok: boolean; used: number }> {
  // The org row lock serialises charges of one org across instances.
  await q('SELECT 1 FROM orgs WHERE id = $1 FOR UPDATE', [orgId]);
  await q('DELETE FROM api_credits WHERE org_id = $1 AND minute < $2::bigint', [orgId, c.sinceMinute]);
  const [r] = await q('SELECT COALESCE(SUM(used), 0)::bigint AS used FROM api_credits WHERE org_id = $1 AND minute >= $2::bigint', [orgId, c.sinceMinute]);
  const used = num(r.used);
  if (c.cost === 0) return { ok: used <= c.limit, used };
  if (used + c.cost > c.limit) return { ok: false, used };
  await q(`INSERT INTO api_credits (org_id, minute, used) VALUES ($1, $2::bigint, $3::bigint)
    ON CONFLICT (org_id, minute) DO UPDATE SET used = api_credits.used + excluded.used`, [orgId, c.minute, c.cost]);
  return { ok: true, used: used + c.cost };
}

export async function exportOrg(q: Query, orgId: string): Promise<OrgDump | undefined> {
  const [o] = await q('SELECT * FROM orgs WHERE id = $1', [orgId]);
  if (!o) return undefined;
  const all = (sql: string) => q(sql, [orgId]);
  return {
    org: toOrg(o),
    nextSeq: str(o.next_seq),
    profiles: (await all('SELECT * FROM profiles WHERE org_id = $1 ORDER BY id')).map(toProfile),
    users: (await all('SELECT * FROM users WHERE org_id = $1 ORDER BY id')).map(toUser),
    clients: (await all('SELECT * FROM clients WHERE org_id = $1 ORDER BY created_at, client_id')).map(toClient),
    tokens: (await all('SELECT * FROM tokens WHERE org_id = $1 ORDER BY created_at, hash')).map(toToken),
    records: (await all('SELECT * FROM records WHERE org_id = $1 ORDER BY id')).map(toRecord),
    relations: (await all('SELECT * FROM relations WHERE org_id = $1 ORDER BY relation, left_id, right_id')).map((r): RelationRow => ({
      relation: str(r.relation), leftId: str(r.left_id), rightId: str(r.right_id), data: JSON.parse(str(r.data)), createdAt: num(r.created_at),
    })),
  };
}

export async function importOrg(q: Query, d: OrgDump): Promise<void> {
  const id = d.org.id;
  for (const t of ORG_TABLES) await q(`DELETE FROM ${t} WHERE ${t === 'orgs' ? 'id' : 'org_id'} = $1`, [id]);
  await q('INSERT INTO orgs (id, prefix, name, next_seq, settings, created_at) VALUES ($1, $2::int, $3, $4::bigint, $5, $6::bigint)',
    [id, d.org.prefix, d.org.name, d.nextSeq, JSON.stringify(d.org.settings), d.org.createdAt]);
  for (const p of d.profiles) {
    await q('INSERT INTO profiles (org_id, id, name, permissions) VALUES ($1, $2::bigint, $3, $4)', [id, p.id, p.name, JSON.stringify(p.permissions)]);
  }
  for (const u of d.users) {
    await q('INSERT INTO users (org_id, id, email, name, profile_id, password_hash, created_at) VALUES ($1, $2::bigint, $3, $4, $5::bigint, $6, $7::bigint)',
      [id, u.id, u.email, u.name, u.profileId, u.passwordHash, u.createdAt]);
  }
  for (const c of d.clients) {
    await q('INSERT INTO clients (client_id, org_id, secret_hash, type, name, redirect_uris, origins, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::bigint)',
      [c.clientId, id, c.secretHash, c.type, c.name, JSON.stringify(c.redirectUris), JSON.stringify(c.origins), c.createdAt]);
  }
  for (const t of d.tokens) {
    await q(`INSERT INTO tokens (hash, kind, client_id, org_id, user_id, scopes, parent_hash, expires_at, revoked, created_at)
      VALUES ($1, $2, $3, $4, $5::bigint, $6, $7, $8::bigint, $9::boolean, $10::bigint)`,
    [t.hash, t.kind, t.clientId, id, t.userId, JSON.stringify(t.scopes), t.parentHash, t.expiresAt, t.revoked, t.createdAt]);
  }
  for (const r of d.records) {
    await q(`INSERT INTO records (org_id, id, module, owner_id, created_by, modified_by, created_at, modified_at, parent_id, data)
      VALUES ($1, $2::bigint, $3, $4::bigint, $5::bigint, $6::bigint, $7::bigint, $8::bigint, $9::bigint, $10)`,
    [id, r.id, r.module, r.ownerId, r.createdBy, r.modifiedBy, r.createdAt, r.modifiedAt, r.parentId, JSON.stringify(r.data)]);
  }
  for (const r of d.relations) {
    await q('INSERT INTO relations (org_id, relation, left_id, right_id, data, created_at) VALUES ($1, $2, $3::bigint, $4::bigint, $5, $6::bigint)',
      [id, r.relation, r.leftId, r.rightId, JSON.stringify(r.data), r.createdAt]);
  }
}
