/** A small CRM client for HTTP tests: one org's token, records made through the Records API. */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { api, startTestServer, type ApiAnswer, type TestServer } from './server.js';

/** Zoho's mandatory fields per module (SPEC §5), filled with plain values. */
const MINIMAL: Record<string, Record<string, unknown>> = {
  Leads: { Last_Name: 'Lead' }, Contacts: { Last_Name: 'Contact' }, Accounts: { Account_Name: 'Account' },
  Deals: { Deal_Name: 'Deal', Stage: 'Qualification' }, Campaigns: { Campaign_Name: 'Campaign' },
  Products: { Product_Name: 'Product' }, Price_Books: { Price_Book_Name: 'Price Book' },
};

export class Crm {
  constructor(readonly server: TestServer, readonly token: string | undefined) {}

  call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
    return api(this.server.url, this.token, method, path, body, headers);
  }

  /** Inserts records and returns their ids, failing the test if any insert fails. */
  async insert(module: string, count = 1, fields: Record<string, unknown> = {}): Promise<string[]> {
    const data = Array.from({ length: count }, (_, i) => ({ ...MINIMAL[module], ...fields, ...(MINIMAL[module].Last_Name ? { Last_Name: `Rec ${i}` } : {}) }));
    const res = await this.call('POST', `/crm/v2/${module}`, { data });
    assert.equal(res.status, 201, res.text);
    return res.body.data.map((d: { details: { id: string } }) => d.details.id);
  }

  async one(module: string, fields: Record<string, unknown> = {}): Promise<string> {
    return (await this.insert(module, 1, fields))[0];
  }

  async note(module: string, parentId: string, content = 'a note'): Promise<string> {
    const res = await this.call('POST', '/crm/v2/Notes', { data: [{ Note_Content: content, Parent_Id: parentId, se_module: module }] });
    assert.equal(res.status, 201, res.text);
    return res.body.data[0].details.id;
  }

  /** Links related ids under a parent (bulk PUT), failing the test unless every item succeeds. */
  async link(module: string, parentId: string, list: string, items: ({ id: string } & Record<string, unknown>)[]): Promise<void> {
    const res = await this.call('PUT', `/crm/v2/${module}/${parentId}/${list}`, { data: items });
    assert.equal(res.status, 200, res.text);
  }

  /** The related ids listed under a parent, or [] on 204. */
  async related(module: string, parentId: string, list: string): Promise<string[]> {
    const res = await this.call('GET', `/crm/v2/${module}/${parentId}/${list}`);
    if (res.status === 204) return [];
    assert.equal(res.status, 200, res.text);
    return res.body.data.map((r: { id: string }) => r.id).sort();
  }
}

/** A new org with a full-scope token, ready to use. */
export async function newCrm(server: TestServer, scope?: string): Promise<Crm & { orgId: string; userId: string }> {
  const org = await server.newOrg(scope);
  return Object.assign(new Crm(server, org.token), { orgId: org.orgId, userId: org.userId });
}

export type OrgCrm = Awaited<ReturnType<typeof newCrm>>;

/**
 * One server and one fresh org for a test file: started before its tests, closed after them. Read
 * `.server` and `.crm` inside tests and hooks.
 */
export function useCrmServer(options?: Parameters<typeof startTestServer>[0]): { readonly server: TestServer; readonly crm: OrgCrm } {
  let server: TestServer | undefined;
  let crm: OrgCrm | undefined;
  before(async () => {
    server = await startTestServer(options);
    crm = await newCrm(server);
  });
  after(async () => { await server?.close(); });
  return {
    get server() {
      if (!server) throw new Error('the test server is not started yet');
      return server;
    },
    get crm() {
      if (!crm) throw new Error('the test server is not started yet');
      return crm;
    },
  };
}

export const ok = (id: string, message = 'relation removed') => ({ code: 'SUCCESS', details: { id }, message, status: 'success' });
export const notFound = (id: string) => ({ code: 'INVALID_DATA', details: { id }, message: 'relation not found', status: 'error' });
export const badRelated = (id: string) => ({ code: 'INVALID_DATA', details: { id }, message: 'the related id given seems to be invalid', status: 'error' });

/** Asserts a flat Zoho error envelope with its exact status. */
export function assertError(res: ApiAnswer, status: number, code: string, message: string, details: Record<string, unknown> = {}): void {
  assert.deepEqual({ status: res.status, body: res.body }, { status, body: { code, details, message, status: 'error' } }, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
}
