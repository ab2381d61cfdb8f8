import Database from 'better-sqlite3';
import { randomInt } from 'node:crypto';
import { composeId } from '../../zoho/ids.js';
import { relationsOfModule } from '../../zoho/relations.js';
import * as dump from './dump.js';
import { Checkpointer } from './checkpointer.js';
import { addonPath } from './driver.js';
import { GroupCommit } from './group-commit.js';
import { RelationPurge } from './relation-purge.js';
import type {
  CreditCharge, OrgDump, Consent, DelinkOutcome, Grant, LinkOutcome, OAuthClient, Org, OrgSettings, Profile, ProfilePermissions,
  RecordQuery, RelatedRow, RelationTarget, Caller, Session, Store, StoredRecord, TokenFilter, TokenRow, User,
} from '../store.js';
import { MIGRATIONS, SQLITE_ORG_TABLES, withoutDelinkTrigger } from './schema.js';
import { SqliteAccounts } from './sqlite-accounts.js';

type Row = Record<string, unknown>;

export interface SqliteOptions {
  /** 'normal' (default): survives a process crash; 'full': survives an OS crash too. */
  sync?: 'normal' | 'full';
  /** Page size of a new database file (default 1024); an existing file keeps its own. */
  pageSize?: number;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number => Number(v);
const big = (id: string): bigint => BigInt(id);
const LEFT_PAIR = { parentCol: 'left_id', relatedCol: 'right_id' } as const;
const RIGHT_PAIR = { parentCol: 'right_id', relatedCol: 'left_id' } as const;
/** A delink marks the relation gone (schema migration 6); the purge deletes the row later. */
const DELINK_LEFT = 'UPDATE relations SET gone = 1 WHERE org_id = ? AND relation = ? AND left_id = ? AND right_id = ? AND gone = 0';
const DELINK_RIGHT = 'UPDATE relations SET gone = 1 WHERE org_id = ? AND relation = ? AND right_id = ? AND left_id = ? AND gone = 0';
const RECORD_EXISTS = 'SELECT 1 FROM records WHERE org_id = ? AND id = ? AND module = ?';
/** Linking a linked relation merges its data; linking a gone one makes it a new link. */
const UPSERT_RELATION = `ON CONFLICT (org_id, relation, left_id, right_id) DO UPDATE SET
  data = CASE WHEN relations.gone = 0 THEN json_patch(relations.data, excluded.data) ELSE excluded.data END,
  created_at = CASE WHEN relations.gone = 0 THEN relations.created_at ELSE excluded.created_at END, gone = 0`;
const pairOf = (side: RelationTarget['side']) => (side === 'left' ? LEFT_PAIR : RIGHT_PAIR);
const linkOneSql = (side: RelationTarget['side']): string => {
  const { parentCol, relatedCol } = pairOf(side);
  return `INSERT INTO relations (org_id, relation, ${parentCol}, ${relatedCol}, data, created_at) VALUES (?, ?, ?, ?, ?, ?) ${UPSERT_RELATION}`;
};
/** Links one relation (parent, related, data); the caller has checked the related record. */
const LINK_ONE = { left: linkOneSql('left'), right: linkOneSql('right') } as const;
/** Ids per set-based link or delink statement at most (a request carries up to 100). */
const SET_MAX = 100;
const placeholders = (n: number): string => Array(n).fill('?').join(', ');
/**
 * A set-based statement's SQL, built once per side and size: requests send the same sizes again
 * and again, and the same string finds its prepared statement without being built and hashed anew.
 */
function bySideAndSize(build: (side: RelationTarget['side'], n: number) => string): (side: RelationTarget['side'], n: number) => string {
  const memo = new Map<number, string>();
  return (side, n) => {
    const key = side === 'left' ? n : -n;
    let sql = memo.get(key);
    if (sql === undefined) memo.set(key, (sql = build(side, n)));
    return sql;
  };
}
/**
 * Links up to `n` related records that carry no relation data in one statement: the related
 * records found in the module are linked (or their relation re-written, as a link of the same
 * record does) and returned; ids not returned are not records of that module.
 */
const linkSetSql = bySideAndSize((side, n) => {
  const { parentCol, relatedCol } = pairOf(side);
  return `INSERT INTO relations (org_id, relation, ${parentCol}, ${relatedCol}, data, created_at)
    SELECT ?, ?, ?, id, '{}', ? FROM records WHERE org_id = ? AND module = ? AND id IN (${placeholders(n)})
    ${UPSERT_RELATION} RETURNING ${relatedCol}`;
});
/** Removes the relations of a parent with up to `n` related records; returns the related ids removed. */
const delinkSetSql = bySideAndSize((side, n) => {
  const { parentCol, relatedCol } = pairOf(side);
  return `UPDATE relations SET gone = 1 WHERE org_id = ? AND relation = ? AND ${parentCol} = ? AND ${relatedCol} IN (${placeholders(n)})
    AND gone = 0 RETURNING ${relatedCol}`;
});
/**
 * A record's columns for pages of records, ids as text: read with safe integers off, a page of 200
 * makes no BigInt (times are milliseconds, exact as numbers).
 */
const RECORD_PAGE_COLUMNS = (r: string) => `CAST(${r}.id AS TEXT) AS id, ${r}.module, CAST(${r}.owner_id AS TEXT) AS owner_id,
  CAST(${r}.created_by AS TEXT) AS created_by, CAST(${r}.modified_by AS TEXT) AS modified_by, ${r}.created_at, ${r}.modified_at,
  CAST(${r}.parent_id AS TEXT) AS parent_id, ${r}.data`;
const hasNoKeys = (o: Record<string, unknown>): boolean => {
  for (const _ in o) return false;
  return true;
};
/** Statements that change what authentication reads; running one bumps authVersion(). */
const AUTH_WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b[^;]*?\b(orgs|users|profiles|clients|tokens)\b/i;

function toRecord(r: Row): StoredRecord {
  return {
    id: str(r.id), module: str(r.module), ownerId: str(r.owner_id), createdBy: str(r.created_by),
    modifiedBy: str(r.modified_by), createdAt: num(r.created_at), modifiedAt: num(r.modified_at),
    parentId: r.parent_id === null ? null : str(r.parent_id), data: JSON.parse(str(r.data)),
  };
}

function toOrg(r: Row): Org {
  return { id: str(r.id), prefix: num(r.prefix), name: str(r.name), settings: JSON.parse(str(r.settings)), createdAt: num(r.created_at) };
}

function toUser(r: Row): User {
  return {
    id: str(r.id), orgId: str(r.org_id), email: str(r.email), name: str(r.name), profileId: str(r.profile_id),
    passwordHash: r.password_hash === null ? null : str(r.password_hash), createdAt: num(r.created_at),
  };
}

function toToken(r: Row): TokenRow {
  return {
    hash: str(r.hash), kind: str(r.kind) as TokenRow['kind'], clientId: str(r.client_id), orgId: str(r.org_id),
    userId: str(r.user_id), scopes: JSON.parse(str(r.scopes)), parentHash: r.parent_hash === null ? null : str(r.parent_hash),
    expiresAt: r.expires_at === null ? null : num(r.expires_at), revoked: num(r.revoked) === 1, createdAt: num(r.created_at),
  };
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly stmt = new Map<string, Database.Statement>();
  private readonly accounts = new SqliteAccounts((sql) => this.q(sql));
  private readonly authWrites = new Set<Database.Statement>();
  private authGen = 0;
  /** Delinks and links of concurrent requests share one transaction (group-commit.ts). */
  readonly group: GroupCommit;
  private checkpointer?: Checkpointer;
  private readonly purge: RelationPurge;

  constructor(private readonly path: string, options: SqliteOptions = {}) {
    this.db = new Database(path, { nativeBinding: addonPath() });
    this.db.defaultSafeIntegers(true);
    // New databases get 1 KiB pages (an existing file keeps its own): a delink or link changes a few
    // small rows scattered over two B-trees, and every changed page is written to the WAL and
    // checkpointed whole — at 1M relations 1 KiB pages gave 7-30 % more delinks per second than 4 KiB
    // (bench/README.md). Must come before the first write fixes the size.
    this.db.pragma(`page_size = ${Math.trunc(options.pageSize ?? 1024)}`);
    if (path !== ':memory:' && path !== '') this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    // SQLite's own default page cache (2 MiB) rather than better-sqlite3's 16 MiB. Profiled at 1M
    // relations, SQLite dropping pages from its cache after commits (pcache1TruncateUnsafe, seen only
    // in runs with bulk links) took 4 % of the server's CPU with 16 MiB and 0.9 % with 4 MiB; callgrind
    // counted 7x its instructions with 16 MiB as with 2 MiB. Side by side, single-id delinks at 1M
    // cost 12-19 % less CPU with 2 MiB; 100-id delinks, lists and 10k relations about the same.
    // File pages the cache drops stay in the OS page cache.
    this.db.pragma('cache_size = -2000');
    // Statement journals in memory. A batch runs each multi-statement request in a savepoint, and
    // SQLite journals every page the savepoint changes; past 64 KiB it spilled that journal to a
    // temporary file. In a store-level loop of 100-id delinks and links at 10k relations, that was
    // 1.8 of the 2.8 pwrites per removed relation.
    this.db.pragma('temp_store = MEMORY');
    this.db.pragma('foreign_keys = OFF');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.group = new GroupCommit(this.db);
    this.purge = new RelationPurge(this.db, this.group);
  }

  /** Purges every queued reverse entry now (the purge otherwise runs by itself); the entries dropped. */
  async purgeRelations(): Promise<number> {
    return this.purge.drain();
  }

  /** `n` relations were removed: their reverse entries wait in relations_purge. */
  private noteRemoved(n: number): void {
    if (n > 0) this.purge.queued(n);
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as Row | undefined;
    const current = row ? Number(row.value) : 0;
    if (current > MIGRATIONS.length) {
      throw new Error(`database schema version ${current} is newer than this server supports (${MIGRATIONS.length})`);
    }
    const apply = this.db.transaction(() => {
      for (let v = current; v < MIGRATIONS.length; v++) this.db.exec(MIGRATIONS[v]);
      this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)").run(String(MIGRATIONS.length));
    });
    apply.immediate();
  }

