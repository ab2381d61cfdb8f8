import { ORG_TABLES } from '../store.js';

/**
 * The tables holding an org's data on SQLite: the shared list plus the relations by related record
 * and their purge queue (after `relations`, whose delete trigger fills the queue).
 */
export const SQLITE_ORG_TABLES = [...ORG_TABLES, 'relations_rev', 'relations_purge'] as const;

/** Queues the reverse entry of every removed relation for the purge (migration 5). */
const DELINK_TRIGGER_5 = `CREATE TRIGGER IF NOT EXISTS relations_delinked AFTER DELETE ON relations BEGIN
    INSERT INTO relations_purge (org_id, relation, left_id, right_id) VALUES (OLD.org_id, OLD.relation, OLD.left_id, OLD.right_id);
  END`;

/**
 * Queues a live relation deleted outright (with its record) for the purge (migration 6). A delink
 * marks its relation gone instead (see migration 6), and the purge deletes gone rows itself.
 */
export const DELINK_TRIGGER = `CREATE TRIGGER IF NOT EXISTS relations_delinked AFTER DELETE ON relations WHEN OLD.gone = 0 BEGIN
    INSERT INTO relations_purge (org_id, relation, left_id, right_id) VALUES (OLD.org_id, OLD.relation, OLD.left_id, OLD.right_id);
  END`;

/**
 * Runs `work` (inside a transaction) with the delink trigger off: for deleting whole orgs, whose
 * reverse entries and queue go at once, so nothing needs queueing (and DELETE without WHERE can
 * empty the table at once).
 */
export function withoutDelinkTrigger<T>(db: { exec(sql: string): unknown }, work: () => T): T {
  db.exec('DROP TRIGGER IF EXISTS relations_delinked');
  try {
    return work();
  } finally {
    db.exec(DELINK_TRIGGER);
  }
}

