/**
 * Records, notes and relations for the PostgreSQL store. Each function is one SQL statement, so
 * it is atomic by itself, and reports per-id outcomes from the rows that statement touched
 * (`RETURNING`), matched back to the caller's ids by position (`WITH ORDINALITY`). A repeated id
 * gets what a loop over the ids would give: the first occurrence does the work, later ones find
 * it done — the same answers as the SQLite store.
 */
import { composeId } from '../../zoho/ids.js';
import { relationsOfModule } from '../../zoho/relations.js';
import type { DelinkOutcome, LinkOutcome, RecordQuery, RelatedRow, RelationTarget, StoredRecord } from '../store.js';
import type { Query } from './postgres-store.js';
import { num, str, toRecord } from './rows.js';

/** Ids compared as the database prints them (no leading zeros). */
const canon = (id: string): string => BigInt(id).toString();

/** Indexes of each id's first occurrence. */
function firstOccurrences(ids: string[]): Set<number> {
  const seen = new Set<string>();
  const firsts = new Set<number>();
  ids.forEach((id, i) => {
    const c = canon(id);
    if (!seen.has(c)) firsts.add(i);
    seen.add(c);
  });
  return firsts;
}

export async function allocate(q: Query, orgId: string, count: number): Promise<string[]> {
  // The row lock on the org serialises allocations across instances; each caller gets its own range.
  const [r] = await q('UPDATE orgs SET next_seq = next_seq + $2::bigint WHERE id = $1 RETURNING prefix, next_seq', [orgId, count]);
  if (!r) throw new Error(`unknown org ${orgId}`);
  const end = BigInt(str(r.next_seq));
  const ids: string[] = [];
  for (let i = count; i > 0; i--) ids.push(composeId(num(r.prefix), end - BigInt(i)));
  return ids;
}

export async function insertRecords(q: Query, orgId: string, records: StoredRecord[]): Promise<void> {
  const col = (f: (r: StoredRecord) => string) => records.map(f);
  await q(`INSERT INTO records (org_id, id, module, owner_id, created_by, modified_by, created_at, modified_at, parent_id, data)
    SELECT $1, u.id, u.module, u.owner_id, u.created_by, u.modified_by, u.created_at, u.modified_at, NULLIF(u.parent_id, 0), u.data
    FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::text[])
      AS u(id, module, owner_id, created_by, modified_by, created_at, modified_at, parent_id, data)`, [
    orgId, col((r) => r.id), col((r) => r.module), col((r) => r.ownerId), col((r) => r.createdBy), col((r) => r.modifiedBy),
    col((r) => String(r.createdAt)), col((r) => String(r.modifiedAt)), col((r) => r.parentId ?? '0'), col((r) => JSON.stringify(r.data)),
  ]);
}

export async function getRecords(q: Query, orgId: string, module: string, ids: string[]): Promise<Map<string, StoredRecord>> {
  const out = new Map<string, StoredRecord>();
  if (ids.length === 0) return out;
  const rows = await q('SELECT * FROM records WHERE org_id = $1 AND module = $2 AND id = ANY($3::bigint[])', [orgId, module, ids]);
  const byId = new Map(rows.map((r) => [str(r.id), toRecord(r)]));
  for (const id of ids) {
    const found = byId.get(canon(id));
    if (found) out.set(id, found);
  }
  return out;
}

export async function listRecords(q: Query, orgId: string, module: string, query: RecordQuery): Promise<StoredRecord[]> {
  const column = query.sortBy === 'Created_Time' ? 'created_at' : query.sortBy === 'Modified_Time' ? 'modified_at' : 'id';
  const order = query.sortOrder === 'asc' ? 'ASC' : 'DESC';
  const rows = await q(`SELECT * FROM records WHERE org_id = $1 AND module = $2 ORDER BY ${column} ${order}, id ${order} LIMIT $3 OFFSET $4`,
    [orgId, module, query.limit, query.offset]);
  return rows.map(toRecord);
}

type Update = { id: string; data: Record<string, unknown>; ownerId: string; modifiedBy: string; modifiedAt: number };

