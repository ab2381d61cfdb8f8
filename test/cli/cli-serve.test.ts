/**
 * Black-box tests of the commands outside checks rely on, run as separate processes:
 *   node bin/zcrm-local.js serve --port <P> --db <file>
 *   node bin/zcrm-local.js self-client --url http://127.0.0.1:<P> --scope "…" [--org <id>] --json
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, freePort, runCli, serve, type Served } from './cli-process.js';

/** The banner's ready command, exactly as printed (three lines joined by backslash-newlines). */
const CURL_RE = /^curl "(http:\/\/127\.0\.0\.1:\d+)\/crm\/v2\/Campaigns\/3652397000000327001\/Contacts\?ids=3652397000000925128,3652397000000649013" \\\n {2}-X DELETE \\\n {2}-H "Authorization: Zoho-oauthtoken (1000\.[0-9a-f]{32}\.[0-9a-f]{32})"$/m;

let dir: string;
let db: string;
let port: number;
let server: Served | undefined;

before(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'zcrm-cli-'));
  db = join(dir, 'zcrm-local.db');
  port = await freePort();
  server = await serve(port, db);
});
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the banner's curl command verbatim through a shell; curl prints the body. */
function runCurl(command: string): unknown {
  const r = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

async function selfClient(args: string[]): Promise<Record<string, string>> {
  const r = await runCli(['self-client', '--url', `http://127.0.0.1:${port}`, ...args, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'one JSON object on one line');
  const out = JSON.parse(lines[0]);
  assert.equal(typeof out, 'object');
  for (const key of ['org_id', 'user_id', 'client_id', 'client_secret', 'code', 'accounts_url', 'api_domain']) {
    assert.equal(typeof out[key], 'string', `${key} in ${lines[0]}`);
  }
  return out;
}

async function tokenCall(accountsUrl: string, form: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(`${accountsUrl}/oauth/v2/token`, { method: 'POST', body: new URLSearchParams(form) });
  assert.equal(res.status, 200);
  return (await res.json()) as Record<string, unknown>;
}

async function crm(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method, headers: { authorization: `Zoho-oauthtoken ${token}` }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

test('--help lists serve and self-client', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^\s+serve\b/m);
  assert.match(r.stdout, /^\s+self-client\b/m);
});

describe('serve, self-client, restart on the same database', () => {
  let created: Record<string, string>;
  let refreshToken: string;
  let leadId: string;

  test('the banner prints a ready curl command whose seed request works verbatim', () => {
    const m = server!.stdout().match(CURL_RE);
    assert.ok(m, server!.stdout());
    assert.equal(m[1], `http://127.0.0.1:${port}`);
    assert.deepEqual(runCurl(m[0]), {
      data: [
        { code: 'SUCCESS', details: { id: '3652397000000925128' }, message: 'relation removed', status: 'success' },
        { code: 'SUCCESS', details: { id: '3652397000000649013' }, message: 'relation removed', status: 'success' },
      ],
    });
  });

  test('self-client makes a new org whose code exchanges once for tokens', async () => {
    created = await selfClient(['--scope', 'ZohoCRM.modules.ALL']);
    assert.notEqual(created.org_id, '3652397');
    assert.equal(created.accounts_url, `http://127.0.0.1:${port}`);
    assert.equal(created.api_domain, `http://127.0.0.1:${port}`);
    assert.match(created.client_id, /^1000\.[0-9A-Z]{30}$/);
    const form = { grant_type: 'authorization_code', client_id: created.client_id, client_secret: created.client_secret, code: created.code };
    const tokens = await tokenCall(created.accounts_url, form);
    assert.deepEqual(Object.keys(tokens).sort(), ['access_token', 'api_domain', 'expires_in', 'refresh_token', 'token_type']);
    assert.match(String(tokens.access_token), /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
    assert.match(String(tokens.refresh_token), /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
    assert.equal(tokens.api_domain, `http://127.0.0.1:${port}`);
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(tokens.expires_in, 3600);
    assert.deepEqual(await tokenCall(created.accounts_url, form), { error: 'invalid_code' });
    refreshToken = String(tokens.refresh_token);
    const lead = await crm(String(tokens.access_token), 'POST', '/crm/v2/Leads', { data: [{ Last_Name: 'Kitzman', Company: 'Benton' }] });
    assert.equal(lead.status, 201);
    leadId = lead.body.data[0].details.id;
    assert.match(leadId, /^[0-9]{19}$/);
  });

  test('self-client --org adds a client to that org, for its Administrator', async () => {
    const more = await selfClient(['--scope', 'ZohoCRM.modules.leads.READ', '--org', created.org_id]);
    assert.equal(more.org_id, created.org_id);
    assert.equal(more.user_id, created.user_id);
    assert.notEqual(more.client_id, created.client_id);
    const tokens = await tokenCall(more.accounts_url, { grant_type: 'authorization_code', client_id: more.client_id, client_secret: more.client_secret, code: more.code });
    const lead = await crm(String(tokens.access_token), 'GET', `/crm/v2/Leads/${leadId}`);
    assert.equal(lead.status, 200);
    assert.equal(lead.body.data[0].Last_Name, 'Kitzman');
    // The scope was leads.READ only.
    const write = await crm(String(tokens.access_token), 'DELETE', `/crm/v2/Leads/${leadId}`);
    assert.deepEqual(write, { status: 401, body: { code: 'OAUTH_SCOPE_MISMATCH', details: {}, message: 'Unauthorized', status: 'error' } });
  });

  test('self-client --org with an unknown org fails with a message and a non-zero exit', async () => {
    const r = await runCli(['self-client', '--url', `http://127.0.0.1:${port}`, '--scope', 'ZohoCRM.modules.ALL', '--org', '999999999', '--json']);
    assert.notEqual(r.status, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no such org/);
  });

  test('a restart on the same database keeps the data and does not seed the demo again', async () => {
    await server!.stop();
    assert.equal(server!.child.exitCode, 0);
    server = await serve(port, db);
    const m = await server.waitForOutput(CURL_RE);
    // The demo relations were removed before the restart and stay removed.
    assert.deepEqual(runCurl(m[0]), {
      data: [
        { code: 'INVALID_DATA', details: { id: '3652397000000925128' }, message: 'relation not found', status: 'error' },
        { code: 'INVALID_DATA', details: { id: '3652397000000649013' }, message: 'relation not found', status: 'error' },
      ],
    });
    const orgs = (await (await fetch(`http://127.0.0.1:${port}/_zcrm/orgs`)).json()) as { orgs: { org_id: string }[] };
    assert.deepEqual(orgs.orgs.map((o) => o.org_id).sort(), ['3652397', created.org_id].sort());
    const refreshed = await tokenCall(created.accounts_url, { grant_type: 'refresh_token', client_id: created.client_id, client_secret: created.client_secret, refresh_token: refreshToken });
    assert.equal(typeof refreshed.access_token, 'string');
    const lead = await crm(String(refreshed.access_token), 'GET', `/crm/v2/Leads/${leadId}`);
    assert.equal(lead.status, 200);
    assert.equal(lead.body.data[0].Company, 'Benton');
  });
});

