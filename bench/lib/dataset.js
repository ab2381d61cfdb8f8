// Builds a benchmark database in the server's own schema: the store creates the schema, the org,
// its administrator and an access token; records and relations are then written directly with
// better-sqlite3 in key order, which is far faster than going through HTTP.
//
// Shape: Campaigns → Contacts (relation campaign_contacts). P = relations / 100 campaigns, each
// linked to 100 of C = 10,000 contacts; one more campaign ("the list parent") is linked to 200
// contacts, for the list-related run.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { createOrgWithAdmin, mintAccessToken } from '../../dist/auth/accounts.js';
import { SqliteStore } from '../../dist/store/sqlite/sqlite-store.js';
import { composeId } from '../../dist/zoho/ids.js';

export const CHILDREN = 100;
export const CONTACTS = 10_000;
export const LIST_PAGE = 200;
export const RELATION = 'campaign_contacts';
const PREFIX = 5550001;
const CONTACT_SEQ = 1_000_000_000n;
const CAMPAIGN_SEQ = 2_000_000_000n;

export const contactId = (c) => composeId(PREFIX, CONTACT_SEQ + BigInt(c));
export const campaignId = (p) => composeId(PREFIX, CAMPAIGN_SEQ + BigInt(p));
/** The contacts campaign p is linked to, in key order. */
export const childIndex = (p, j) => ((p * CHILDREN) % CONTACTS) + j;

/**
 * Creates `file` with `relations` relations (a multiple of 100). Returns what the load runs need.
 * `pageSize`: the database's page size (default: the store's own, 1 KiB).
 */
export async function buildDataset(file, relations, { pageSize } = {}) {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const parents = Math.max(1, Math.round(relations / CHILDREN));
  const now = Date.now();
  const store = new SqliteStore(file, { pageSize });
  const { org, admin } = await createOrgWithAdmin(store, now, { name: 'Bench', id: String(PREFIX), prefix: PREFIX });
  const scopes = ['ZohoCRM.modules.ALL', 'ZohoCRM.settings.ALL', 'ZohoCRM.users.ALL', 'ZohoCRM.org.ALL'];
  const token = await mintAccessToken(store, now, { clientId: 'bench', orgId: org.id, userId: admin.id, scopes }, null);
  await store.close();

  const db = new Database(file);
  db.defaultSafeIntegers(true);
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -131072');
  const owner = BigInt(admin.id);
  const rec = db.prepare(`INSERT INTO records (org_id, id, module, owner_id, created_by, modified_by, created_at, modified_at, parent_id, data)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`);
  const rel = db.prepare('INSERT INTO relations (org_id, relation, left_id, right_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const addRecord = (id, module, data) => rec.run(org.id, BigInt(id), module, owner, owner, owner, now, now, JSON.stringify(data));
  db.transaction(() => {
    for (let c = 0; c < CONTACTS; c++) addRecord(contactId(c), 'Contacts', { First_Name: 'Bench', Last_Name: `Contact ${c}`, Email: `c${c}@bench.example` });
    for (let p = 0; p <= parents; p++) addRecord(campaignId(p), 'Campaigns', { Campaign_Name: `Bench campaign ${p}`, Type: 'Webinar' });
    db.prepare('UPDATE orgs SET next_seq = ? WHERE id = ?').run(CAMPAIGN_SEQ * 2n, org.id);
  })();
  const chunk = db.transaction((p0, p1) => {
    for (let p = p0; p < p1; p++) {
      const left = BigInt(campaignId(p));
      for (let j = 0; j < CHILDREN; j++) rel.run(org.id, RELATION, left, BigInt(contactId(childIndex(p, j))), '{}', now);
    }
  });
  for (let p = 0; p < parents; p += 1000) chunk(p, Math.min(parents, p + 1000));
  db.transaction(() => {
    const left = BigInt(campaignId(parents));
    for (let c = 0; c < LIST_PAGE; c++) rel.run(org.id, RELATION, left, BigInt(contactId(c)), '{}', now);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const actualPageSize = Number(db.pragma('page_size', { simple: true }));
  db.close();
  return { file, relations: parents * CHILDREN, parents, listParent: campaignId(parents), orgId: org.id, token, pageSize: actualPageSize };
}
