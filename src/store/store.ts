/**
 * The storage contract. Every backend (SQLite, PostgreSQL) implements it; handlers never
 * write SQL and stores never build HTTP answers. Ids are strings here, always.
 * Each method is one transaction.
 */
/**
 * Every table that holds an org's data (all of them but the schema's own bookkeeping), children
 * before `orgs`: what an org import replaces and what a reset empties, on every backend.
 */
export const ORG_TABLES = ['sessions', 'consents', 'relations', 'records', 'tokens', 'grants', 'clients', 'users', 'profiles', 'api_credits', 'api_leases', 'orgs'] as const;

export interface OrgSettings {
  /** Modules whose data sharing is private (SPEC §3). */
  privateModules?: string[];
  edition?: string | null;
  [key: string]: unknown;
}

export interface Org {
  id: string;
  prefix: number;
  name: string;
  settings: OrgSettings;
  createdAt: number;
}

export interface ModulePermission {
  view: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
}

export interface ProfilePermissions {
  admin: boolean;
  /** Per module API name; a module that is absent is fully allowed unless `restricted` is set. */
  modules: Record<string, ModulePermission>;
  restricted?: boolean;
}

export interface Profile {
  id: string;
  orgId: string;
  name: string;
  permissions: ProfilePermissions;
}

export interface User {
  id: string;
  orgId: string;
  email: string;
  name: string;
  profileId: string;
  passwordHash: string | null;
  createdAt: number;
}

export type ClientType = 'self' | 'server' | 'browser';

export interface OAuthClient {
  clientId: string;
  orgId: string;
  secretHash: string;
  type: ClientType;
  name: string;
  redirectUris: string[];
  origins: string[];
  createdAt: number;
}

export interface Grant {
  codeHash: string;
  clientId: string;
  orgId: string;
  userId: string;
  scopes: string[];
  redirectUri: string | null;
  accessType: 'online' | 'offline';
  expiresAt: number;
}

export interface TokenRow {
  hash: string;
  kind: 'access' | 'refresh';
  clientId: string;
  orgId: string;
  userId: string;
  scopes: string[];
  /** For access tokens minted from a refresh token: that refresh token's hash. */
  parentHash: string | null;
  expiresAt: number | null;
  revoked: boolean;
  createdAt: number;
}

/** A signed-in user on the accounts pages; only the hash of the cookie value is stored. */
export interface Session {
  hash: string;
  orgId: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

/** What a user approved for a client on the consent page. */
export interface Consent {
  clientId: string;
  orgId: string;
  userId: string;
  scopes: string[];
  createdAt: number;
}

/** Which tokens to list, oldest first. */
export interface TokenFilter {
  kind: TokenRow['kind'];
  parentHash?: string;
  clientId?: string;
  orgId?: string;
  userId?: string;
  createdSince?: number;
  /** Only tokens neither revoked nor expired at this time. */
  liveAt?: number;
}

export interface StoredRecord {
  id: string;
  module: string;
  ownerId: string;
  createdBy: string;
  modifiedBy: string;
  createdAt: number;
  modifiedAt: number;
  /** For Notes: the record the note is attached to. */
  parentId: string | null;
  data: Record<string, unknown>;
}

export interface RecordQuery {
  offset: number;
  limit: number;
  sortBy?: 'id' | 'Created_Time' | 'Modified_Time';
  sortOrder?: 'asc' | 'desc';
  ids?: string[];
}

export interface RelationTarget {
  relation: string;
  /** Which side of the relation the parent stands on. */
  side: 'left' | 'right';
  parentId: string;
  /** The module every related id must belong to. */
  relatedModule: string;
}

export type DelinkOutcome = 'removed' | 'not_linked' | 'invalid_id';
export type LinkOutcome = 'linked' | 'invalid_id';

export interface RelatedRow {
  record: StoredRecord;
  relationData: Record<string, unknown>;
}

/** One stored relation row, as snapshots carry it. */
export interface RelationRow {
  relation: string;
  leftId: string;
  rightId: string;
  data: Record<string, unknown>;
  createdAt: number;
}

/** Everything stored for one org (grant codes and API-credit usage excepted), for snapshots. */
export interface OrgDump {
  org: Org;
  /** The org's next id sequence value, a decimal string (see `allocateIds`). */
  nextSeq: string;
  profiles: Profile[];
  users: User[];
  clients: OAuthClient[];
  /** Tokens are carried as their hashes only, like everything else the store keeps. */
  tokens: TokenRow[];
  records: StoredRecord[];
  relations: RelationRow[];
}

/** One charge against an org's rolling API-credit window, counted in per-minute buckets. */
export interface CreditCharge {
  /** The current minute: `Math.floor(epochMs / 60000)`. */
  minute: number;
  /** Credits this call costs; 0 only reads the usage. */
  cost: number;
  /** The oldest minute still inside the window; older buckets no longer count (and may be deleted). */
  sinceMinute: number;
  /** Credits allowed inside the window. */
  limit: number;
}

/** What authenticating a request needs; org, user or profile is undefined when it no longer exists. */
export interface Caller {
  token: TokenRow;
  org?: Org;
  user?: User;
  profile?: Profile;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
  /** True when no org exists yet (first start). */
  isEmpty(): Promise<boolean>;
  /** Removes every org and everything in it. */
  reset(): Promise<void>;
  /** The simulated clock's offset from real time in ms, shared by every server on this database. */
  getClockOffset(): Promise<number>;
  /** Moves the shared clock forward by `ms`; returns the new offset. */
  advanceClock(ms: number): Promise<number>;
  /**
   * Optional: a number that changes whenever orgs, users, profiles, clients or tokens change in this
   * process, so authenticated principals can be cached safely (see server/principal-cache.ts).
   */
  authVersion?(): number;