export async function updateRecords(q: Query, orgId: string, module: string, updates: Update[]): Promise<boolean[]> {
  // A repeated id: the last update wins, as it would applied one after another.
  const last = new Map<string, Update>();
  for (const u of updates) last.set(canon(u.id), u);
  const list = [...last.values()];
  const rows = await q(`UPDATE records r SET data = u.data, owner_id = u.owner_id, modified_by = u.modified_by, modified_at = u.modified_at
    FROM unnest($3::bigint[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[]) AS u(id, data, owner_id, modified_by, modified_at)
    WHERE r.org_id = $1 AND r.module = $2 AND r.id = u.id RETURNING r.id`, [
    orgId, module, list.map((u) => u.id), list.map((u) => JSON.stringify(u.data)), list.map((u) => u.ownerId),
    list.map((u) => u.modifiedBy), list.map((u) => String(u.modifiedAt)),
  ]);
  const changed = new Set(rows.map((r) => str(r.id)));
  return updates.map((u) => changed.has(canon(u.id)));
}

export async function deleteRecords(q: Query, orgId: string, module: string, ids: string[]): Promise<boolean[]> {
  const relations = relationsOfModule(module);
  const lefts = relations.filter((r) => r.left === module).map((r) => r.name);
  const rights = relations.filter((r) => r.right === module).map((r) => r.name);
  // One statement: the records, the notes under them and their relations from either side.
  const rows = await q(`WITH input AS (SELECT DISTINCT id FROM unnest($3::bigint[]) AS t(id)),
    gone AS (DELETE FROM records r USING input WHERE r.org_id = $1 AND r.module = $2 AND r.id = input.id RETURNING r.id),
    notes AS (DELETE FROM records n USING gone WHERE n.org_id = $1 AND n.parent_id = gone.id),
    lefts AS (DELETE FROM relations x USING gone WHERE x.org_id = $1 AND x.relation = ANY($4::text[]) AND x.left_id = gone.id),
    rights AS (DELETE FROM relations x USING gone WHERE x.org_id = $1 AND x.relation = ANY($5::text[]) AND x.right_id = gone.id)
    SELECT id FROM gone`, [orgId, module, ids, lefts, rights]);
  const gone = new Set(rows.map((r) => str(r.id)));
  const firsts = firstOccurrences(ids);
  return ids.map((id, i) => firsts.has(i) && gone.has(canon(id)));
}

export async function listNotes(q: Query, orgId: string, parentId: string, offset: number, limit: number): Promise<StoredRecord[]> {
  const rows = await q(`SELECT * FROM records WHERE org_id = $1 AND parent_id = $2::bigint AND module = 'Notes'
    ORDER BY id DESC LIMIT $3 OFFSET $4`, [orgId, parentId, limit, offset]);
  return rows.map(toRecord);
}

export async function deleteNotesOf(q: Query, orgId: string, parentId: string, noteIds: string[]): Promise<('deleted' | 'invalid_id')[]> {
  const rows = await q(`DELETE FROM records WHERE org_id = $1 AND parent_id = $2::bigint AND module = 'Notes' AND id = ANY($3::bigint[])
    RETURNING id`, [orgId, parentId, noteIds]);
  const gone = new Set(rows.map((r) => str(r.id)));
  const firsts = firstOccurrences(noteIds);
  return noteIds.map((id, i) => (firsts.has(i) && gone.has(canon(id)) ? 'deleted' : 'invalid_id'));
}

export async function listByLookup(q: Query, orgId: string, module: string, field: string, parentId: string, offset: number, limit: number): Promise<StoredRecord[]> {
  if (!/^[A-Za-z_]+$/.test(field)) throw new Error(`bad field ${field}`);
  const rows = await q(`SELECT * FROM records WHERE org_id = $1 AND module = $2 AND (data::json -> $3::text ->> 'id') = $4::text
    ORDER BY id DESC LIMIT $5 OFFSET $6`, [orgId, module, field, parentId, limit, offset]);
  return rows.map(toRecord);
}

function columns(target: RelationTarget): { parentCol: string; relatedCol: string } {
  return target.side === 'left' ? { parentCol: 'left_id', relatedCol: 'right_id' } : { parentCol: 'right_id', relatedCol: 'left_id' };
}

