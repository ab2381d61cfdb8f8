/**
 * The PostgreSQL store: the same contract as the SQLite store, for several server instances
 * sharing one database. Every method is one transaction (most are one statement), and every
 * per-id outcome comes from what the database reports for that statement — no read-then-write
 * races between instances. Ids travel as text and are cast to BIGINT in SQL.
 */
import { ORG_TABLES } from '../store.js';
import postgres from 'postgres';
import { randomInt } from 'node:crypto';
import type {
  CreditCharge, OrgDump, Consent, DelinkOutcome, Grant, LinkOutcome, OAuthClient, Org, OrgSettings, Profile, ProfilePermissions,
  RecordQuery, RelatedRow, RelationTarget, Caller, Session, Store, StoredRecord, TokenFilter, TokenRow, User,
} from '../store.js';
import * as dump from './dump.js';
import * as accounts from './accounts.js';
import * as rel from './records.js';
import { MIGRATIONS } from './schema.js';
import { num, str, toClient, toGrant, toOrg, toProfile, toToken, toUser, type Row } from './rows.js';

export type Query = (text: string, params?: unknown[]) => Promise<Row[]>;

export interface PostgresOptions {
  /** Connections in this instance's pool (default 10). */
  max?: number;
  /**
   * 'normal' (default): commits do not wait for the WAL flush (synchronous_commit off) — a crash
   * of this server loses nothing, a crash of the database server may lose the last fraction of a
   * second, never consistency; like SQLite's NORMAL. 'full': every commit waits for the flush.
   */
  sync?: 'normal' | 'full';
}

/** Any constant works; every instance of zcrm-local takes the same one while migrating. */
const MIGRATION_LOCK = '7354201966';
/** Serialization failures and deadlocks: the transaction was rolled back whole, so a retry is safe. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 5;
/**
 * Allocates the next id of org $1 inside the statement that uses it (one round trip, one
 * commit): the org's 7-digit prefix, then its 12-digit sequence, as composeId() builds it.
 */
const NEXT_ID = `WITH next AS (UPDATE orgs SET next_seq = next_seq + 1 WHERE id = $1
  RETURNING prefix::bigint * 1000000000000 + next_seq - 1 AS id)`;

function isRetryable(e: unknown): boolean {
  return RETRYABLE.has(String((e as { code?: unknown }).code ?? ''));
}