  createOrg(input: { id?: string; prefix?: number; name: string; now: number }): Promise<Org>;
  getOrg(id: string): Promise<Org | undefined>;
  listOrgs(): Promise<Org[]>;
  updateOrgSettings(id: string, settings: OrgSettings): Promise<void>;
  /** Reserves `count` new record ids for an org, Zoho-style (org prefix + sequence). */
  allocateIds(orgId: string, count: number): Promise<string[]>;

  createProfile(orgId: string, input: { name: string; permissions: ProfilePermissions }): Promise<Profile>;
  getProfile(orgId: string, id: string): Promise<Profile | undefined>;
  listProfiles(orgId: string): Promise<Profile[]>;
  createUser(orgId: string, input: { email: string; name: string; profileId: string; passwordHash: string | null; now: number }): Promise<User>;
  getUser(orgId: string, id: string): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<User[]>;
  listUsers(orgId: string): Promise<User[]>;

  createClient(client: OAuthClient): Promise<void>;
  getClient(clientId: string): Promise<OAuthClient | undefined>;
  saveGrant(grant: Grant): Promise<void>;
  /** Marks a grant code used and returns it, once; undefined if unknown, used or expired. */
  consumeGrant(codeHash: string, now: number): Promise<Grant | undefined>;
  saveToken(token: TokenRow): Promise<void>;
  getToken(hash: string): Promise<TokenRow | undefined>;
  /** A token with its org, user and user's profile, read together (one round trip where the backend allows). */
  getCaller(hash: string): Promise<Caller | undefined>;
  /** Revokes a token and, for a refresh token, every access token minted from it. */
  revokeToken(hash: string): Promise<boolean>;
  listTokens(filter: TokenFilter): Promise<TokenRow[]>;
  listClients(orgId: string): Promise<OAuthClient[]>;
  /** True when some client (of any org) registered this origin. */
  isOriginRegistered(origin: string): Promise<boolean>;
  createSession(session: Session): Promise<void>;
  /** A session that has not expired at `now`. */
  getSession(hash: string, now: number): Promise<Session | undefined>;
  deleteSession(hash: string): Promise<void>;
  saveConsent(consent: Consent): Promise<void>;
  getConsent(clientId: string, orgId: string, userId: string): Promise<Consent | undefined>;

  insertRecords(orgId: string, records: StoredRecord[]): Promise<void>;
  getRecords(orgId: string, module: string, ids: string[]): Promise<Map<string, StoredRecord>>;
  /** The owner of a record, for access checks, without reading its data; undefined where there is no such record. */
  getRecordOwner(orgId: string, module: string, id: string): Promise<string | undefined>;
  listRecords(orgId: string, module: string, query: RecordQuery): Promise<StoredRecord[]>;
  /** Replaces the stored data of existing records; false where the record does not exist. */
  updateRecords(orgId: string, module: string, updates: { id: string; data: Record<string, unknown>; ownerId: string; modifiedBy: string; modifiedAt: number }[]): Promise<boolean[]>;
  /** Deletes records with their relations and notes; false where the record did not exist. */
  deleteRecords(orgId: string, module: string, ids: string[]): Promise<boolean[]>;
  listNotes(orgId: string, parentId: string, offset: number, limit: number): Promise<StoredRecord[]>;
  /** Deletes notes of one parent; 'invalid_id' where the id is no note of that parent. */
  deleteNotesOf(orgId: string, parentId: string, noteIds: string[]): Promise<('deleted' | 'invalid_id')[]>;
  listByLookup(orgId: string, module: string, field: string, parentId: string, offset: number, limit: number): Promise<StoredRecord[]>;

  /** Per related id, in order: removed, not linked, or not a record of the related module. */
  delinkRelated(orgId: string, target: RelationTarget, ids: string[]): Promise<DelinkOutcome[]>;
  /** Links (or updates the data of) each pair; 'invalid_id' where the id is no record of the related module. */
  linkRelated(orgId: string, target: RelationTarget, items: { id: string; data: Record<string, unknown> }[], now: number): Promise<LinkOutcome[]>;
  listRelated(orgId: string, target: RelationTarget, offset: number, limit: number, onlyId?: string): Promise<RelatedRow[]>;

  /**
   * Charges API credits, atomically (one transaction, so instances sharing a database share the count):
   * `used` = sum of the org's buckets with minute >= `sinceMinute`. When `used + cost <= limit`, adds
   * `cost` to the bucket of `minute` and answers `{ ok: true, used: used + cost }`; otherwise changes
   * nothing and answers `{ ok: false, used }`. May delete the org's buckets older than `sinceMinute`.
   */
  chargeCredits(orgId: string, charge: CreditCharge): Promise<{ ok: boolean; used: number }>;
  /**
   * Takes one of an org's `limit` concurrency slots, atomically across instances sharing the
   * database: drops the org's leases that expired by `now`, then adds lease `leaseId` (expiring at
   * `expiresAt`) only when fewer than `limit` remain. True when the lease was taken.
   */
  acquireLease(orgId: string, leaseId: string, limit: number, now: number, expiresAt: number): Promise<boolean>;
  /** Gives a concurrency slot back. */
  releaseLease(orgId: string, leaseId: string): Promise<void>;
  /** Calls of an org in flight on every server sharing the database: its leases that have not expired at `now`. */
  countLeases(orgId: string, now: number): Promise<number>;
  /** Everything stored for one org, for snapshots; undefined when the org does not exist. */
  exportOrg(orgId: string): Promise<OrgDump | undefined>;
  /**
   * Replaces the org `dump.org.id` (whatever it held before: profiles, users, clients, grants,
   * tokens, records, relations, credit usage) with the dump's content, in one transaction.
   */
  importOrg(dump: OrgDump): Promise<void>;
}
