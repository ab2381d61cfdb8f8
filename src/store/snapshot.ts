/**
 * Snapshots: whole orgs as one versioned JSON document, exported from any store and imported
 * into any store. Files are written atomically (temp file, fsync, rename), so a crash leaves
 * either the old file or the new one. A newer format version is refused, never half-read.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RELATIONS } from '../zoho/relations.js';
import type { OrgDump, Store } from './store.js';

export const SNAPSHOT_FORMAT = 'zcrm-local-snapshot';
export const SNAPSHOT_VERSION = 1;

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  exported_at: string;
  orgs: OrgDump[];
}

export class SnapshotError extends Error {}

/** Every org (or the given ones) of a store, as one snapshot; undefined ids are skipped by the caller. */
export async function buildSnapshot(store: Store, orgIds: string[], now: number): Promise<Snapshot> {
  const orgs: OrgDump[] = [];
  for (const id of orgIds) {
    const dump = await store.exportOrg(id);
    if (dump) orgs.push(dump);
  }
  return { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, exported_at: new Date(now).toISOString(), orgs };
}

/**
 * Imports each org of a snapshot, replacing an org of the same id. An org whose id prefix is
 * taken by another org is refused before anything changes.
 */
export async function restoreSnapshot(store: Store, snapshot: Snapshot): Promise<string[]> {
  const existing = await store.listOrgs();
  for (const d of snapshot.orgs) {
    const clash = existing.find((o) => o.prefix === d.org.prefix && o.id !== d.org.id);
    if (clash) throw new SnapshotError(`org ${d.org.id} uses id prefix ${d.org.prefix}, which org ${clash.id} already has`);
  }
  for (const d of snapshot.orgs) {
    try {
      await store.importOrg(d);
    } catch (e) {
      // Each org is one transaction: this one is left as it was.
      throw new SnapshotError(`org ${d.org.id} could not be imported (${(e as Error).message})`);
    }
  }
  return snapshot.orgs.map((d) => d.org.id);
}

/** Writes a file so that readers see the old content or the new, never a part. */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  try {
    // Make the rename itself durable.
    const dir = openSync(dirname(path), 'r');
    fsyncSync(dir);
    closeSync(dir);
  } catch {
    // Not every platform lets a directory be fsynced; the rename is still atomic.
  }
}

export function readSnapshotFile(path: string): Snapshot {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SnapshotError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return parseSnapshot(JSON.parse(text));
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    throw new SnapshotError(`${path} is not JSON: ${(e as Error).message}`);
  }
}

const ID = /^[0-9]{1,19}$/;
const fail = (where: string, what: string): never => { throw new SnapshotError(`${where}: ${what}`); };
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const RELATION_NAMES = new Set(RELATIONS.map((r) => r.name));

type Check = (v: unknown) => boolean;
const id: Check = (v) => typeof v === 'string' && ID.test(v);
const idOrNull: Check = (v) => v === null || id(v);
const text: Check = (v) => typeof v === 'string';
const textOrNull: Check = (v) => v === null || text(v);
const time: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v);
const timeOrNull: Check = (v) => v === null || time(v);
const obj: Check = isObj;
const list: Check = (v) => Array.isArray(v);
const bool: Check = (v) => typeof v === 'boolean';

const SHAPES: Record<string, Record<string, Check>> = {
  profiles: { id, name: text, permissions: obj },
  users: { id, email: text, name: text, profileId: id, passwordHash: textOrNull, createdAt: time },
  clients: { clientId: text, secretHash: text, type: text, name: text, redirectUris: list, origins: list, createdAt: time },
  tokens: { hash: text, kind: (v) => v === 'access' || v === 'refresh', clientId: text, userId: id, scopes: list, parentHash: textOrNull, expiresAt: timeOrNull, revoked: bool, createdAt: time },
  records: { id, module: text, ownerId: id, createdBy: id, modifiedBy: id, createdAt: time, modifiedAt: time, parentId: idOrNull, data: obj },
  relations: { relation: (v) => typeof v === 'string' && RELATION_NAMES.has(v), leftId: id, rightId: id, data: obj, createdAt: time },
};

function checkOrg(d: unknown, i: number): OrgDump {
  const where = `orgs[${i}]`;
  if (!isObj(d) || !isObj(d.org)) return fail(where, 'expected {org, nextSeq, profiles, users, clients, tokens, records, relations}');
  const o = d.org;
  if (typeof o.id !== 'string' || !/^[0-9A-Za-z_-]{1,40}$/.test(o.id)) fail(`${where}.org.id`, 'expected an org id');
  if (typeof o.prefix !== 'number' || !Number.isInteger(o.prefix) || o.prefix < 1 || o.prefix > 9_000_000) fail(`${where}.org.prefix`, 'expected an integer id prefix');
  if (!text(o.name) || !obj(o.settings) || !time(o.createdAt)) fail(`${where}.org`, 'expected name, settings and createdAt');
  if (typeof d.nextSeq !== 'string' || !/^[0-9]{1,12}$/.test(d.nextSeq)) fail(`${where}.nextSeq`, 'expected a decimal string');
  for (const [key, shape] of Object.entries(SHAPES)) {
    const items = d[key];
    if (!Array.isArray(items)) fail(`${where}.${key}`, 'expected a list');
    (items as unknown[]).forEach((item, j) => {
      if (!isObj(item)) fail(`${where}.${key}[${j}]`, 'expected an object');
      for (const [field, check] of Object.entries(shape)) {
        if (!check((item as Record<string, unknown>)[field])) fail(`${where}.${key}[${j}].${field}`, 'missing or of the wrong type');
      }
    });
  }
  // A relation names two records of this org, of the modules its relation joins: the server relies
  // on a record's relations going with it.
  const modules = new Map((d.records as { id: string; module: string }[]).map((r) => [r.id, r.module]));
  (d.relations as { relation: string; leftId: string; rightId: string }[]).forEach((rel, j) => {
    const def = RELATIONS.find((x) => x.name === rel.relation)!;
    if (modules.get(rel.leftId) !== def.left || modules.get(rel.rightId) !== def.right) {
      fail(`${where}.relations[${j}]`, `expected a ${def.left} record and a ${def.right} record of this org`);
    }
  });
  return d as unknown as OrgDump;
}

/** Checks a parsed snapshot document; a clear SnapshotError says what is wrong. */
export function parseSnapshot(value: unknown): Snapshot {
  if (!isObj(value) || value.format !== SNAPSHOT_FORMAT) throw new SnapshotError(`not a zcrm-local snapshot (expected "format": "${SNAPSHOT_FORMAT}")`);
  const version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new SnapshotError('the snapshot has no valid format version');
  if (version > SNAPSHOT_VERSION) {
    throw new SnapshotError(`snapshot format version ${version} is newer than this server supports (${SNAPSHOT_VERSION}); upgrade zcrm-local to import it`);
  }
  if (!Array.isArray(value.orgs)) throw new SnapshotError('orgs: expected a list');
  const orgs = value.orgs.map(checkOrg);
  const ids = new Set(orgs.map((d) => d.org.id));
  if (ids.size !== orgs.length) throw new SnapshotError('orgs: an org id appears twice');
  return { format: SNAPSHOT_FORMAT, version, exported_at: typeof value.exported_at === 'string' ? value.exported_at : '', orgs };
}