export async function delink(q: Query, orgId: string, target: RelationTarget, ids: string[]): Promise<DelinkOutcome[]> {
  const { parentCol, relatedCol } = columns(target);
  // The DELETE reports which pairs it removed. Two instances delinking the same pair at once:
  // the second DELETE waits on the first's row lock, then finds the row gone — one 'removed'.
  const rows = await q(`WITH input AS (SELECT t.id, t.ord FROM unnest($4::bigint[]) WITH ORDINALITY AS t(id, ord)),
    firsts AS (SELECT id, min(ord) AS ord FROM input GROUP BY id),
    gone AS (DELETE FROM relations x USING firsts
      WHERE x.org_id = $1 AND x.relation = $2 AND x.${parentCol} = $3::bigint AND x.${relatedCol} = firsts.id
      RETURNING x.${relatedCol} AS id)
    SELECT (gone.id IS NOT NULL AND firsts.ord = input.ord) AS removed,
      EXISTS (SELECT 1 FROM records r WHERE r.org_id = $1 AND r.id = input.id AND r.module = $5) AS known
    FROM input JOIN firsts USING (id) LEFT JOIN gone USING (id) ORDER BY input.ord`,
  [orgId, target.relation, target.parentId, ids, target.relatedModule]);
  return rows.map((r): DelinkOutcome => (r.removed === true ? 'removed' : r.known === true ? 'not_linked' : 'invalid_id'));
}

export async function link(q: Query, orgId: string, target: RelationTarget, items: { id: string; data: Record<string, unknown> }[], now: number): Promise<LinkOutcome[]> {
  const { parentCol, relatedCol } = columns(target);
  // A repeated id: its data items merge in order, as successive upserts would.
  const merged = new Map<string, Record<string, unknown>>();
  for (const item of items) merged.set(canon(item.id), { ...merged.get(canon(item.id)), ...item.data });
  // FOR SHARE keeps a related record from being deleted between the check and the insert.
  const rows = await q(`WITH input AS (SELECT * FROM unnest($4::bigint[], $5::text[]) AS u(id, data)),
    known AS (SELECT r.id FROM records r JOIN input ON r.id = input.id WHERE r.org_id = $1 AND r.module = $6 FOR SHARE OF r),
    up AS (INSERT INTO relations AS x (org_id, relation, ${parentCol}, ${relatedCol}, data, created_at)
      SELECT $1, $2, $3::bigint, input.id, input.data, $7::bigint FROM input JOIN known USING (id)
      ON CONFLICT (org_id, relation, left_id, right_id) DO UPDATE SET data = CASE
        WHEN excluded.data = '{}' THEN x.data WHEN x.data = '{}' THEN excluded.data
        ELSE (x.data::jsonb || excluded.data::jsonb)::text END
      RETURNING x.${relatedCol} AS id)
    SELECT id FROM up`,
  [orgId, target.relation, target.parentId, [...merged.keys()], [...merged.values()].map((d) => JSON.stringify(d)), target.relatedModule, now]);
  const linked = new Set(rows.map((r) => str(r.id)));
  return items.map((item): LinkOutcome => (linked.has(canon(item.id)) ? 'linked' : 'invalid_id'));
}

export async function listRelated(q: Query, orgId: string, target: RelationTarget, offset: number, limit: number, onlyId?: string): Promise<RelatedRow[]> {
  const { parentCol, relatedCol } = columns(target);
  const params: unknown[] = [orgId, target.relation, target.parentId, limit, offset];
  const filter = onlyId === undefined ? '' : ` AND x.${relatedCol} = $6::bigint`;
  if (onlyId !== undefined) params.push(onlyId);
  const rows = await q(`SELECT r.*, x.data AS relation_data FROM relations x
    JOIN records r ON r.org_id = x.org_id AND r.id = x.${relatedCol}
    WHERE x.org_id = $1 AND x.relation = $2 AND x.${parentCol} = $3::bigint${filter}
    ORDER BY x.${relatedCol} DESC LIMIT $4 OFFSET $5`, params);
  return rows.map((r) => ({ record: toRecord(r), relationData: JSON.parse(str(r.relation_data)) }));
}
