/**
 * Orgs are the unit of isolation: with org A's token, randomised calls on every CRM endpoint
 * aimed at org B's ids (alone or mixed with A's) never show B's data, never change it, and never
 * link A's records to B's. Run on SQLite and on PostgreSQL. Seeded (ZCRM_TEST_SEED overrides).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { api, startTestServer, type ApiAnswer, type TestServer } from '../helpers/server.js';

const SEED = Number(process.env.ZCRM_TEST_SEED ?? 20261129);
const MODULES = ['Leads', 'Contacts', 'Accounts', 'Deals', 'Campaigns', 'Products', 'Price_Books', 'Notes'] as const;
type Module = (typeof MODULES)[number];
/** Related lists per parent module, and the module each one lists. */
const LISTS: Record<string, Record<string, Module>> = {
  Leads: { Campaigns: 'Campaigns', Products: 'Products', Notes: 'Notes' },
  Contacts: { Campaigns: 'Campaigns', Products: 'Products', Notes: 'Notes', Deals: 'Deals' },
  Accounts: { Products: 'Products', Contacts: 'Contacts', Deals: 'Deals', Notes: 'Notes' },
  Deals: { Products: 'Products', Notes: 'Notes' },
  Campaigns: { Leads: 'Leads', Contacts: 'Contacts' },
  Products: { Leads: 'Leads', Accounts: 'Accounts', Contacts: 'Contacts', Deals: 'Deals', Price_Books: 'Price_Books' },
  Price_Books: { Products: 'Products' },
};

interface Org {
  token: string;
  marker: string;
  email: string;
  userId: string;
  ids: Record<Module, string[]>;
}

async function created(s: TestServer, token: string, module: Module, data: Record<string, unknown>[]): Promise<string[]> {
  const res = await api(s.url, token, 'POST', `/crm/v2/${module}`, { data });
  assert.equal(res.status, 201, `${module}: ${res.text}`);
  return res.body.data.map((d: any) => d.details.id);
}

/** An org with a record of every module (each carrying the org's marker), linked every way. */
async function seedOrg(s: TestServer, marker: string): Promise<Org> {
  const o = await s.newOrg();
  const users = await s.admin('GET', `/_zcrm/orgs/${o.orgId}/users`);
  const t = o.token;
  const text = (i: number) => `${marker} ${i}`;
  const [account] = await created(s, t, 'Accounts', [{ Account_Name: text(0), Description: marker }]);
  const contacts = await created(s, t, 'Contacts', [0, 1].map((i) => ({ Last_Name: text(i), Account_Name: { id: account } })));
  const leads = await created(s, t, 'Leads', [0, 1].map((i) => ({ Last_Name: text(i), Description: marker })));
  const deals = await created(s, t, 'Deals', [{ Deal_Name: text(0), Stage: 'Qualification', Account_Name: { id: account }, Contact_Name: { id: contacts[0] } }]);
  const campaigns = await created(s, t, 'Campaigns', [{ Campaign_Name: text(0) }]);
  const products = await created(s, t, 'Products', [{ Product_Name: text(0) }]);
  const books = await created(s, t, 'Price_Books', [{ Price_Book_Name: text(0) }]);
  const notes = await created(s, t, 'Notes', [
    { Note_Content: marker, Parent_Id: { id: leads[0] }, se_module: 'Leads' },
    { Note_Content: marker, Parent_Id: { id: contacts[0] }, se_module: 'Contacts' },
  ]);
  const link = async (path: string, data: Record<string, unknown>[]) => assert.equal((await api(s.url, t, 'PUT', path, { data })).status, 200);
  await link(`/crm/v2/Campaigns/${campaigns[0]}/Contacts`, contacts.map((id) => ({ id, Member_Status: 'Invited' })));
  await link(`/crm/v2/Campaigns/${campaigns[0]}/Leads`, [{ id: leads[0] }]);
  for (const [list, ids] of [['Leads', leads], ['Accounts', [account]], ['Contacts', contacts], ['Deals', deals]] as const) {
    await link(`/crm/v2/Products/${products[0]}/${list}`, ids.map((id) => ({ id })));
  }
  await link(`/crm/v2/Products/${products[0]}/Price_Books`, [{ id: books[0], list_price: 10 }]);
  return {
    token: t, marker, email: users.users[0].email, userId: o.userId,
    ids: { Leads: leads, Contacts: contacts, Accounts: [account], Deals: deals, Campaigns: campaigns, Products: products, Price_Books: books, Notes: notes },
  };
}

/** Everything org B can see of itself: every module's records and every related list. */
async function snapshot(s: TestServer, org: Org): Promise<string> {
  const parts: unknown[] = [];
  for (const m of MODULES) parts.push(m, (await api(s.url, org.token, 'GET', `/crm/v2/${m}?per_page=200`)).body);
  for (const [parent, lists] of Object.entries(LISTS)) {
    for (const id of org.ids[parent as Module]) {
      for (const list of Object.keys(lists)) parts.push(parent, id, list, (await api(s.url, org.token, 'GET', `/crm/v2/${parent}/${id}/${list}`)).body);
    }
  }
  return JSON.stringify(parts);
}

interface Call { method: string; path: string; body?: unknown }