/** Versioned schema migrations for SQLite, applied in order on open. */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    prefix INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    next_seq INTEGER NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL
  );
  CREATE TABLE profiles (
    org_id TEXT NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL, permissions TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
  );
  CREATE TABLE users (
    org_id TEXT NOT NULL, id INTEGER NOT NULL, email TEXT NOT NULL, name TEXT NOT NULL,
    profile_id INTEGER NOT NULL, password_hash TEXT, created_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, id), UNIQUE (org_id, email)
  );
  CREATE INDEX users_email ON users (email);
  CREATE TABLE clients (
    client_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, secret_hash TEXT NOT NULL, type TEXT NOT NULL,
    name TEXT NOT NULL, redirect_uris TEXT NOT NULL, origins TEXT NOT NULL, created_at INTEGER NOT NULL
  );
  CREATE TABLE grants (
    code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, org_id TEXT NOT NULL, user_id INTEGER NOT NULL,
    scopes TEXT NOT NULL, redirect_uri TEXT, access_type TEXT NOT NULL, expires_at INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE tokens (
    hash TEXT PRIMARY KEY, kind TEXT NOT NULL, client_id TEXT NOT NULL, org_id TEXT NOT NULL,
    user_id INTEGER NOT NULL, scopes TEXT NOT NULL, parent_hash TEXT, expires_at INTEGER,
    revoked INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL
  );
  CREATE INDEX tokens_parent ON tokens (parent_hash) WHERE parent_hash IS NOT NULL;
  CREATE TABLE records (
    org_id TEXT NOT NULL, id INTEGER NOT NULL, module TEXT NOT NULL,
    owner_id INTEGER NOT NULL, created_by INTEGER NOT NULL, modified_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL, modified_at INTEGER NOT NULL, parent_id INTEGER, data TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX records_module ON records (org_id, module, id);
  CREATE INDEX records_parent ON records (org_id, parent_id) WHERE parent_id IS NOT NULL;
  CREATE TABLE relations (
    org_id TEXT NOT NULL, relation TEXT NOT NULL, left_id INTEGER NOT NULL, right_id INTEGER NOT NULL,
    data TEXT NOT NULL DEFAULT '{}', created_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, relation, left_id, right_id)
  ) WITHOUT ROWID;
  CREATE INDEX relations_right ON relations (org_id, relation, right_id, left_id);
  `,
  // 2: API credit usage per org and minute (edition limits), shared by every instance on the database.
  `
  CREATE TABLE api_credits (
    org_id TEXT NOT NULL, minute INTEGER NOT NULL, used INTEGER NOT NULL,
    PRIMARY KEY (org_id, minute)
  ) WITHOUT ROWID;
  `,
  // 3: accounts pages (sessions, consents) and the token limits' lookups.
  `
  CREATE TABLE sessions (
    hash TEXT PRIMARY KEY, org_id TEXT NOT NULL, user_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL
  );
  CREATE TABLE consents (
    client_id TEXT NOT NULL, org_id TEXT NOT NULL, user_id INTEGER NOT NULL, scopes TEXT NOT NULL,
    created_at INTEGER NOT NULL, PRIMARY KEY (client_id, org_id, user_id)
  );
  CREATE INDEX tokens_owner ON tokens (client_id, org_id, user_id, kind, created_at);
  `,
  // 4: calls in flight per org (edition concurrency caps), shared by every instance on the database.
  `
  CREATE TABLE api_leases (
    org_id TEXT NOT NULL, id TEXT NOT NULL, expires_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, id)
  );
  `,
  // 5: relations by related record, maintained lazily (as InnoDB purges secondary indexes): a delink
  // removes the relation row only and queues its reverse entry; a purge later drops queued reverse
  // entries whose relation is still gone. Reverse entries are candidates, checked against relations
  // on every read, so a delink writes to the pages of one B-tree instead of two scattered ones.
  `
  CREATE TABLE relations_rev (
    org_id TEXT NOT NULL, relation TEXT NOT NULL, right_id INTEGER NOT NULL, left_id INTEGER NOT NULL,
    PRIMARY KEY (org_id, relation, right_id, left_id)
  ) WITHOUT ROWID;
  INSERT INTO relations_rev (org_id, relation, right_id, left_id)
    SELECT org_id, relation, right_id, left_id FROM relations ORDER BY org_id, relation, right_id, left_id;
  DROP INDEX relations_right;
  CREATE TABLE relations_purge (
    seq INTEGER PRIMARY KEY, org_id TEXT NOT NULL, relation TEXT NOT NULL, left_id INTEGER NOT NULL, right_id INTEGER NOT NULL
  );
  CREATE TRIGGER relations_linked AFTER INSERT ON relations BEGIN
    INSERT OR IGNORE INTO relations_rev (org_id, relation, right_id, left_id) VALUES (NEW.org_id, NEW.relation, NEW.right_id, NEW.left_id);
  END;
  ${DELINK_TRIGGER_5};
  `,
  // 6: a delink marks its relation gone (and queues it) instead of deleting the row; a link of a gone
  // relation brings the row back as a new link. The row stays where it was, so a delink changes one
  // leaf in place, and a link back after a delink is an update: it neither inserts the relation nor
  // looks up its reverse entry, which the purge has not dropped while the row was gone. The purge
  // deletes rows still gone, with their reverse entries. Every read of relations skips gone rows.
  `
  ALTER TABLE relations ADD COLUMN gone INTEGER NOT NULL DEFAULT 0;
  DROP TRIGGER relations_delinked;
  ${DELINK_TRIGGER};
  CREATE TRIGGER relations_gone AFTER UPDATE OF gone ON relations WHEN NEW.gone = 1 AND OLD.gone = 0 BEGIN
    INSERT INTO relations_purge (org_id, relation, left_id, right_id) VALUES (NEW.org_id, NEW.relation, NEW.left_id, NEW.right_id);
  END;
  `,
];
