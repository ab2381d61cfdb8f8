/** Store methods behind edition limits and snapshots, on every backend: SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';

const T0 = 1_767_225_600_000;

function cases(label: string, open: () => Promise<Store>, cleanup: () => Promise<void>): void {
  describe(`reliability store methods: ${label}`, () => {
    const opened: Store[] = [];
    const fresh = async () => {
      const s = await open();
      opened.push(s);
      return s;
    };
    after(async () => {
      for (const s of opened) await s.close();
      await cleanup();
    });

    test('chargeCredits: all or nothing per call, on a window of minutes, per org', async () => {
      const store = await fresh();
      const a = await store.createOrg({ name: 'A', now: T0 });
      const b = await store.createOrg({ name: 'B', now: T0 });
      const m = 29_000_000;
      const at = (minute: number, cost: number) => ({ minute, cost, sinceMinute: minute - 1439, limit: 5 });
      assert.deepEqual(await store.chargeCredits(a.id, at(m, 3)), { ok: true, used: 3 });
      assert.deepEqual(await store.chargeCredits(a.id, at(m + 10, 3)), { ok: false, used: 3 });
      assert.deepEqual(await store.chargeCredits(a.id, at(m + 10, 2)), { ok: true, used: 5 });
      assert.deepEqual(await store.chargeCredits(a.id, at(m + 10, 0)), { ok: true, used: 5 });
      assert.deepEqual(await store.chargeCredits(b.id, at(m + 10, 1)), { ok: true, used: 1 });
      // 24 hours after the first charge it has left the window; the second has not.
      assert.deepEqual(await store.chargeCredits(a.id, at(m + 1440, 0)), { ok: true, used: 2 });
      assert.deepEqual(await store.chargeCredits(a.id, at(m + 1450, 0)), { ok: true, used: 0 });
    });

    test('concurrency leases: at most `limit` per org, across two connections; released and expired slots come back', async () => {
      const one = await fresh();
      // Two connections to one database; an in-memory SQLite database has only one.
      const two = label.includes(':memory:') ? one : await fresh();
      const a = await one.createOrg({ name: 'Leases A', now: T0 });
      const b = await one.createOrg({ name: 'Leases B', now: T0 });
      const until = T0 + 60_000;
      // Ten callers race for three slots through two connections to the same database.
      const taken = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? two : one).acquireLease(a.id, `a${i}`, 3, T0, until)));
      assert.equal(taken.filter(Boolean).length, 3);
      assert.deepEqual([await one.countLeases(a.id, T0), await two.countLeases(a.id, T0)], [3, 3], 'both connections count every lease');
      assert.equal(await one.acquireLease(b.id, 'b0', 3, T0, until), true, 'another org has its own slots');
      assert.equal(await one.countLeases(b.id, T0), 1);
      assert.equal(await one.countLeases(a.id, until), 0, 'expired leases are not in flight');
      const holder = taken.findIndex(Boolean);
      await two.releaseLease(a.id, `a${holder}`);
      assert.equal(await one.acquireLease(a.id, 'a-next', 3, T0, until), true);
      assert.equal(await one.acquireLease(a.id, 'a-more', 3, T0, until), false);
      // A lease whose holder died frees its slot once it expires.
      assert.equal(await two.acquireLease(a.id, 'a-later', 3, until, until + 60_000), true);
    });

    test('exportOrg and importOrg round-trip an org, replacing what was there', async () => {
      const store = await fresh();
      const org = await store.createOrg({ name: 'Snap', now: T0 });
      await store.updateOrgSettings(org.id, { edition: 'Free', privateModules: ['Campaigns'] });
      const profile = await store.createProfile(org.id, { name: 'Administrator', permissions: { admin: true, modules: {} } });
      const user = await store.createUser(org.id, { email: 'a@snap.example', name: 'A', profileId: profile.id, passwordHash: null, now: T0 });
      await store.createClient({ clientId: `1000.SNAP${org.id}`, orgId: org.id, secretHash: 'ab'.repeat(32), type: 'self', name: 'S', redirectUris: [], origins: [], createdAt: T0 });
      await store.saveToken({ hash: `cd${org.id}`.padEnd(64, '0'), kind: 'access', clientId: `1000.SNAP${org.id}`, orgId: org.id, userId: user.id, scopes: ['ZohoCRM.modules.ALL'], parentHash: null, expiresAt: T0 + 3600_000, revoked: false, createdAt: T0 });
      const [campaign, contact, note] = await store.allocateIds(org.id, 3);
      const r = (id: string, module: string, data: Record<string, unknown>, parentId: string | null = null) =>
        ({ id, module, ownerId: user.id, createdBy: user.id, modifiedBy: user.id, createdAt: T0, modifiedAt: T0, parentId, data });
      await store.insertRecords(org.id, [r(campaign, 'Campaigns', { Campaign_Name: 'C' }), r(contact, 'Contacts', { Last_Name: 'K' }), r(note, 'Notes', { Note_Content: 'n' }, contact)]);
      const target = { relation: 'campaign_contacts', side: 'left' as const, parentId: campaign, relatedModule: 'Contacts' };
      await store.linkRelated(org.id, target, [{ id: contact, data: { Member_Status: 'Sent' } }], T0);
      const dump = await store.exportOrg(org.id);
      assert.ok(dump);
      assert.equal(dump.records.length, 3);
      assert.deepEqual(dump.relations, [{ relation: 'campaign_contacts', leftId: campaign, rightId: contact, data: { Member_Status: 'Sent' }, createdAt: T0 }]);
      assert.deepEqual(dump.org.settings, { edition: 'Free', privateModules: ['Campaigns'] });

      await store.delinkRelated(org.id, target, [contact]);
      await store.deleteRecords(org.id, 'Contacts', [contact]);
      const [later] = await store.allocateIds(org.id, 1);
      await store.importOrg(dump);
      assert.deepEqual(await store.exportOrg(org.id), dump);
      // The id sequence restarts where the snapshot left it.
      assert.deepEqual(await store.allocateIds(org.id, 1), [later]);

      const other = await fresh();
      await other.importOrg(dump);
      assert.deepEqual(await other.exportOrg(org.id), { ...dump, nextSeq: dump.nextSeq });
      assert.equal(await store.exportOrg('1'), undefined);
    });
  });
}

cases('sqlite :memory:', async () => openStore(':memory:'), async () => {});

let pg: TestDatabase | undefined;
cases('postgres', async () => openStore((pg ??= await createTestDatabase()).url), async () => { await pg?.drop(); });