  /** Cached prepared statements: preparation costs more than most of our queries. */
  private q(sql: string): Database.Statement {
    let s = this.stmt.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmt.set(sql, s);
      if (AUTH_WRITE.test(sql)) this.authWrites.add(s);
    }
    if (this.authWrites.has(s)) this.authGen++;
    return s;
  }

  authVersion(): number {
    return this.authGen;
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  async close(): Promise<void> {
    this.purge.stop();
    this.group.flush();
    await this.checkpointer?.stop();
    this.db.close();
  }

  async isEmpty(): Promise<boolean> {
    return this.q('SELECT 1 FROM orgs LIMIT 1').get() === undefined;
  }

  async reset(): Promise<void> {
    this.authGen++;
    this.tx(() => withoutDelinkTrigger(this.db, () => {
      for (const t of SQLITE_ORG_TABLES) this.db.exec(`DELETE FROM ${t}`);
    }));
  }

  async getClockOffset(): Promise<number> {
    const r = this.q("SELECT value FROM meta WHERE key = 'clock_offset_ms'").get() as Row | undefined;
    return r ? num(r.value) : 0;
  }

  async advanceClock(ms: number): Promise<number> {
    const r = this.q(`INSERT INTO meta (key, value) VALUES ('clock_offset_ms', CAST(? AS TEXT))
      ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + ? AS TEXT) RETURNING value`).get(Math.round(ms), Math.round(ms)) as Row;
    return num(r.value);
  }

  async createOrg(input: { id?: string; prefix?: number; name: string; now: number }): Promise<Org> {
    return this.tx(() => {
      let prefix = input.prefix;
      while (prefix === undefined) {
        const candidate = randomInt(1_000_000, 9_000_000);
        if (!this.q('SELECT 1 FROM orgs WHERE prefix = ?').get(candidate)) prefix = candidate;
      }
      const id = input.id ?? String(prefix);
      this.q('INSERT INTO orgs (id, prefix, name, next_seq, settings, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, prefix, input.name, 1_000_000, '{}', input.now);
      return { id, prefix, name: input.name, settings: {}, createdAt: input.now };
    });
  }

  async getOrg(id: string): Promise<Org | undefined> {
    const r = this.q('SELECT * FROM orgs WHERE id = ?').get(id) as Row | undefined;
    return r && toOrg(r);
  }

  async listOrgs(): Promise<Org[]> {
    return (this.q('SELECT * FROM orgs ORDER BY created_at, id').all() as Row[]).map(toOrg);
  }

  async updateOrgSettings(id: string, settings: OrgSettings): Promise<void> {
    this.q('UPDATE orgs SET settings = ? WHERE id = ?').run(JSON.stringify(settings), id);
  }

  async allocateIds(orgId: string, count: number): Promise<string[]> {
    return this.tx(() => this.allocate(orgId, count));
  }

  private allocate(orgId: string, count: number): string[] {
    const r = this.q('UPDATE orgs SET next_seq = next_seq + ? WHERE id = ? RETURNING prefix, next_seq').get(count, orgId) as Row | undefined;
    if (!r) throw new Error(`unknown org ${orgId}`);
    const end = BigInt(r.next_seq as bigint);
    const ids: string[] = [];
    for (let i = count; i > 0; i--) ids.push(composeId(num(r.prefix), end - BigInt(i)));
    return ids;
  }

  async createProfile(orgId: string, input: { name: string; permissions: ProfilePermissions }): Promise<Profile> {
    return this.tx(() => {
      const [id] = this.allocate(orgId, 1);
      this.q('INSERT INTO profiles (org_id, id, name, permissions) VALUES (?, ?, ?, ?)').run(orgId, big(id), input.name, JSON.stringify(input.permissions));
      return { id, orgId, name: input.name, permissions: input.permissions };
    });
  }

  async getProfile(orgId: string, id: string): Promise<Profile | undefined> {
    const r = this.q('SELECT * FROM profiles WHERE org_id = ? AND id = ?').get(orgId, big(id)) as Row | undefined;
    return r && { id: str(r.id), orgId, name: str(r.name), permissions: JSON.parse(str(r.permissions)) };
  }

  async listProfiles(orgId: string): Promise<Profile[]> {
    return (this.q('SELECT * FROM profiles WHERE org_id = ? ORDER BY id').all(orgId) as Row[]).map((r) => ({
      id: str(r.id), orgId, name: str(r.name), permissions: JSON.parse(str(r.permissions)),
    }));
  }

  async createUser(orgId: string, input: { email: string; name: string; profileId: string; passwordHash: string | null; now: number }): Promise<User> {
    return this.tx(() => {
      const [id] = this.allocate(orgId, 1);
      this.q('INSERT INTO users (org_id, id, email, name, profile_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(orgId, big(id), input.email, input.name, big(input.profileId), input.passwordHash, input.now);
      return { id, orgId, email: input.email, name: input.name, profileId: input.profileId, passwordHash: input.passwordHash, createdAt: input.now };
    });
  }

  async getUser(orgId: string, id: string): Promise<User | undefined> {
    const r = this.q('SELECT * FROM users WHERE org_id = ? AND id = ?').get(orgId, big(id)) as Row | undefined;
    return r && toUser(r);
  }

  async findUserByEmail(email: string): Promise<User[]> {
    return (this.q('SELECT * FROM users WHERE email = ? ORDER BY created_at').all(email.toLowerCase()) as Row[]).map(toUser);
  }

  async listUsers(orgId: string): Promise<User[]> {
    return (this.q('SELECT * FROM users WHERE org_id = ? ORDER BY id').all(orgId) as Row[]).map(toUser);
  }

  async createClient(c: OAuthClient): Promise<void> {
    this.q('INSERT INTO clients (client_id, org_id, secret_hash, type, name, redirect_uris, origins, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(c.clientId, c.orgId, c.secretHash, c.type, c.name, JSON.stringify(c.redirectUris), JSON.stringify(c.origins), c.createdAt);
  }

  async getClient(clientId: string): Promise<OAuthClient | undefined> {
    const r = this.q('SELECT * FROM clients WHERE client_id = ?').get(clientId) as Row | undefined;
    return r && {
      clientId: str(r.client_id), orgId: str(r.org_id), secretHash: str(r.secret_hash), type: str(r.type) as OAuthClient['type'],
      name: str(r.name), redirectUris: JSON.parse(str(r.redirect_uris)), origins: JSON.parse(str(r.origins)), createdAt: num(r.created_at),
    };
  }

  async saveGrant(g: Grant): Promise<void> {
    this.q('INSERT INTO grants (code_hash, client_id, org_id, user_id, scopes, redirect_uri, access_type, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(g.codeHash, g.clientId, g.orgId, big(g.userId), JSON.stringify(g.scopes), g.redirectUri, g.accessType, g.expiresAt);
  }

  async consumeGrant(codeHash: string, now: number): Promise<Grant | undefined> {
    const r = this.q('UPDATE grants SET used = 1 WHERE code_hash = ? AND used = 0 AND expires_at > ? RETURNING *').get(codeHash, now) as Row | undefined;
    return r && {
      codeHash, clientId: str(r.client_id), orgId: str(r.org_id), userId: str(r.user_id), scopes: JSON.parse(str(r.scopes)),
      redirectUri: r.redirect_uri === null ? null : str(r.redirect_uri), accessType: str(r.access_type) as Grant['accessType'], expiresAt: num(r.expires_at),
    };
  }

  async saveToken(t: TokenRow): Promise<void> {
    this.q('INSERT INTO tokens (hash, kind, client_id, org_id, user_id, scopes, parent_hash, expires_at, revoked, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(t.hash, t.kind, t.clientId, t.orgId, big(t.userId), JSON.stringify(t.scopes), t.parentHash, t.expiresAt, t.revoked ? 1 : 0, t.createdAt);
  }

  async getToken(hash: string): Promise<TokenRow | undefined> {
    const r = this.q('SELECT * FROM tokens WHERE hash = ?').get(hash) as Row | undefined;
    return r && toToken(r);
  }

  async getCaller(hash: string): Promise<Caller | undefined> {
    const token = await this.getToken(hash);
    if (!token) return undefined;
    const [org, user] = await Promise.all([this.getOrg(token.orgId), this.getUser(token.orgId, token.userId)]);
    const profile = user && (await this.getProfile(token.orgId, user.profileId));
    return { token, org, user, profile };
  }

  async revokeToken(hash: string): Promise<boolean> {
    return this.tx(() => {
      const changed = this.q('UPDATE tokens SET revoked = 1 WHERE hash = ? AND revoked = 0').run(hash).changes > 0;
      this.q('UPDATE tokens SET revoked = 1 WHERE parent_hash = ?').run(hash);
      return changed;
    });
  }

  async listTokens(filter: TokenFilter): Promise<TokenRow[]> { return this.accounts.listTokens(filter); }
  async listClients(orgId: string): Promise<OAuthClient[]> { return this.accounts.listClients(orgId); }
  async isOriginRegistered(origin: string): Promise<boolean> { return this.accounts.isOriginRegistered(origin); }
  async createSession(session: Session): Promise<void> { this.accounts.createSession(session); }
  async getSession(hash: string, now: number): Promise<Session | undefined> { return this.accounts.getSession(hash, now); }
  async deleteSession(hash: string): Promise<void> { this.accounts.deleteSession(hash); }
  async saveConsent(consent: Consent): Promise<void> { this.accounts.saveConsent(consent); }
  async getConsent(clientId: string, orgId: string, userId: string): Promise<Consent | undefined> {
    return this.accounts.getConsent(clientId, orgId, userId);
  }

  async insertRecords(orgId: string, records: StoredRecord[]): Promise<void> {
    const ins = this.q(`INSERT INTO records (org_id, id, module, owner_id, created_by, modified_by, created_at, modified_at, parent_id, data)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.tx(() => {
      for (const r of records) {
        ins.run(orgId, big(r.id), r.module, big(r.ownerId), big(r.createdBy), big(r.modifiedBy), r.createdAt, r.modifiedAt,
          r.parentId === null ? null : big(r.parentId), JSON.stringify(r.data));
      }
    });
  }

  async getRecords(orgId: string, module: string, ids: string[]): Promise<Map<string, StoredRecord>> {
    const get = this.q('SELECT * FROM records WHERE org_id = ? AND id = ? AND module = ?');
    const out = new Map<string, StoredRecord>();
    for (const id of ids) {
      const r = get.get(orgId, big(id), module) as Row | undefined;
      if (r) out.set(id, toRecord(r));
    }
    return out;
  }

  async getRecordOwner(orgId: string, module: string, id: string): Promise<string | undefined> {
    const owner = this.q('SELECT owner_id AS owner FROM records WHERE org_id = ? AND id = ? AND module = ?').get(orgId, big(id), module) as { owner: bigint } | undefined;
    return owner && String(owner.owner);
  }

  async listRecords(orgId: string, module: string, query: RecordQuery): Promise<StoredRecord[]> {
    const column = query.sortBy === 'Created_Time' ? 'created_at' : query.sortBy === 'Modified_Time' ? 'modified_at' : 'id';
    const order = query.sortOrder === 'asc' ? 'ASC' : 'DESC';
    if (query.ids) {
      const found = await this.getRecords(orgId, module, query.ids);
      return query.ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : [])).slice(query.offset, query.offset + query.limit);
    }
    const rows = this.q(`SELECT ${RECORD_PAGE_COLUMNS('records')} FROM records WHERE org_id = ? AND module = ?
      ORDER BY records.${column} ${order}, records.id ${order} LIMIT ? OFFSET ?`)
      .safeIntegers(false).all(orgId, module, query.limit, query.offset) as Row[];
    return rows.map(toRecord);
  }

  async updateRecords(orgId: string, module: string, updates: { id: string; data: Record<string, unknown>; ownerId: string; modifiedBy: string; modifiedAt: number }[]): Promise<boolean[]> {
    const upd = this.q('UPDATE records SET data = ?, owner_id = ?, modified_by = ?, modified_at = ? WHERE org_id = ? AND id = ? AND module = ?');
    return this.tx(() => updates.map((u) =>
      upd.run(JSON.stringify(u.data), big(u.ownerId), big(u.modifiedBy), u.modifiedAt, orgId, big(u.id), module).changes > 0));
  }

  async deleteRecords(orgId: string, module: string, ids: string[]): Promise<boolean[]> {
    const del = this.q('DELETE FROM records WHERE org_id = ? AND id = ? AND module = ?');
    const delNotes = this.q('DELETE FROM records WHERE org_id = ? AND parent_id = ?');
    const relations = relationsOfModule(module);
    return this.tx(() => ids.map((id) => {
      const gone = del.run(orgId, big(id), module).changes > 0;
      if (gone) {
        delNotes.run(orgId, big(id));
        for (const rel of relations) {
          // Relations by related record are found through relations_rev (the relations table is keyed by parent).
          const sql = rel.left === module
            ? 'DELETE FROM relations WHERE org_id = @org AND relation = @relation AND left_id = @id'
            : `DELETE FROM relations WHERE org_id = @org AND relation = @relation AND right_id = @id
               AND left_id IN (SELECT left_id FROM relations_rev WHERE org_id = @org AND relation = @relation AND right_id = @id)`;
          this.noteRemoved(this.q(sql).run({ org: orgId, relation: rel.name, id: big(id) }).changes);
        }
      }
      return gone;
    }));
  }

  async listNotes(orgId: string, parentId: string, offset: number, limit: number): Promise<StoredRecord[]> {
    return (this.q("SELECT * FROM records WHERE org_id = ? AND parent_id = ? AND module = 'Notes' ORDER BY id DESC LIMIT ? OFFSET ?")
      .all(orgId, big(parentId), limit, offset) as Row[]).map(toRecord);
  }

  async deleteNotesOf(orgId: string, parentId: string, noteIds: string[]): Promise<('deleted' | 'invalid_id')[]> {
    const del = this.q("DELETE FROM records WHERE org_id = ? AND id = ? AND parent_id = ? AND module = 'Notes'");
    return this.tx(() => noteIds.map((id) => (del.run(orgId, big(id), big(parentId)).changes > 0 ? 'deleted' : 'invalid_id')));
  }

  async listByLookup(orgId: string, module: string, field: string, parentId: string, offset: number, limit: number): Promise<StoredRecord[]> {
    if (!/^[A-Za-z_]+$/.test(field)) throw new Error(`bad field ${field}`);
    return (this.q(`SELECT * FROM records WHERE org_id = ? AND module = ? AND json_extract(data, '$.${field}.id') = ? ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(orgId, module, parentId, limit, offset) as Row[]).map(toRecord);
  }

  /** Busy write paths start the checkpoint worker on first use (file databases only). */
  private writing(): void {
    if (!this.checkpointer && this.path !== ':memory:' && this.path !== '') this.checkpointer = new Checkpointer(this.db, this.path);
  }

  async delinkRelated(orgId: string, target: RelationTarget, ids: string[]): Promise<DelinkOutcome[]> {
    this.writing();
    const exists = this.q(RECORD_EXISTS);
    const parent = big(target.parentId);
    if (ids.length > 1 && ids.length <= SET_MAX) {
      // Several ids: one statement removes them all and names the removed ones. It writes atomically,
      // so the batch needs no savepoint for it.
      const delSet = this.q(delinkSetSql(target.side, ids.length)).pluck();
      const rids = ids.map(big);
      return this.group.run(() => {
        const removed = new Set(delSet.all(orgId, target.relation, parent, ...rids) as bigint[]);
        this.noteRemoved(removed.size);
        // A repeated id is removed at its first occurrence; the later ones find the relation gone.
        return rids.map((rid): DelinkOutcome => {
          if (removed.delete(rid)) return 'removed';
          return exists.get(orgId, rid, target.relatedModule) ? 'not_linked' : 'invalid_id';
        });
      }, true);
    }
    const del = this.q(target.side === 'left' ? DELINK_LEFT : DELINK_RIGHT);
    return this.group.run(() => {
      let removed = 0;
      const outcomes = ids.map((id): DelinkOutcome => {
        const rid = big(id);
        if (del.run(orgId, target.relation, parent, rid).changes > 0) {
          removed++;
          return 'removed';
        }
        return exists.get(orgId, rid, target.relatedModule) ? 'not_linked' : 'invalid_id';
      });
      this.noteRemoved(removed);
      return outcomes;
    }, ids.length <= 1);
  }

  async linkRelated(orgId: string, target: RelationTarget, items: { id: string; data: Record<string, unknown> }[], now: number): Promise<LinkOutcome[]> {
    this.writing();
    const parent = big(target.parentId);
    if (items.length > 1 && items.length <= SET_MAX && items.every((item) => hasNoKeys(item.data))) {
      // The usual bulk link (ids only): one statement instead of a lookup and an upsert per item.
      const link = this.q(linkSetSql(target.side, items.length)).pluck();
      const rids = items.map((item) => big(item.id));
      return this.group.run(() => {
        const linked = new Set(link.all(orgId, target.relation, parent, now, orgId, target.relatedModule, ...rids) as bigint[]);
        return rids.map((rid): LinkOutcome => (linked.has(rid) ? 'linked' : 'invalid_id'));
      }, true);
    }
    const exists = this.q(RECORD_EXISTS);
    const upsert = this.q(LINK_ONE[target.side]);
    return this.group.run(() => items.map((item): LinkOutcome => {
      const rid = big(item.id);
      if (!exists.get(orgId, rid, target.relatedModule)) return 'invalid_id';
      upsert.run(orgId, target.relation, parent, rid, JSON.stringify(item.data), now);
      return 'linked';
    }), items.length <= 1);
  }

  async listRelated(orgId: string, target: RelationTarget, offset: number, limit: number, onlyId?: string): Promise<RelatedRow[]> {
    const { parentCol, relatedCol } = pairOf(target.side);
    const filter = onlyId === undefined ? '' : ` AND rel.${relatedCol} = ?`;
    const params: unknown[] = [orgId, target.relation, big(target.parentId)];
    if (onlyId !== undefined) params.push(big(onlyId));
    params.push(limit, offset);
    // From the right side, relations_rev gives the candidates in order; the join keeps the live ones.
    const from = target.side === 'left'
      ? 'relations rel'
      : `relations_rev rv JOIN relations rel ON rel.org_id = rv.org_id AND rel.relation = rv.relation
         AND rel.left_id = rv.left_id AND rel.right_id = rv.right_id`;
    const key = target.side === 'left' ? 'rel' : 'rv';
    const rows = this.q(`SELECT ${RECORD_PAGE_COLUMNS('r')}, rel.data AS relation_data FROM ${from}
      JOIN records r ON r.org_id = rel.org_id AND r.id = rel.${relatedCol}
      WHERE ${key}.org_id = ? AND ${key}.relation = ? AND ${key}.${parentCol} = ?${filter.replace('rel.', `${key}.`)} AND rel.gone = 0
      ORDER BY ${key}.${relatedCol} DESC LIMIT ? OFFSET ?`).safeIntegers(false).all(...params) as Row[];
    return rows.map((r) => ({ record: toRecord(r), relationData: JSON.parse(str(r.relation_data)) }));
  }

  async chargeCredits(orgId: string, charge: CreditCharge): Promise<{ ok: boolean; used: number }> {
    return this.tx(() => dump.chargeCredits(this.db, orgId, charge));
  }

  async acquireLease(orgId: string, leaseId: string, limit: number, now: number, expiresAt: number): Promise<boolean> {
    return this.tx(() => {
      this.q('DELETE FROM api_leases WHERE org_id = ? AND expires_at <= ?').run(orgId, now);
      const r = this.q('SELECT COUNT(*) AS n FROM api_leases WHERE org_id = ?').get(orgId) as { n: bigint };
      if (Number(r.n) >= limit) return false;
      this.q('INSERT INTO api_leases (org_id, id, expires_at) VALUES (?, ?, ?)').run(orgId, leaseId, expiresAt);
      return true;
    });
  }

  async releaseLease(orgId: string, leaseId: string): Promise<void> {
    this.q('DELETE FROM api_leases WHERE org_id = ? AND id = ?').run(orgId, leaseId);
  }

  async countLeases(orgId: string, now: number): Promise<number> {
    const r = this.q('SELECT COUNT(*) AS n FROM api_leases WHERE org_id = ? AND expires_at > ?').get(orgId, now) as { n: bigint };
    return Number(r.n);
  }

  async exportOrg(orgId: string): Promise<OrgDump | undefined> {
    // A read transaction, so the dump is one consistent point in time.
    return this.db.transaction(() => dump.exportOrg(this.db, orgId))();
  }

  async importOrg(d: OrgDump): Promise<void> {
    this.authGen++;
    this.tx(() => dump.importOrg(this.db, d));
  }
}
