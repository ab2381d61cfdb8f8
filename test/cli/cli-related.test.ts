/**
 * The API commands as a user runs them: `node bin/zcrm-local.js delink|link|related …` against
 * an in-process server, checking output, `--json`, exit codes and a 1,000-id delink from a file.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { campaignWithContacts, linkedIds } from '../sdk/helpers.js';
import { BIN, cleanEnv, ensureBuilt, ROOT, runCli } from './cli-process.js';

let server: TestServer;
let token: string;
let dir: string;
before(async () => {
  await ensureBuilt();
  server = await startTestServer();
  token = (await server.newOrg()).token;
  dir = mkdtempSync(join(tmpdir(), 'zcrm-cli-api-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = () => ['--url', server.url, '--token', token];

test('delink --ids prints a summary table, lists failed ids, and exits 1 when one failed', async () => {
  const { campaignId, contactIds } = await campaignWithContacts(server.url, token, 3);
  const r = await runCli(['delink', `Campaigns/${campaignId}/Contacts`, '--ids', `${contactIds[0]},${contactIds[1]},9223372036854775807`, ...auth()]);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr, ''); // no progress bar off a terminal
  assert.match(r.stdout, /^result +count +code +message$/m);
  assert.match(r.stdout, /^removed +2 +SUCCESS +relation removed$/m);
  assert.match(r.stdout, /^failed +1 +INVALID_DATA +the related id given seems to be invalid$/m);
  assert.match(r.stdout, /^removed 2, failed 1, total 3$/m);
  assert.match(r.stdout, /^9223372036854775807 +INVALID_DATA +the related id given seems to be invalid$/m);
  assert.deepEqual(await linkedIds(server.url, token, `Campaigns/${campaignId}/Contacts`), [contactIds[2]]);
});

test('delink --json prints exactly one JSON object with per-id results in input order; exit 0 when all removed', async () => {
  const { campaignId, contactIds } = await campaignWithContacts(server.url, token, 2);
  const r = await runCli(['delink', `Campaigns/${campaignId}/Contacts`, '--ids', `${contactIds[1]}, ${contactIds[0]}`, '--json', ...auth()]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    data: [
      { id: contactIds[1], code: 'SUCCESS', details: { id: contactIds[1] }, message: 'relation removed', status: 'success' },
      { id: contactIds[0], code: 'SUCCESS', details: { id: contactIds[0] }, message: 'relation removed', status: 'success' },
    ],
    summary: { removed: 2, failed: 0 },
  });
  assert.equal(r.stdout.trim().split('\n').length, 1);
});

test('1,000 ids from a file (newlines and commas): one exact report, then all fail on a second run', async () => {
  const { campaignId, contactIds } = await campaignWithContacts(server.url, token, 1000);
  // Newlines, commas, both, blank lines and a missing final newline.
  const text = contactIds.map((id, i) => id + (i % 3 === 0 ? ',' : i % 3 === 1 ? '\n' : ',\n')).join('').replace(/\n$/, '') + '\n\n';
  const file = join(dir, 'ids.txt');
  writeFileSync(file, text);
  const first = await runCli(['delink', `Campaigns/${campaignId}/Contacts`, '--ids-file', file, '--json', ...auth()]);
  assert.equal(first.status, 0, first.stderr);
  const out = JSON.parse(first.stdout);
  assert.deepEqual(out.summary, { removed: 1000, failed: 0 });
  assert.equal(out.data.length, 1000);
  assert.deepEqual(out.data.map((d: { id: string }) => d.id), contactIds);
  assert.ok(out.data.every((d: { message: string; details: { id: string }; id: string }) => d.message === 'relation removed' && d.details.id === d.id));
  assert.deepEqual(await linkedIds(server.url, token, `Campaigns/${campaignId}/Contacts`), []);

  const again = await runCli(['delink', `Campaigns/${campaignId}/Contacts`, '--ids-file', file, '--json', ...auth()]);
  assert.equal(again.status, 1);
  const out2 = JSON.parse(again.stdout);
  assert.deepEqual(out2.summary, { removed: 0, failed: 1000 });
  assert.deepEqual(out2.data[999], { id: contactIds[999], code: 'INVALID_DATA', details: { id: contactIds[999] }, message: 'relation not found', status: 'error' });
});

test('ids from standard input, and the API domain and token from the environment', async () => {
  const { campaignId, contactIds } = await campaignWithContacts(server.url, token, 2);
  const r = await runCli(['delink', `Campaigns/${campaignId}/Contacts`, '--ids-file', '-', '--json'], {
    input: contactIds.join('\n'), env: { ZCRM_API_DOMAIN: server.url, ZCRM_ACCESS_TOKEN: token },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).summary, { removed: 2, failed: 0 });
});

test('usage mistakes exit 2 with a message and send nothing', async () => {
  const cases: [string[], RegExp][] = [
    [['delink', 'Campaigns/1/Contacts', '--ids', '1', '--url', server.url], /no access token: give --token/],
    [['delink', 'Campaigns/1', '--ids', '1', ...auth()], /is not <Module>\/<record_id>\/<RelatedList>/],
    [['delink', 'Campaigns/1/Contacts', ...auth()], /exactly one of --ids a,b,… or --ids-file/],
    [['delink', 'Campaigns/1/Contacts', '--ids', '1', '--ids-file', '-', ...auth()], /exactly one of --ids/],
    [['delink', 'Campaigns/abc/Contacts', '--ids', '1', ...auth()], /record id "abc" is not a Zoho record id/],
    [['delink', 'Campaigns/1/Contacts', '--ids-file', join(dir, 'missing.txt'), ...auth()], /ENOENT/],
    [['delink'], /missing required argument 'path'/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stdout, '');
  }
});

test('a request-level error is reported for every id', async () => {
  const r = await runCli(['delink', 'Campaigns/1/Contacts', '--ids', '11,12', '--json', ...auth()]);
  assert.equal(r.status, 1);
  assert.deepEqual(JSON.parse(r.stdout), {
    data: ['11', '12'].map((id) => ({ id, code: 'INVALID_DATA', details: { resource_path_index: 1 }, message: 'the id given seems to be invalid', status: 'error' })),
    summary: { removed: 0, failed: 2 },
  });
});

test('link with relation data, then related lists a page, and --all streams JSON lines', async () => {
  const { campaignId } = await campaignWithContacts(server.url, token, 0);
  const { contactIds } = await campaignWithContacts(server.url, token, 5);
  const linked = await runCli(['link', `Campaigns/${campaignId}/Contacts`, '--ids', contactIds.join(','), '--data', '{"Member_Status":"Sent"}', '--json', ...auth()]);
  assert.equal(linked.status, 0, linked.stderr);
  const out = JSON.parse(linked.stdout);
  assert.deepEqual(out.summary, { linked: 5, failed: 0 });
  assert.deepEqual(out.data[0], { id: contactIds[0], code: 'SUCCESS', details: { id: contactIds[0] }, message: 'relation updated', status: 'success' });

  const page = await runCli(['related', `Campaigns/${campaignId}/Contacts`, '--per-page', '2', '--page', '2', ...auth()]);
  assert.equal(page.status, 0, page.stderr);
  const p = JSON.parse(page.stdout);
  assert.deepEqual(p.info, { per_page: 2, count: 2, page: 2, more_records: true });

  const all = await runCli(['related', `Campaigns/${campaignId}/Contacts`, '--per-page', '2', '--all', ...auth()]);
  assert.equal(all.status, 0, all.stderr);
  const lines = all.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 5);
  assert.deepEqual(lines.map((l) => l.id).sort(), [...contactIds].sort());
  assert.ok(lines.every((l) => l.Member_Status === 'Sent'));
});

test('on a terminal, delink draws a progress bar', async () => {
  const { campaignId, contactIds } = await campaignWithContacts(server.url, token, 150);
  const file = join(dir, 'tty-ids.txt');
  writeFileSync(file, contactIds.join('\n'));
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, 'delink', `Campaigns/${campaignId}/Contacts`, '--ids-file', file, ...auth()].map(quote).join(' ');
  // `script` runs the command on a pseudo-terminal (spawned asynchronously: this process serves the API).
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const r = { stdout: '', stderr: '', status: null as number | null };
  child.stdout.on('data', (c: Buffer) => { r.stdout += c.toString('utf8'); });
  child.stderr.on('data', (c: Buffer) => { r.stderr += c.toString('utf8'); });
  r.status = await new Promise((resolve) => child.once('close', resolve));
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /delink \[[^\]]*\] 150\/150 ids/);
  assert.match(r.stdout, /removed 150, failed 0, total 150/);
});
