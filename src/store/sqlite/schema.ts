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
];
