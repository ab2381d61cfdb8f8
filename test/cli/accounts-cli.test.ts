import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Runs a CLI command in this process (the server under test answers it here too), capturing its output. */
async function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { write: outWrite } = process.stdout;
  const { write: errWrite } = process.stderr;
  // The CLI writes strings; the test runner's own reports (binary chunks) pass through untouched.
  const capture = (into: string[], original: typeof process.stdout.write, stream: NodeJS.WriteStream) =>
    ((chunk: unknown, ...rest: unknown[]) => (typeof chunk === 'string' ? into.push(chunk) > 0 : (original as Function).call(stream, chunk, ...rest))) as typeof process.stdout.write;
  process.stdout.write = capture(out, outWrite, process.stdout);
  process.stderr.write = capture(err, errWrite, process.stderr);
  const before = process.exitCode;
  try {
    await main(['node', 'zcrm-local', ...args]);
  } finally {
    process.stdout.write = outWrite;
    process.stderr.write = errWrite;
  }
  const code = process.exitCode ?? 0;
  process.exitCode = before;
  if (code !== 0) throw Object.assign(new Error(`exit ${code}`), { code, stderr: err.join('') });
  return { stdout: out.join(''), stderr: err.join('') };
}

let server: TestServer;
let orgId: string;
before(async () => {
  server = await startTestServer();
  orgId = (await server.admin('POST', '/_zcrm/orgs', {})).org_id;
});
after(async () => { await server.close(); });

test('user create --json prints {user_id, email, profile}', async () => {
  const { stdout } = await cli('user', 'create', '--url', server.url, '--org', orgId, '--email', 'Amy@Zylker.example', '--password', 'pw-123456', '--profile', 'Administrator', '--json');
  const out = JSON.parse(stdout);
  assert.deepEqual(Object.keys(out), ['user_id', 'email', 'profile']);
  assert.match(out.user_id, /^\d{19}$/);
  assert.equal(out.email, 'amy@zylker.example');
  assert.equal(out.profile, 'Administrator');
  const listed = await server.admin('GET', `/_zcrm/orgs/${orgId}/users`);
  assert.ok(listed.users.some((u: { email: string }) => u.email === 'amy@zylker.example'));
});

test('client create --json prints the client with its repeatable redirect URIs and origins', async () => {
  const { stdout } = await cli('client', 'create', '--url', server.url, '--org', orgId, '--type', 'browser',
    '--redirect-uri', 'http://127.0.0.1:5501/redirect.html', '--redirect-uri', 'https://app.zylker.example/cb',
    '--origin', 'http://127.0.0.1:5501', '--origin', 'https://app.zylker.example', '--json');
  const out = JSON.parse(stdout);
  assert.match(out.client_id, /^1000\.[A-Z0-9]{30}$/);
  assert.match(out.client_secret, /^[0-9a-f]{42}$/);
  assert.deepEqual(out.redirect_uris, ['http://127.0.0.1:5501/redirect.html', 'https://app.zylker.example/cb']);
  assert.deepEqual(out.origins, ['http://127.0.0.1:5501', 'https://app.zylker.example']);

  const server2 = JSON.parse((await cli('client', 'create', '--url', server.url, '--org', orgId, '--type', 'server', '--redirect-uri', 'https://app.zylker.example/oauth', '--json')).stdout);
  assert.deepEqual(server2.origins, []);
  const clients = await server.admin('GET', `/_zcrm/orgs/${orgId}/clients`);
  assert.deepEqual(clients.clients.map((c: { type: string }) => c.type), ['browser', 'server']);
});

test('client create refuses a bad redirect URI or origin with the server\'s message', async () => {
  await assert.rejects(
    cli('client', 'create', '--url', server.url, '--org', orgId, '--type', 'browser', '--redirect-uri', 'not a url', '--json'),
    (e: { code: number; stderr: string }) => e.code === 2 && /redirect URI must be an absolute http\(s\) URL/.test(e.stderr),
  );
  await assert.rejects(
    cli('client', 'create', '--url', server.url, '--org', orgId, '--type', 'browser', '--redirect-uri', 'http://a.example/cb', '--origin', 'http://a.example/path'),
    (e: { stderr: string }) => /an origin is scheme:\/\/host\[:port\]/.test(e.stderr),
  );
});
