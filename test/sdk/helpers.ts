/** Shared set-up for SDK and CLI tests: linked records made through the raw API, and a fetch that records calls. */
import assert from 'node:assert/strict';
import { api } from '../helpers/server.js';

/** Inserts `count` records of a module (100 per call, the server's limit) and returns their ids in order. */
export async function insertRecords(base: string, token: string, module: string, make: (i: number) => Record<string, unknown>, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 100) {
    const data = Array.from({ length: Math.min(100, count - start) }, (_, k) => make(start + k));
    const res = await api(base, token, 'POST', `/crm/v2/${module}`, { data });
    assert.equal(res.status, 201, res.text);
    for (const item of res.body.data) ids.push(item.details.id);
  }
  return ids;
}

/** A new Campaign with `count` new Contacts linked to it. */
export async function campaignWithContacts(base: string, token: string, count: number): Promise<{ campaignId: string; contactIds: string[] }> {
  const [campaignId] = await insertRecords(base, token, 'Campaigns', (i) => ({ Campaign_Name: `Spring ${i}` }), 1);
  const contactIds = await insertRecords(base, token, 'Contacts', (i) => ({ Last_Name: `Contact ${i}` }), count);
  for (let start = 0; start < count; start += 100) {
    const data = contactIds.slice(start, start + 100).map((id) => ({ id }));
    const res = await api(base, token, 'PUT', `/crm/v2/Campaigns/${campaignId}/Contacts`, { data });
    assert.equal(res.status, 200, res.text);
  }
  return { campaignId, contactIds };
}

/** The ids still linked, read page by page through the raw API. */
export async function linkedIds(base: string, token: string, path: string): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const res = await api(base, token, 'GET', `/crm/v2/${path}?page=${page}&per_page=200`);
    if (res.status === 204) return ids;
    assert.equal(res.status, 200, res.text);
    ids.push(...res.body.data.map((r: { id: string }) => r.id));
    if (!res.body.info.more_records) return ids;
  }
}

export interface Call {
  method: string;
  url: URL;
  status: number;
}

/**
 * A fetch that records every call; `fault(call, n)` may answer instead of the server
 * (n counts the calls that reached this wrapper, from 1).
 */
export function recordingFetch(fault?: (req: { method: string; url: URL }, n: number) => Response | undefined) {
  const calls: Call[] = [];
  let n = 0;
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const method = (init?.method ?? 'GET').toUpperCase();
    n++;
    const faked = fault?.({ method, url }, n);
    const res = faked ?? (await fetch(input, init));
    calls.push({ method, url, status: res.status });
    return res;
  };
  const count = (method: string, pathPart: string) => calls.filter((c) => c.method === method && c.url.pathname.includes(pathPart)).length;
  return { fetch: fetchFn as typeof fetch, calls, count };
}

/** A Zoho-style JSON error answer. */
export function zohoError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ code, details: {}, message, status: 'error' }), {
    status, headers: { 'content-type': 'application/json;charset=utf-8', ...headers },
  });
}