/** Calls with A's token aimed at B's ids on every CRM endpoint; `pick` chooses among candidates. */
function callArbitrary(a: Org, b: Org): fc.Arbitrary<Call> {
  const module = fc.constantFrom(...MODULES);
  const owner = fc.constantFrom(a, b);
  const recordCall = fc.tuple(module, fc.nat(), fc.boolean(), fc.integer({ min: 0, max: 5 })).map(([m, n, mix, op]): Call => {
    const bId = b.ids[m][n % b.ids[m].length];
    const ids = mix ? `${a.ids[m][0]},${bId}` : bId;
    return [
      { method: 'GET', path: `/crm/v2/${m}/${bId}` },
      { method: 'PUT', path: `/crm/v2/${m}/${bId}`, body: { data: [{ Description: 'changed by A' }] } },
      { method: 'DELETE', path: `/crm/v2/${m}/${bId}` },
      { method: 'GET', path: `/crm/v2/${m}?ids=${ids}` },
      { method: 'PUT', path: `/crm/v2/${m}`, body: { data: ids.split(',').map((id) => ({ id, Description: 'changed by A' })) } },
      { method: 'DELETE', path: `/crm/v2/${m}?ids=${ids}` },
    ][op];
  });
  const relatedCall = fc.tuple(fc.constantFrom(...Object.keys(LISTS)), fc.nat(), owner, owner, fc.nat(), fc.integer({ min: 0, max: 5 }))
    .map(([parent, listPick, parentOrg, relatedOrg, n, op]): Call => {
      const lists = Object.keys(LISTS[parent]);
      const list = lists[listPick % lists.length];
      const related = LISTS[parent][list];
      // At least one side is B's: A's parent with B's related ids, B's parent with either.
      const pOrg = parentOrg === a && relatedOrg === a ? b : parentOrg;
      const p = pOrg.ids[parent as Module][n % pOrg.ids[parent as Module].length];
      const r = relatedOrg.ids[related][n % relatedOrg.ids[related].length];
      const base = `/crm/v2/${parent}/${p}/${list}`;
      const item = { id: r, Member_Status: 'Sent', list_price: 5 };
      return [
        { method: 'GET', path: base },
        { method: 'GET', path: `${base}/${r}` },
        { method: 'DELETE', path: `${base}/${r}` },
        { method: 'DELETE', path: `${base}?ids=${r},${a.ids[related][0]}` },
        { method: 'PUT', path: base, body: { data: [item] } },
        { method: 'PUT', path: `${base}/${r}`, body: { data: [{ Member_Status: 'Sent', list_price: 5 }] } },
      ][op];
    });
  const lookupCall = fc.constantFrom<Call>(
    { method: 'POST', path: '/crm/v2/Contacts', body: { data: [{ Last_Name: 'A', Account_Name: { id: b.ids.Accounts[0] } }] } },
    { method: 'POST', path: '/crm/v2/Deals', body: { data: [{ Deal_Name: 'A', Stage: 'Qualification', Contact_Name: { id: b.ids.Contacts[0] } }] } },
    { method: 'POST', path: '/crm/v2/Notes', body: { data: [{ Note_Content: 'A', Parent_Id: { id: b.ids.Leads[0] }, se_module: 'Leads' }] } },
    { method: 'PUT', path: `/crm/v2/Contacts/${a.ids.Contacts[0]}`, body: { data: [{ Account_Name: { id: b.ids.Accounts[0] } }] } },
    { method: 'PUT', path: '/crm/v2/Leads', body: { data: [{ id: a.ids.Leads[0], Owner: { id: b.userId } }] } },
    { method: 'GET', path: `/crm/v2/users/${b.userId}` },
    { method: 'GET', path: '/crm/v2/users?type=AllUsers' },
    { method: 'GET', path: '/crm/v2/org' },
  );
  return fc.oneof(recordCall, relatedCall, lookupCall);
}

function assertNoLeak(call: Call, res: ApiAnswer, a: Org, b: Org): void {
  const where = `${call.method} ${call.path} → ${res.status} ${res.text}`;
  assert.notEqual(res.status, 500, where);
  assert.ok(!res.text.includes(b.marker), `B's data shown to A: ${where}`);
  assert.ok(!res.text.includes(b.email), `B's user shown to A: ${where}`);
  const bIds = new Set(Object.values(b.ids).flat());
  for (const item of Array.isArray(res.body?.data) ? res.body.data : []) {
    if (item?.status === 'success') {
      const id = item.details?.id;
      assert.ok(!bIds.has(id) || call.method === 'GET', `A changed B's record ${id}: ${where}`);
      if (call.method === 'POST') assert.fail(`A created a record pointing into B: ${where}`);
    }
  }
  void a;
}

for (const pg of [false, true]) {
  describe(`cross-org isolation on ${pg ? 'PostgreSQL' : 'SQLite'}`, () => {
    let s: TestServer;
    let a: Org;
    let b: Org;
    let before_: string;
    before(async () => {
      s = await startTestServer({ pg });
      a = await seedOrg(s, 'ALPHA-MARK');
      b = await seedOrg(s, 'BRAVO-SECRET');
      before_ = await snapshot(s, b);
    });
    after(async () => { await s.close(); });

    test(`randomised calls with A's token on B's ids find no leak (seed ${SEED})`, async () => {
      await fc.assert(fc.asyncProperty(fc.array(callArbitrary(a, b), { minLength: 8, maxLength: 8 }), async (calls) => {
        for (const call of calls) assertNoLeak(call, await api(s.url, a.token, call.method, call.path, call.body), a, b);
      }), { seed: SEED, numRuns: 20 });
    });

    test("B's data is unchanged and A's lists hold none of B's ids", async () => {
      assert.equal(await snapshot(s, b), before_);
      const aView = await snapshot(s, a);
      for (const id of Object.values(b.ids).flat()) assert.ok(!aView.includes(id), `B's id ${id} in A's data`);
      assert.ok(!aView.includes(b.marker));
    });
  });
}
