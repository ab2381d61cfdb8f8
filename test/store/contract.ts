/**
 * The store contract: one suite of store-level cases that every backend must pass with the
 * same answers. Run by sqlite.test.ts (:memory: and a file) and postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RelationTarget, Store, StoredRecord } from '../../src/store/store.js';

export interface StoreHarness {
  /** Opens the store under test; when `shared`, every call opens another handle on the same data. */
  open(): Promise<Store>;
  shared: boolean;
  cleanup?(): Promise<void>;
}

const T0 = 1_767_225_600_000;
const PERMS = { admin: false, modules: { Leads: { view: true, create: true, edit: false, delete: false } } };

export function rec(id: string, module: string, data: Record<string, unknown> = {}, parentId: string | null = null, t = T0): StoredRecord {
  return { id, module, ownerId: '42', createdBy: '42', modifiedBy: '42', createdAt: t, modifiedAt: t, parentId, data };
}

export const campaignContacts = (parentId: string): RelationTarget => ({ relation: 'campaign_contacts', side: 'left', parentId, relatedModule: 'Contacts' });
export const contactCampaigns = (parentId: string): RelationTarget => ({ relation: 'campaign_contacts', side: 'right', parentId, relatedModule: 'Campaigns' });

export function runStoreContract(label: string, harness: StoreHarness): void {
  describe(`store contract: ${label}`, () => {
    let store: Store;
    const extra: Store[] = [];
    before(async () => { store = await harness.open(); });
    after(async () => {
      for (const s of extra) await s.close();
      await store.close();
      await harness.cleanup?.();
    });
    const another = async () => {
      const s = await harness.open();
      extra.push(s);
      return s;
    };
    /** A fresh org with `n` ids allocated for records. */
    const freshOrg = async (n = 0) => {
      const org = await store.createOrg({ name: 'Contract', now: T0 });
      return { org, ids: n > 0 ? await store.allocateIds(org.id, n) : [] };
    };
    /** Another org holding one contact: its id must not link into a campaign of another org. */
    const strangerContact = async () => {
      const { org, ids } = await freshOrg(1);
      await store.insertRecords(org.id, [rec(ids[0], 'Contacts')]);
      return { orgId: org.id, contact: ids[0] };
    };
    /** A campaign, contacts, and the campaign linked to the first `linked` contacts. */
    const campaignWith = async (contacts: number, linked: number) => {
      const { org, ids } = await freshOrg(contacts + 1);
      const [campaign, ...people] = ids;
      await store.insertRecords(org.id, [rec(campaign, 'Campaigns', { Campaign_Name: 'C' }), ...people.map((id, i) => rec(id, 'Contacts', { Last_Name: `P${i}` }))]);
      const outcomes = await store.linkRelated(org.id, campaignContacts(campaign), people.slice(0, linked).map((id) => ({ id, data: { Member_Status: 'Invited' } })), T0);
      assert.deepEqual(outcomes, people.slice(0, linked).map(() => 'linked'));
      return { org, campaign, people };
    };

    test('orgs: create with a fixed id and prefix, read, list, settings', async () => {
      const org = await store.createOrg({ id: '5550001', prefix: 5550001, name: 'Fixed', now: T0 });
      assert.deepEqual(org, { id: '5550001', prefix: 5550001, name: 'Fixed', settings: {}, createdAt: T0 });
      assert.deepEqual(await store.getOrg('5550001'), org);
      assert.equal(await store.getOrg('5550002'), undefined);
      await store.updateOrgSettings('5550001', { privateModules: ['Campaigns'], note: 'x' });
      assert.deepEqual((await store.getOrg('5550001'))!.settings, { privateModules: ['Campaigns'], note: 'x' });
      assert.ok((await store.listOrgs()).some((o) => o.id === '5550001' && o.name === 'Fixed'));
      await assert.rejects(store.createOrg({ id: '5550001', prefix: 5550003, name: 'Again', now: T0 }));
      assert.equal(await store.isEmpty(), false);
    });

    test('orgs: random prefixes are distinct 7-digit numbers and name the org', async () => {
      const orgs = await Promise.all(Array.from({ length: 20 }, () => store.createOrg({ name: 'R', now: T0 })));
      assert.equal(new Set(orgs.map((o) => o.prefix)).size, 20);
      for (const o of orgs) {
        assert.match(o.id, /^[1-9][0-9]{6}$/);
        assert.equal(o.id, String(o.prefix));
      }
    });

    test('ids: 19-digit strings, consecutive per org, distinct under concurrency', async () => {
      const org = await store.createOrg({ id: '9223372', prefix: 9223372, name: 'Edge', now: T0 });
      assert.deepEqual(await store.allocateIds(org.id, 3), ['9223372000001000000', '9223372000001000001', '9223372000001000002']);
      const batches = await Promise.all(Array.from({ length: 30 }, () => store.allocateIds(org.id, 4)));
      const all = batches.flat();
      assert.equal(new Set(all).size, 120);
      for (const b of batches) assert.deepEqual(b.map((id) => BigInt(id) - BigInt(b[0])), [0n, 1n, 2n, 3n]);
      assert.ok(all.every((id) => typeof id === 'string' && /^9223372000001000[0-9]{3}$/.test(id)));
      await assert.rejects(store.allocateIds('1234', 1));
    });

    test('profiles and users: per org, ordered, found by email across orgs', async () => {
      const a = await freshOrg();
      const b = await freshOrg();
      const pa = await store.createProfile(a.org.id, { name: 'Sales', permissions: PERMS });
      assert.match(pa.id, new RegExp(`^${a.org.prefix}000001[0-9]{6}$`));
      assert.deepEqual(await store.getProfile(a.org.id, pa.id), { id: pa.id, orgId: a.org.id, name: 'Sales', permissions: PERMS });
      assert.equal(await store.getProfile(b.org.id, pa.id), undefined);
      const pb = await store.createProfile(a.org.id, { name: 'Support', permissions: { admin: true, modules: {} } });
      assert.deepEqual((await store.listProfiles(a.org.id)).map((p) => p.name), ['Sales', 'Support']);
      const ua = await store.createUser(a.org.id, { email: 'same@example.com', name: 'A', profileId: pa.id, passwordHash: null, now: T0 });
      const ub = await store.createUser(b.org.id, { email: 'same@example.com', name: 'B', profileId: pb.id, passwordHash: 'h', now: T0 + 1 });
      assert.deepEqual(await store.getUser(a.org.id, ua.id), ua);
      assert.equal(await store.getUser(b.org.id, ua.id), undefined);
      assert.deepEqual((await store.findUserByEmail('SAME@example.com')).map((u) => [u.orgId, u.name, u.passwordHash]), [[a.org.id, 'A', null], [b.org.id, 'B', 'h']]);
      const ua2 = await store.createUser(a.org.id, { email: 'two@example.com', name: 'A2', profileId: pb.id, passwordHash: null, now: T0 });
      assert.deepEqual((await store.listUsers(a.org.id)).map((u) => u.id), [ua.id, ua2.id]);
      await assert.rejects(store.createUser(a.org.id, { email: 'two@example.com', name: 'dup', profileId: pb.id, passwordHash: null, now: T0 }));
    });

    test('clients and grant codes: a code is consumed once, never after expiry', async () => {
      const { org } = await freshOrg();
      const client = { clientId: `1000.C${org.id}`, orgId: org.id, secretHash: 'sh', type: 'server' as const, name: 'App', redirectUris: ['http://cb'], origins: ['http://o'], createdAt: T0 };
      await store.createClient(client);
      assert.deepEqual(await store.getClient(client.clientId), client);
      assert.equal(await store.getClient('1000.nope'), undefined);
      const grant = { codeHash: `code-${org.id}`, clientId: client.clientId, orgId: org.id, userId: '9223372036854775807', scopes: ['ZohoCRM.modules.ALL'], redirectUri: null, accessType: 'offline' as const, expiresAt: T0 + 1000 };
      await store.saveGrant(grant);
      assert.equal(await store.consumeGrant(grant.codeHash, T0 + 1000), undefined, 'expired at expiresAt');
      assert.deepEqual(await store.consumeGrant(grant.codeHash, T0 + 999), grant);
      assert.equal(await store.consumeGrant(grant.codeHash, T0), undefined, 'used');
      const racing = { ...grant, codeHash: `race-${org.id}`, redirectUri: 'http://cb', accessType: 'online' as const };
      await store.saveGrant(racing);
      const results = await Promise.all(Array.from({ length: 10 }, () => store.consumeGrant(racing.codeHash, T0)));
      assert.equal(results.filter((r) => r !== undefined).length, 1);
      assert.deepEqual(results.find((r) => r !== undefined), racing);
    });

    test('tokens: revoking a refresh token revokes the access tokens minted from it', async () => {
      const { org } = await freshOrg();
      const base = { clientId: 'c', orgId: org.id, userId: '7', scopes: ['ZohoCRM.modules.ALL'], revoked: false, createdAt: T0 };
      const refresh = { ...base, hash: `r-${org.id}`, kind: 'refresh' as const, parentHash: null, expiresAt: null };
      const child = { ...base, hash: `a1-${org.id}`, kind: 'access' as const, parentHash: refresh.hash, expiresAt: T0 + 3600_000 };
      const sibling = { ...base, hash: `a2-${org.id}`, kind: 'access' as const, parentHash: null, expiresAt: T0 + 3600_000 };
      for (const t of [refresh, child, sibling]) await store.saveToken(t);
      assert.deepEqual(await store.getToken(refresh.hash), refresh);
      assert.deepEqual(await store.getToken(child.hash), child);
      assert.equal(await store.getToken('nope'), undefined);
      assert.equal(await store.revokeToken(refresh.hash), true);
      assert.equal((await store.getToken(refresh.hash))!.revoked, true);
      assert.equal((await store.getToken(child.hash))!.revoked, true);
      assert.equal((await store.getToken(sibling.hash))!.revoked, false);
      assert.equal(await store.revokeToken(refresh.hash), false, 'already revoked');
      assert.equal(await store.revokeToken(sibling.hash), true);
      assert.equal(await store.revokeToken('unknown'), false);
    });

    test('callers: a token with its org, user and profile, exact ids; missing parts undefined', async () => {
      const { org } = await freshOrg();
      const profile = await store.createProfile(org.id, { name: 'Sales', permissions: PERMS });
      const user = await store.createUser(org.id, { email: 's@example.com', name: 'S', profileId: profile.id, passwordHash: null, now: T0 });
      const base = { kind: 'access' as const, clientId: 'c', orgId: org.id, scopes: ['ZohoCRM.modules.ALL'], parentHash: null, expiresAt: T0, revoked: false, createdAt: T0 };
      const token = { ...base, hash: `s-${org.id}`, userId: user.id };
      await store.saveToken(token);
      assert.deepEqual(await store.getCaller(token.hash), { token, org: await store.getOrg(org.id), user, profile });
      const orphan = { ...base, hash: `o-${org.id}`, userId: '9223372036854775807' };
      await store.saveToken(orphan);
      assert.deepEqual(await store.getCaller(orphan.hash), { token: orphan, org: await store.getOrg(org.id), user: undefined, profile: undefined });
      assert.equal(await store.getCaller('none'), undefined);
    });

    test('records: insert, read by module and org, exact 64-bit ids and data', async () => {
      const a = await freshOrg(2);
      const b = await freshOrg();
      const big = '9223372036854775807';
      const data = { Last_Name: 'Ünïcode "q" \\ 😀', Amount: 0.30000000000000004, Nested: { id: '3652397000000925128', name: 'x' }, List: [1, null, 'z'], Email: null };
      await store.insertRecords(a.org.id, [rec(a.ids[0], 'Contacts', data), rec(big, 'Leads', { Last_Name: 'Max' }, null, T0 + 5), rec(a.ids[1], 'Notes', { Note_Title: 'n' }, a.ids[0])]);
      const found = await store.getRecords(a.org.id, 'Contacts', [a.ids[0], big, '1']);
      assert.deepEqual([...found.keys()], [a.ids[0]]);
      assert.deepEqual(found.get(a.ids[0]), rec(a.ids[0], 'Contacts', data));
      assert.deepEqual(JSON.stringify(found.get(a.ids[0])!.data), JSON.stringify(data), 'key order kept');
      assert.deepEqual((await store.getRecords(a.org.id, 'Leads', [big])).get(big), rec(big, 'Leads', { Last_Name: 'Max' }, null, T0 + 5));
      assert.equal((await store.getRecords(a.org.id, 'Notes', [a.ids[1]])).get(a.ids[1])!.parentId, a.ids[0]);
      assert.equal((await store.getRecords(b.org.id, 'Contacts', [a.ids[0]])).size, 0);
      await assert.rejects(store.insertRecords(a.org.id, [rec(a.ids[0], 'Contacts')]), 'duplicate id');
      await store.insertRecords(a.org.id, []);
    });

    test('records: list sorted, paged, by ids', async () => {
      const { org, ids } = await freshOrg(4);
      await store.insertRecords(org.id, ids.map((id, i) => rec(id, 'Leads', { n: i }, null, T0 + [30, 10, 20, 10][i])));
      const list = async (q: Parameters<Store['listRecords']>[2]) => (await store.listRecords(org.id, 'Leads', q)).map((r) => r.data.n);
      assert.deepEqual(await list({ offset: 0, limit: 10 }), [3, 2, 1, 0]);
      assert.deepEqual(await list({ offset: 1, limit: 2, sortOrder: 'asc' }), [1, 2]);
      assert.deepEqual(await list({ offset: 0, limit: 10, sortBy: 'Created_Time', sortOrder: 'asc' }), [1, 3, 2, 0]);
      assert.deepEqual(await list({ offset: 0, limit: 10, sortBy: 'Modified_Time', sortOrder: 'desc' }), [0, 2, 3, 1]);
      assert.deepEqual(await list({ offset: 0, limit: 10, ids: [ids[2], '77', ids[0], ids[2]] }), [2, 0, 2]);
      assert.deepEqual(await list({ offset: 1, limit: 1, ids: [ids[2], ids[0], ids[1]] }), [0]);
      assert.deepEqual(await store.listRecords(org.id, 'Contacts', { offset: 0, limit: 10 }), []);
    });

    test('records and related records: pages order ids as numbers and keep every id and time exact', async () => {
      const { org } = await freshOrg(0);
      // Ids of different lengths (text order would differ), the largest int64, and times past 2^32.
      const ids = ['9', '10', '100', '9223372036854775807', '3652397000000925128'];
      const t = 4_102_444_800_123;
      await store.insertRecords(org.id, ids.map((id, i) => rec(id, 'Contacts', { n: i }, i === 0 ? '9223372036854775807' : null, t + i)));
      const page = await store.listRecords(org.id, 'Contacts', { offset: 0, limit: 10, sortOrder: 'asc' });
      assert.deepEqual(page.map((r) => r.id), ['9', '10', '100', '3652397000000925128', '9223372036854775807']);
      assert.deepEqual(page.map((r) => r.createdAt), [t, t + 1, t + 2, t + 4, t + 3]);
      assert.equal(page[0].parentId, '9223372036854775807');
      assert.equal(page[1].parentId, null);
      await store.insertRecords(org.id, [rec('9223372036854775806', 'Campaigns')]);
      const t2 = campaignContacts('9223372036854775806');
      assert.deepEqual(await store.linkRelated(org.id, t2, ids.map((id) => ({ id, data: {} })), T0), ids.map(() => 'linked'));
      const related = await store.listRelated(org.id, t2, 0, 10);
      assert.deepEqual(related.map((r) => r.record.id), ['9223372036854775807', '3652397000000925128', '100', '10', '9']);
      assert.deepEqual(related.map((r) => r.record.createdAt), [t + 3, t + 4, t + 2, t + 1, t]);
      const back = await store.listRelated(org.id, contactCampaigns('9223372036854775807'), 0, 10);
      assert.deepEqual(back.map((r) => [r.record.id, r.record.module]), [['9223372036854775806', 'Campaigns']]);
    });

    test('records: update per id, the last of a repeated id wins', async () => {
      const { org, ids } = await freshOrg(2);
      await store.insertRecords(org.id, [rec(ids[0], 'Leads', { v: 0 }), rec(ids[1], 'Contacts', { v: 0 })]);
      const u = (id: string, v: number) => ({ id, data: { v }, ownerId: '43', modifiedBy: '44', modifiedAt: T0 + v });
      assert.deepEqual(await store.updateRecords(org.id, 'Leads', [u(ids[0], 1), u(ids[1], 1), u('5', 1), u(ids[0], 2)]), [true, false, false, true]);
      const got = (await store.getRecords(org.id, 'Leads', [ids[0]])).get(ids[0])!;
      assert.deepEqual([got.data, got.ownerId, got.modifiedBy, got.modifiedAt, got.createdAt], [{ v: 2 }, '43', '44', T0 + 2, T0]);
      assert.deepEqual((await store.getRecords(org.id, 'Contacts', [ids[1]])).get(ids[1])!.data, { v: 0 });
      assert.deepEqual(await store.updateRecords(org.id, 'Leads', []), []);
    });

    test('records: delete cascades to notes and to relations seen from both sides', async () => {
      const { org, campaign, people } = await campaignWith(3, 3);
      const [note] = await store.allocateIds(org.id, 1);
      await store.insertRecords(org.id, [rec(note, 'Notes', { Note_Title: 'n' }, people[0])]);
      assert.deepEqual(await store.deleteRecords(org.id, 'Contacts', [people[0], people[0], campaign, '12']), [true, false, false, false]);
      assert.equal((await store.getRecords(org.id, 'Notes', [note])).size, 0);
      assert.deepEqual((await store.listRelated(org.id, campaignContacts(campaign), 0, 10)).map((r) => r.record.id), [people[2], people[1]]);
      assert.deepEqual(await store.deleteRecords(org.id, 'Campaigns', [campaign]), [true]);
      assert.deepEqual(await store.listRelated(org.id, contactCampaigns(people[1]), 0, 10), []);
      assert.deepEqual(await store.delinkRelated(org.id, campaignContacts(campaign), [people[1]]), ['not_linked']);
    });

    test('notes: listed newest first under their parent, deleted per id', async () => {
      const { org, ids } = await freshOrg(5);
      const [lead, other, ...notes] = ids;
      await store.insertRecords(org.id, [rec(lead, 'Leads'), rec(other, 'Leads'), rec(notes[0], 'Notes', {}, lead), rec(notes[1], 'Notes', {}, lead), rec(notes[2], 'Notes', {}, other)]);
      assert.deepEqual((await store.listNotes(org.id, lead, 0, 10)).map((n) => n.id), [notes[1], notes[0]]);
      assert.deepEqual((await store.listNotes(org.id, lead, 1, 1)).map((n) => n.id), [notes[0]]);
      assert.deepEqual(await store.deleteNotesOf(org.id, lead, [notes[0], notes[2], notes[0], lead]), ['deleted', 'invalid_id', 'invalid_id', 'invalid_id']);
      assert.deepEqual((await store.listNotes(org.id, lead, 0, 10)).map((n) => n.id), [notes[1]]);
      assert.deepEqual((await store.listNotes(org.id, other, 0, 10)).map((n) => n.id), [notes[2]]);
    });

    test('lookups: records whose lookup field points at the parent', async () => {
      const { org, ids } = await freshOrg(4);
      const [account, c1, c2, c3] = ids;
      await store.insertRecords(org.id, [
        rec(account, 'Accounts'), rec(c1, 'Contacts', { Account_Name: { id: account, name: 'A' } }),
        rec(c2, 'Contacts', { Account_Name: { id: '999', name: 'B' } }), rec(c3, 'Contacts', { Account_Name: { id: account } }),
      ]);
      assert.deepEqual((await store.listByLookup(org.id, 'Contacts', 'Account_Name', account, 0, 10)).map((r) => r.id), [c3, c1]);
      assert.deepEqual((await store.listByLookup(org.id, 'Contacts', 'Account_Name', account, 1, 10)).map((r) => r.id), [c1]);
      assert.deepEqual(await store.listByLookup(org.id, 'Deals', 'Account_Name', account, 0, 10), []);
    });

    test('link: per-id outcomes, relation data merged on relink, repeated ids', async () => {
      const { org, campaign, people } = await campaignWith(3, 0);
      const stranger = await strangerContact();
      const t = campaignContacts(campaign);
      const out = await store.linkRelated(org.id, t, [
        { id: people[0], data: { Member_Status: 'Sent' } }, { id: campaign, data: {} }, { id: stranger.contact, data: {} },
        { id: people[1], data: {} }, { id: people[0], data: { Member_Status: 'Opened' } },
      ], T0);
      assert.deepEqual(out, ['linked', 'invalid_id', 'invalid_id', 'linked', 'linked']);
      const rows = await store.listRelated(org.id, t, 0, 10);
      assert.deepEqual(rows.map((r) => [r.record.id, r.relationData]), [[people[1], {}], [people[0], { Member_Status: 'Opened' }]]);
      assert.deepEqual(await store.linkRelated(org.id, t, [{ id: people[0], data: {} }, { id: people[1], data: { Member_Status: 'Bounced' } }], T0 + 1), ['linked', 'linked']);
      assert.deepEqual((await store.listRelated(org.id, t, 0, 10)).map((r) => r.relationData), [{ Member_Status: 'Bounced' }, { Member_Status: 'Opened' }]);
      assert.deepEqual(await store.listRelated(stranger.orgId, t, 0, 10), []);
    });

    test('link of ids only: per-id outcomes in order, data kept on relink, both sides', async () => {
      const { org, campaign, people } = await campaignWith(4, 1);
      const stranger = await strangerContact();
      const t = campaignContacts(campaign);
      // people[0] is linked already, with data; a campaign is not a contact; the stranger's contact is in another org.
      const out = await store.linkRelated(org.id, t, [
        { id: people[2], data: {} }, { id: campaign, data: {} }, { id: people[0], data: {} }, { id: stranger.contact, data: {} },
        { id: people[2], data: {} }, { id: '3652397000000000001', data: {} }, { id: people[1], data: {} },
      ], T0);
      assert.deepEqual(out, ['linked', 'invalid_id', 'linked', 'invalid_id', 'linked', 'invalid_id', 'linked']);
      const rows = await store.listRelated(org.id, t, 0, 10);
      assert.deepEqual(rows.map((r) => [r.record.id, r.relationData]).sort(), [
        [people[0], { Member_Status: 'Invited' }], [people[1], {}], [people[2], {}],
      ].sort());
      assert.deepEqual(await store.listRelated(stranger.orgId, t, 0, 10), []);
      // From the related record's side: the campaigns of a contact.
      const foreign = (await campaignWith(0, 0)).campaign; // another org's campaign
      assert.deepEqual(await store.linkRelated(org.id, contactCampaigns(people[3]), [{ id: campaign, data: {} }, { id: people[1], data: {} }], T0), ['linked', 'invalid_id']);
      assert.deepEqual((await store.listRelated(org.id, contactCampaigns(people[3]), 0, 10)).map((r) => r.record.id), [campaign]);
      assert.deepEqual((await store.listRelated(org.id, t, 0, 10, people[3])).map((r) => r.record.id), [people[3]]);
      assert.deepEqual(await store.linkRelated(org.id, contactCampaigns(people[3]), [{ id: foreign, data: {} }, { id: campaign, data: {} }], T0), ['invalid_id', 'linked']);
    });

    test('list: newest related id first, paged, one id, both sides of one fact', async () => {
      const { org, campaign, people } = await campaignWith(4, 4);
      const t = campaignContacts(campaign);
      const ids = async (offset: number, limit: number, only?: string) => (await store.listRelated(org.id, t, offset, limit, only)).map((r) => r.record.id);
      assert.deepEqual(await ids(0, 10), [...people].reverse());
      assert.deepEqual(await ids(1, 2), [people[2], people[1]]);
      assert.deepEqual(await ids(0, 1, people[1]), [people[1]]);
      assert.deepEqual(await ids(0, 1, campaign), []);
      const back = await store.listRelated(org.id, contactCampaigns(people[2]), 0, 10);
      assert.deepEqual(back.map((r) => [r.record.id, r.record.module, r.relationData]), [[campaign, 'Campaigns', { Member_Status: 'Invited' }]]);
    });

    test('delink: removed, not linked, invalid — in order, repeated ids once', async () => {
      const { org, campaign, people } = await campaignWith(3, 2);
      const t = campaignContacts(campaign);
      const out = await store.delinkRelated(org.id, t, [people[1], people[2], '3652397000000000001', people[1], campaign, people[0]]);
      assert.deepEqual(out, ['removed', 'not_linked', 'invalid_id', 'not_linked', 'invalid_id', 'removed']);
      assert.deepEqual(await store.listRelated(org.id, t, 0, 10), []);
      assert.deepEqual(await store.delinkRelated(org.id, t, [people[0]]), ['not_linked']);
      const other = await freshOrg();
      assert.deepEqual(await store.delinkRelated(other.org.id, t, [people[0]]), ['invalid_id']);
    });

    test('delink of several ids from the related side: in order, repeated ids once', async () => {
      const { org, ids } = await freshOrg(3);
      const [person, first, second] = ids;
      await store.insertRecords(org.id, [rec(person, 'Contacts', { Last_Name: 'P' }), rec(first, 'Campaigns', { Campaign_Name: 'A' }), rec(second, 'Campaigns', { Campaign_Name: 'B' })]);
      for (const campaign of [first, second]) assert.deepEqual(await store.linkRelated(org.id, campaignContacts(campaign), [{ id: person, data: {} }], T0), ['linked']);
      const out = await store.delinkRelated(org.id, contactCampaigns(person), [second, person, second, first]);
      assert.deepEqual(out, ['removed', 'invalid_id', 'not_linked', 'removed']);
      for (const campaign of [first, second]) assert.deepEqual(await store.listRelated(org.id, campaignContacts(campaign), 0, 10), []);
    });

    test('delink seen from the other side removes the same fact', async () => {
      const { org, campaign, people } = await campaignWith(2, 2);
      assert.deepEqual(await store.delinkRelated(org.id, contactCampaigns(people[0]), [campaign]), ['removed']);
      assert.deepEqual((await store.listRelated(org.id, campaignContacts(campaign), 0, 10)).map((r) => r.record.id), [people[1]]);
    });

    test('concurrency: 20 concurrent delinks of one relation remove it exactly once', async () => {
      const { org, campaign, people } = await campaignWith(2, 2);
      const stores = harness.shared ? [store, await another()] : [store];
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % stores.length].delinkRelated(org.id, campaignContacts(campaign), [people[0]])));
      assert.deepEqual(outcomes.flat().filter((o) => o === 'removed').length, 1);
      assert.deepEqual(outcomes.flat().filter((o) => o === 'not_linked').length, 19);
      assert.deepEqual((await store.listRelated(org.id, campaignContacts(campaign), 0, 10)).map((r) => r.record.id), [people[1]]);
    });

    test('concurrency: overlapping bulk delinks in opposite orders each remove every pair once', async () => {
      const { org, campaign, people } = await campaignWith(10, 10);
      const t = campaignContacts(campaign);
      const stores = harness.shared ? [store, await another()] : [store];
      const batches = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? people : [...people].reverse()));
      const outcomes = await Promise.all(batches.map((ids, i) => stores[i % stores.length].delinkRelated(org.id, t, ids)));
      const removedPerId = new Map<string, number>();
      outcomes.forEach((out, i) => out.forEach((o, j) => { if (o === 'removed') removedPerId.set(batches[i][j], (removedPerId.get(batches[i][j]) ?? 0) + 1); }));
      assert.deepEqual([...removedPerId.values()].sort(), people.map(() => 1));
      assert.equal(removedPerId.size, 10);
    });

    test('concurrency: links and delinks racing leave a consistent relation', async () => {
      const { org, campaign, people } = await campaignWith(1, 1);
      const t = campaignContacts(campaign);
      const ops = Array.from({ length: 20 }, (_, i) => (i % 2 === 0
        ? store.delinkRelated(org.id, t, [people[0]])
        : store.linkRelated(org.id, t, [{ id: people[0], data: { Member_Status: 'Sent' } }], T0)));
      const results = (await Promise.all(ops)).flat();
      assert.equal(results.filter((r) => r === 'linked').length, 10);
      const listed = (await store.listRelated(org.id, t, 0, 10)).length;
      assert.ok(listed === 0 || listed === 1);
    });

    test('clock: the offset starts at 0, accumulates, and is shared by every handle', async () => {
      const start = await store.getClockOffset();
      assert.equal(await store.advanceClock(1500), start + 1500);
      assert.equal(await store.advanceClock(0), start + 1500);
      assert.equal(await store.getClockOffset(), start + 1500);
      if (harness.shared) {
        const s2 = await another();
        assert.equal(await s2.getClockOffset(), start + 1500);
        assert.equal(await s2.advanceClock(500), start + 2000);
        assert.equal(await store.getClockOffset(), start + 2000);
      }
    });

    test('reset: removes every org, and the store reports empty', async () => {
      const { org } = await campaignWith(2, 2);
      await store.reset();
      assert.equal(await store.isEmpty(), true);
      assert.equal(await store.getOrg(org.id), undefined);
      assert.deepEqual(await store.listOrgs(), []);
      await store.createOrg({ name: 'After', now: T0 });
      assert.equal(await store.isEmpty(), false);
    });
  });
}
