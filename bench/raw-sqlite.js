// The reference for 100-id delinks: better-sqlite3 alone, no HTTP, on the same table the server used,
// in WAL mode with synchronous=NORMAL and the store's own statements. It runs the same
// loop as the HTTP run: a 100-row delete transaction for one parent, then a 100-row insert
// transaction putting the rows back, parents in the same scattered order.
// usage: node bench/raw-sqlite.js <db file> <parents> <seconds> [delete|mark]   → one JSON line on stdout
// `delete` (default) deletes the rows and inserts them back; `mark` uses the store's own statements
// (schema migration 6): a delink marks its row gone, a link brings it back.
import Database from 'better-sqlite3';
import { campaignId, CHILDREN, childIndex, contactId, RELATION } from './lib/dataset.js';

const [file, parentsArg, secondsArg, statements = 'delete'] = process.argv.slice(2);
const parents = Number(parentsArg);
const db = new Database(file);
db.defaultSafeIntegers(true);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
// The reference is better-sqlite3 well tuned: a 2 MiB page cache, as the server keeps. The 64 MiB of
// ../shared/PERF-BASELINE.md (d) made this loop slower here at 1M relations: 32-35k against 72-83k
// rows/s with 1 KiB pages, 62k against 70-92k with 4 KiB pages (three runs each, interleaved).
db.pragma('cache_size = -2000');
const orgId = String(db.prepare('SELECT id FROM orgs LIMIT 1').pluck().get());
const mark = statements === 'mark';
const del = db.prepare(mark
  ? 'UPDATE relations SET gone = 1 WHERE org_id = ? AND relation = ? AND left_id = ? AND right_id = ? AND gone = 0'
  : 'DELETE FROM relations WHERE org_id = ? AND relation = ? AND left_id = ? AND right_id = ?');
const ins = db.prepare(`INSERT INTO relations (org_id, relation, left_id, right_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (org_id, relation, left_id, right_id) DO UPDATE SET ${mark
    ? `data = CASE WHEN relations.gone = 0 THEN json_patch(relations.data, excluded.data) ELSE excluded.data END,
      created_at = CASE WHEN relations.gone = 0 THEN relations.created_at ELSE excluded.created_at END, gone = 0`
    : 'data = json_patch(relations.data, excluded.data)'}`);
const ids = (p) => Array.from({ length: CHILDREN }, (_, j) => BigInt(contactId(childIndex(p, j))));
const remove = db.transaction((left, rights) => {
  let n = 0;
  for (const r of rights) n += del.run(orgId, RELATION, left, r).changes;
  return n;
});
const restore = db.transaction((left, rights, now) => {
  for (const r of rights) ins.run(orgId, RELATION, left, r, '{}', now);
});
const step = parents > 7919 && parents % 7919 !== 0 ? 7919 : 1;
const loop = (i) => {
  const p = (i * step + 12345) % parents;
  const left = BigInt(campaignId(p));
  const rights = ids(p);
  const a = process.hrtime.bigint();
  const n = remove(left, rights);
  const b = process.hrtime.bigint();
  restore(left, rights, Date.now());
  return { n, deleteNs: b - a };
};
for (let i = 0; i < 200; i++) loop(i); // warm-up
const deadline = process.hrtime.bigint() + BigInt(Math.round(Number(secondsArg) * 1e9));
let rows = 0;
let txns = 0;
let deleteNs = 0n;
const t0 = process.hrtime.bigint();
for (let i = 200; process.hrtime.bigint() < deadline; i++) {
  const r = loop(i);
  rows += r.n;
  deleteNs += r.deleteNs;
  txns++;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
db.close();
process.stdout.write(JSON.stringify({
  statements, seconds, delete_txns: txns, rows_deleted: rows, rows_per_s: rows / seconds,
  rows_per_s_delete_only: rows / (Number(deleteNs) / 1e9), expected_rows: txns * CHILDREN,
}) + '\n');
