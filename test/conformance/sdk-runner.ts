/**
 * Runs fixtures/sdk-run.cjs (one of Zoho's official SDKs, unmodified) in a child process and
 * returns what each step gave, plus REST helpers to set up and check server state.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { api } from '../helpers/server.js';

const run = promisify(execFile);
const FIXTURE = fileURLToPath(new URL('./fixtures/sdk-run.cjs', import.meta.url));

export interface SdkStep {
  op: 'delinkRecords' | 'delinkRecord' | 'getRelatedRecords' | 'updateRelatedRecords' | 'getRelatedRecord' | 'updateRelatedRecord'
    | 'getRecord' | 'getRecords' | 'createRecords' | 'updateRecord' | 'updateRecords' | 'deleteRecords';
  module: string;
  relatedList?: string;
  recordId?: string;
  relatedId?: string;
  ids?: string[];
  page?: number;
  perPage?: number;
  /** Field values; `{"$choice": v}` becomes the SDK's Choice (picklists). */
  records?: Record<string, unknown>[];
}

export interface SdkPlan {
  sdk: 'typescript' | 'nodejs';
  base: string;
  clientId: string;
  clientSecret: string;
  grantToken?: string;
  refreshToken?: string;
  accessToken?: string;
  /** SDKConfig options; both off unless true. */
  autoRefreshFields?: boolean;
  pickListValidation?: boolean;
  steps: SdkStep[];
}

/** What the fixture prints for one step (see sdk-run.cjs). */
export type StepResult = Record<string, any>;

export async function runSdk(plan: SdkPlan): Promise<StepResult[]> {
  const { stdout } = await run(process.execPath, [FIXTURE, JSON.stringify(plan)], { timeout: 60_000, maxBuffer: 8 * 1024 * 1024 });
  const lines = stdout.trim().split('\n');
  const out = JSON.parse(lines[lines.length - 1]) as { steps: StepResult[] };
  assert.equal(out.steps.length, plan.steps.length);
  return out.steps;
}

/** How the fixture prints a bigint, so a test can say "this came back as the exact bigint". */
export const big = (id: string) => ({ $bigint: id });

/** Creates one record through our REST API and returns its id. */
export async function createRecord(base: string, token: string, module: string, data: Record<string, unknown>): Promise<string> {
  const res = await api(base, token, 'POST', `/crm/v2/${module}`, { data: [data] });
  assert.equal(res.status, 201, res.text);
  const id = res.body.data[0].details.id as string;
  assert.match(id, /^[0-9]{19}$/);
  return id;
}

/** Links records through our REST API (PUT …/{related_list}). */
export async function link(base: string, token: string, path: string, items: Record<string, unknown>[]): Promise<void> {
  const res = await api(base, token, 'PUT', `/crm/v2/${path}`, { data: items });
  assert.equal(res.status, 200, res.text);
}

/** The related records under a parent, read through our REST API: id → relation data and fields. */
export async function related(base: string, token: string, path: string): Promise<Map<string, Record<string, unknown>>> {
  const res = await api(base, token, 'GET', `/crm/v2/${path}`);
  if (res.status === 204) return new Map();
  assert.equal(res.status, 200, res.text);
  return new Map((res.body.data as Record<string, unknown>[]).map((r) => [r.id as string, r]));
}