function bind(sql: postgres.Sql | postgres.TransactionSql): Query {
  return async (text, params = []) => (await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as Row[];
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly q: Query;

  private constructor(private readonly sql: postgres.Sql) {
    this.q = bind(sql);
  }

  /** Connects and brings the schema up to date; safe when several instances start at once. */
  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const sql = postgres(url, {
      max: options.max ?? 10, onnotice: () => {}, idle_timeout: 60, connect_timeout: 10,
      connection: { application_name: 'zcrm-local', synchronous_commit: options.sync === 'full' ? 'on' : 'off' },
    });
    const store = new PostgresStore(sql);
    try {
      await store.migrate();
    } catch (e) {
      await sql.end({ timeout: 1 });
      throw e;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await this.sql.begin(async (t) => {
      // Held until commit: a second instance starting now waits here, then finds the schema current.
      await t.unsafe('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK]);
      await t.unsafe('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
      const [row] = await t.unsafe("SELECT value FROM meta WHERE key = 'schema_version'");
      const current = row ? Number(row.value) : 0;
      if (current > MIGRATIONS.length) {
        throw new Error(`database schema version ${current} is newer than this server supports (${MIGRATIONS.length})`);
      }
      for (let v = current; v < MIGRATIONS.length; v++) await t.unsafe(MIGRATIONS[v]);
      await t.unsafe(`INSERT INTO meta (key, value) VALUES ('schema_version', $1)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [String(MIGRATIONS.length)]);
    });
  }

  /** One transaction, retried whole when PostgreSQL rolled it back for a deadlock or serialization failure. */
  private async tx<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.sql.begin((t) => fn(bind(t)))) as T;
      } catch (e) {
        if (attempt >= ATTEMPTS || !isRetryable(e)) throw e;
      }
    }
  }

  /** One statement (its own transaction), retried like `tx`. */
  private one(text: string, params: unknown[] = []): Promise<Row[]> {
    return this.retry(() => this.q(text, params));
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }

  async isEmpty(): Promise<boolean> {
    return (await this.one('SELECT 1 FROM orgs LIMIT 1')).length === 0;
  }

  async reset(): Promise<void> {
    await this.one(`TRUNCATE ${ORG_TABLES.join(', ')}`);
  }

  async getClockOffset(): Promise<number> {
    const [r] = await this.one("SELECT value FROM meta WHERE key = 'clock_offset_ms'");
    return r ? num(r.value) : 0;
  }

  async advanceClock(ms: number): Promise<number> {
    const [r] = await this.one(`INSERT INTO meta AS m (key, value) VALUES ('clock_offset_ms', $1::bigint::text)
      ON CONFLICT (key) DO UPDATE SET value = (m.value::bigint + $1::bigint)::text RETURNING value`, [Math.round(ms)]);
    return num(r.value);
  }

  async createOrg(input: { id?: string; prefix?: number; name: string; now: number }): Promise<Org> {
    const insert = `INSERT INTO orgs (id, prefix, name, next_seq, settings, created_at) VALUES ($1, $2::int, $3, 1000000, '{}', $4::bigint)`;
    if (input.prefix !== undefined) {
      await this.one(insert, [input.id ?? String(input.prefix), input.prefix, input.name, input.now]);
      return { id: input.id ?? String(input.prefix), prefix: input.prefix, name: input.name, settings: {}, createdAt: input.now };
    }
    // A random prefix, drawn again when another org holds it (one statement per draw, no lookup race).
    for (;;) {
      const prefix = randomInt(1_000_000, 9_000_000);
      const id = input.id ?? String(prefix);
      const made = await this.one(`${insert} ON CONFLICT (prefix) DO NOTHING RETURNING id`, [id, prefix, input.name, input.now]);
      if (made.length > 0) return { id, prefix, name: input.name, settings: {}, createdAt: input.now };
    }
  }

  async getOrg(id: string): Promise<Org | undefined> {
    const [r] = await this.one('SELECT * FROM orgs WHERE id = $1', [id]);
    return r && toOrg(r);
  }

  async listOrgs(): Promise<Org[]> {
    return (await this.one('SELECT * FROM orgs ORDER BY created_at, id')).map(toOrg);
  }

  async updateOrgSettings(id: string, settings: OrgSettings): Promise<void> {
    await this.one('UPDATE orgs SET settings = $1 WHERE id = $2', [JSON.stringify(settings), id]);
  }

  async allocateIds(orgId: string, count: number): Promise<string[]> {
    return this.retry(() => rel.allocate(this.q, orgId, count));
  }

  async createProfile(orgId: string, input: { name: string; permissions: ProfilePermissions }): Promise<Profile> {
    const [r] = await this.one(`${NEXT_ID} INSERT INTO profiles (org_id, id, name, permissions)
      SELECT $1, next.id, $2, $3 FROM next RETURNING id`, [orgId, input.name, JSON.stringify(input.permissions)]);
    if (!r) throw new Error(`unknown org ${orgId}`);
    return { id: str(r.id), orgId, name: input.name, permissions: input.permissions };
  }

  async getProfile(orgId: string, id: string): Promise<Profile | undefined> {
    const [r] = await this.one('SELECT * FROM profiles WHERE org_id = $1 AND id = $2::bigint', [orgId, id]);
    return r && toProfile(r);
  }

  async listProfiles(orgId: string): Promise<Profile[]> {
    return (await this.one('SELECT * FROM profiles WHERE org_id = $1 ORDER BY id', [orgId])).map(toProfile);
  }

  async createUser(orgId: string, input: { email: string; name: string; profileId: string; passwordHash: string | null; now: number }): Promise<User> {
    const [r] = await this.one(`${NEXT_ID} INSERT INTO users (org_id, id, email, name, profile_id, password_hash, created_at)
      SELECT $1, next.id, $2, $3, $4::bigint, $5, $6::bigint FROM next RETURNING id`,
    [orgId, input.email, input.name, input.profileId, input.passwordHash, input.now]);
    if (!r) throw new Error(`unknown org ${orgId}`);
    return { id: str(r.id), orgId, email: input.email, name: input.name, profileId: input.profileId, passwordHash: input.passwordHash, createdAt: input.now };
  }

  async getUser(orgId: string, id: string): Promise<User | undefined> {
    const [r] = await this.one('SELECT * FROM users WHERE org_id = $1 AND id = $2::bigint', [orgId, id]);
    return r && toUser(r);
  }

  async findUserByEmail(email: string): Promise<User[]> {
    return (await this.one('SELECT * FROM users WHERE email = $1 ORDER BY created_at', [email.toLowerCase()])).map(toUser);
  }

  async listUsers(orgId: string): Promise<User[]> {
    return (await this.one('SELECT * FROM users WHERE org_id = $1 ORDER BY id', [orgId])).map(toUser);
  }

  async createClient(c: OAuthClient): Promise<void> {
    await this.one(`INSERT INTO clients (client_id, org_id, secret_hash, type, name, redirect_uris, origins, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8::bigint)`,
    [c.clientId, c.orgId, c.secretHash, c.type, c.name, JSON.stringify(c.redirectUris), JSON.stringify(c.origins), c.createdAt]);
  }

  async getClient(clientId: string): Promise<OAuthClient | undefined> {
    const [r] = await this.one('SELECT * FROM clients WHERE client_id = $1', [clientId]);
    return r && toClient(r);
  }

  async saveGrant(g: Grant): Promise<void> {
    await this.one(`INSERT INTO grants (code_hash, client_id, org_id, user_id, scopes, redirect_uri, access_type, expires_at)
      VALUES ($1, $2, $3, $4::bigint, $5, $6, $7, $8::bigint)`,
    [g.codeHash, g.clientId, g.orgId, g.userId, JSON.stringify(g.scopes), g.redirectUri, g.accessType, g.expiresAt]);
  }

  async consumeGrant(codeHash: string, now: number): Promise<Grant | undefined> {
    // One UPDATE: of two instances exchanging the same code at once, exactly one gets the row back.
    const [r] = await this.one('UPDATE grants SET used = true WHERE code_hash = $1 AND NOT used AND expires_at > $2::bigint RETURNING *', [codeHash, now]);
    return r && toGrant(r);
  }

  async saveToken(t: TokenRow): Promise<void> {
    await this.one(`INSERT INTO tokens (hash, kind, client_id, org_id, user_id, scopes, parent_hash, expires_at, revoked, created_at)
      VALUES ($1, $2, $3, $4, $5::bigint, $6, $7, $8::bigint, $9::boolean, $10::bigint)`,
    [t.hash, t.kind, t.clientId, t.orgId, t.userId, JSON.stringify(t.scopes), t.parentHash, t.expiresAt, t.revoked, t.createdAt]);
  }

  async getToken(hash: string): Promise<TokenRow | undefined> {
    const [r] = await this.one('SELECT * FROM tokens WHERE hash = $1', [hash]);
    return r && toToken(r);
  }

  async getCaller(hash: string): Promise<Caller | undefined> {
    // One round trip on the request's critical path instead of three (token; org and user; profile).
    // Plain columns, not row_to_json: JSON would carry the BIGINT ids as numbers.
    const [r] = await this.one(`SELECT t.*,
        o.id AS o_id, o.prefix AS o_prefix, o.name AS o_name, o.settings AS o_settings, o.created_at AS o_created_at,
        u.id AS u_id, u.email AS u_email, u.name AS u_name, u.profile_id AS u_profile_id, u.password_hash AS u_password_hash,
        u.created_at AS u_created_at, p.id AS p_id, p.name AS p_name, p.permissions AS p_permissions
      FROM tokens t
      LEFT JOIN orgs o ON o.id = t.org_id
      LEFT JOIN users u ON u.org_id = t.org_id AND u.id = t.user_id
      LEFT JOIN profiles p ON p.org_id = t.org_id AND p.id = u.profile_id
      WHERE t.hash = $1`, [hash]);
    if (!r) return undefined;
    const part = (prefix: string): Row | undefined => {
      if (r[`${prefix}id`] === null) return undefined;
      const out: Row = { org_id: r.org_id };
      for (const [k, v] of Object.entries(r)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
      return out;
    };
    const [org, user, profile] = [part('o_'), part('u_'), part('p_')];
    return { token: toToken(r), org: org && toOrg(org), user: user && toUser(user), profile: profile && toProfile(profile) };
  }

  async revokeToken(hash: string): Promise<boolean> {
    const [r] = await this.one(`WITH own AS (UPDATE tokens SET revoked = true WHERE hash = $1 AND NOT revoked RETURNING 1),
      minted AS (UPDATE tokens SET revoked = true WHERE parent_hash = $1 AND NOT revoked RETURNING 1)
      SELECT (SELECT count(*) FROM own) AS changed`, [hash]);
    return num(r.changed) > 0;
  }

  async listTokens(filter: TokenFilter): Promise<TokenRow[]> { return this.retry(() => accounts.listTokens(this.q, filter)); }
  async listClients(orgId: string): Promise<OAuthClient[]> { return this.retry(() => accounts.listClients(this.q, orgId)); }
  async isOriginRegistered(origin: string): Promise<boolean> { return this.retry(() => accounts.isOriginRegistered(this.q, origin)); }
  async createSession(session: Session): Promise<void> { await this.retry(() => accounts.createSession(this.q, session)); }
  async getSession(hash: string, now: number): Promise<Session | undefined> { return this.retry(() => accounts.getSession(this.q, hash, now)); }
  async deleteSession(hash: string): Promise<void> { await this.retry(() => accounts.deleteSession(this.q, hash)); }
  async saveConsent(consent: Consent): Promise<void> { await this.retry(() => accounts.saveConsent(this.q, consent)); }
  async getConsent(clientId: string, orgId: string, userId: string): Promise<Consent | undefined> {
    return this.retry(() => accounts.getConsent(this.q, clientId, orgId, userId));
  }

  async insertRecords(orgId: string, records: StoredRecord[]): Promise<void> {
    if (records.length > 0) await this.retry(() => rel.insertRecords(this.q, orgId, records));
  }

  async getRecords(orgId: string, module: string, ids: string[]): Promise<Map<string, StoredRecord>> {
    return rel.getRecords(this.q, orgId, module, ids);
  }

  async getRecordOwner(orgId: string, module: string, id: string): Promise<string | undefined> {
    const rows = await this.q('SELECT owner_id FROM records WHERE org_id = $1 AND module = $2 AND id = $3::bigint', [orgId, module, id]);
    return rows.length ? String(rows[0].owner_id) : undefined;
  }

  async listRecords(orgId: string, module: string, query: RecordQuery): Promise<StoredRecord[]> {
    if (query.ids) {
      const found = await this.getRecords(orgId, module, query.ids);
      return query.ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : [])).slice(query.offset, query.offset + query.limit);
    }
    return rel.listRecords(this.q, orgId, module, query);
  }

  async updateRecords(orgId: string, module: string, updates: { id: string; data: Record<string, unknown>; ownerId: string; modifiedBy: string; modifiedAt: number }[]): Promise<boolean[]> {
    return updates.length === 0 ? [] : this.retry(() => rel.updateRecords(this.q, orgId, module, updates));
  }

  async deleteRecords(orgId: string, module: string, ids: string[]): Promise<boolean[]> {
    return ids.length === 0 ? [] : this.retry(() => rel.deleteRecords(this.q, orgId, module, ids));
  }

  async listNotes(orgId: string, parentId: string, offset: number, limit: number): Promise<StoredRecord[]> {
    return rel.listNotes(this.q, orgId, parentId, offset, limit);
  }

  async deleteNotesOf(orgId: string, parentId: string, noteIds: string[]): Promise<('deleted' | 'invalid_id')[]> {
    return noteIds.length === 0 ? [] : this.retry(() => rel.deleteNotesOf(this.q, orgId, parentId, noteIds));
  }

  async listByLookup(orgId: string, module: string, field: string, parentId: string, offset: number, limit: number): Promise<StoredRecord[]> {
    return rel.listByLookup(this.q, orgId, module, field, parentId, offset, limit);
  }

  async delinkRelated(orgId: string, target: RelationTarget, ids: string[]): Promise<DelinkOutcome[]> {
    return ids.length === 0 ? [] : this.retry(() => rel.delink(this.q, orgId, target, ids));
  }

  async linkRelated(orgId: string, target: RelationTarget, items: { id: string; data: Record<string, unknown> }[], now: number): Promise<LinkOutcome[]> {
    return items.length === 0 ? [] : this.retry(() => rel.link(this.q, orgId, target, items, now));
  }

  async listRelated(orgId: string, target: RelationTarget, offset: number, limit: number, onlyId?: string): Promise<RelatedRow[]> {
    return rel.listRelated(this.q, orgId, target, offset, limit, onlyId);
  }

  async chargeCredits(orgId: string, charge: CreditCharge): Promise<{ ok: boolean; used: number }> {
    return this.tx((q) => dump.chargeCredits(q, orgId, charge));
  }

  async acquireLease(orgId: string, leaseId: string, limit: number, now: number, expiresAt: number): Promise<boolean> {
    return this.tx(async (q) => {
      // A per-org advisory lock serialises slot-taking of one org across instances.
      await q("SELECT pg_advisory_xact_lock(hashtext('lease:' || $1))", [orgId]);
      await q('DELETE FROM api_leases WHERE org_id = $1 AND expires_at <= $2::bigint', [orgId, now]);
      const [r] = await q('SELECT COUNT(*)::int AS n FROM api_leases WHERE org_id = $1', [orgId]);
      if (Number(r.n) >= limit) return false;
      await q('INSERT INTO api_leases (org_id, id, expires_at) VALUES ($1, $2, $3::bigint)', [orgId, leaseId, expiresAt]);
      return true;
    });
  }

  async releaseLease(orgId: string, leaseId: string): Promise<void> {
    await this.tx((q) => q('DELETE FROM api_leases WHERE org_id = $1 AND id = $2', [orgId, leaseId]));
  }

  async countLeases(orgId: string, now: number): Promise<number> {
    const [r] = await this.q('SELECT COUNT(*)::int AS n FROM api_leases WHERE org_id = $1 AND expires_at > $2::bigint', [orgId, now]);
    return Number(r.n);
  }

  async exportOrg(orgId: string): Promise<OrgDump | undefined> {
    // REPEATABLE READ: the dump is one consistent point in time.
    return this.tx(async (q) => {
      await q('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return dump.exportOrg(q, orgId);
    });
  }

  async importOrg(d: OrgDump): Promise<void> {
    await this.tx((q) => dump.importOrg(q, d));
  }

  private async retry<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (attempt >= ATTEMPTS || !isRetryable(e)) throw e;
      }
    }
  }
}
