/**
 * Snapshot admin routes:
 *   GET  /_zcrm/snapshots?org=           the snapshot document (every org, or one)
 *   POST /_zcrm/snapshots/export          {org?, path}: written on the server's disk, atomically
 *   POST /_zcrm/snapshots/import          a snapshot document, or {path}: replaces those orgs
 * Reset to a snapshot is `POST /_zcrm/reset {snapshot}` or `{path}` (see resetTo).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { buildSnapshot, parseSnapshot, readSnapshotFile, restoreSnapshot, SnapshotError, writeFileAtomic, type Snapshot } from '../store/snapshot.js';
import type { AppContext } from './context.js';
import { adminBody, adminError } from './reliability-routes.js';

/** Snapshots can be far larger than API bodies. */
const SNAPSHOT_BODY_LIMIT = 512 * 1024 * 1024;

const snapshotError = (e: unknown): never => {
  if (e instanceof SnapshotError) throw adminError(400, 'INVALID_DATA', e.message);
  throw e;
};

/** The snapshot an admin body gives: inline (`{"format": …}` or `{"snapshot": {…}}`) or `{"path": …}` on the server. */
export function snapshotFromBody(b: Record<string, unknown>): Snapshot | undefined {
  try {
    if (b.format !== undefined) return parseSnapshot(b);
    if (b.snapshot !== undefined) return parseSnapshot(b.snapshot);
    if (typeof b.path === 'string' && b.path !== '') return readSnapshotFile(b.path);
    return undefined;
  } catch (e) {
    return snapshotError(e);
  }
}

/** Imports a snapshot (after a reset, when wanted), answering a clear 400 for a bad one. */
export async function importSnapshot(ctx: AppContext, snapshot: Snapshot): Promise<string[]> {
  try {
    return await restoreSnapshot(ctx.store, snapshot);
  } catch (e) {
    return snapshotError(e);
  }
}

async function orgIds(ctx: AppContext, org: unknown): Promise<string[]> {
  if (org === undefined || org === null || org === '') return (await ctx.store.listOrgs()).map((o) => o.id);
  if (typeof org !== 'string' || !(await ctx.store.getOrg(org))) throw adminError(404, 'INVALID_DATA', 'no such org', { org_id: String(org) });
  return [org];
}

export function registerSnapshotRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/_zcrm/snapshots', async (request) => {
    const { org } = request.query as { org?: string };
    return buildSnapshot(ctx.store, await orgIds(ctx, org), ctx.clock.now());
  });

  app.post('/_zcrm/snapshots/export', async (request) => {
    const b = adminBody(request);
    if (typeof b.path !== 'string' || b.path === '') throw adminError(400, 'MANDATORY_NOT_FOUND', 'path is required', { param_name: 'path' });
    const snapshot = await buildSnapshot(ctx.store, await orgIds(ctx, b.org), ctx.clock.now());
    try {
      writeFileAtomic(b.path, JSON.stringify(snapshot));
    } catch (e) {
      throw adminError(400, 'INVALID_DATA', `cannot write ${b.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return { path: b.path, version: snapshot.version, orgs: snapshot.orgs.map((d) => d.org.id) };
  });

  app.post('/_zcrm/snapshots/import', { bodyLimit: SNAPSHOT_BODY_LIMIT }, async (request: FastifyRequest) => {
    const snapshot = snapshotFromBody(adminBody(request));
    if (!snapshot) throw adminError(400, 'MANDATORY_NOT_FOUND', 'a snapshot document or a path is required', { param_name: 'path' });
    return { status: 'ok', orgs: await importSnapshot(ctx, snapshot) };
  });
}
