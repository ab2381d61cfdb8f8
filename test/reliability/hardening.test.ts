/**
 * The admin surface refuses non-loopback callers without the key (the guard reads the socket's
 * remote address, which `inject` sets), and slow clients are cut off.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../helpers/server.js';

const CLOSED = { code: 'NO_PERMISSION', details: {}, message: 'the admin surface is closed to this caller', status: 'error' };
let open: TestServer;
let keyed: TestServer;
before(async () => {
  open = await startTestServer();
  keyed = await startTestServer({ adminKey: 'k3y-for-tests', requestTimeout: 1500, headersTimeout: 1000 });
});
after(async () => {
  await open.close();
  await keyed.close();
});

const ADMIN_PATHS = ['/_zcrm/health', '/_zcrm/orgs', '/%5Fzcrm/orgs', '/%5fzcrm/health', '/_zcrm/requests', '/_zcrm/faults', '/_zcrm/snapshots', '/_zcrm/orgs/', '/_zcrm/clock'];

test('loopback callers (127.0.0.0/8, ::1, ::ffff:127.x) reach the admin surface', async () => {
  for (const remoteAddress of ['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1', '::ffff:127.0.0.1']) {
    const res = await open.app.inject({ method: 'GET', url: '/_zcrm/health', remoteAddress });
    assert.equal(res.statusCode, 200, remoteAddress);
  }
});

test('other callers without the key get 403 on every admin path, however it is spelled', async () => {
  for (const remoteAddress of ['10.0.0.7', '192.168.1.20', '::ffff:10.0.0.7', '2001:db8::1', '128.0.0.1', '0.0.0.0']) {
    for (const url of ADMIN_PATHS) {
      for (const server of [open, keyed]) {
        const res = await server.app.inject({ method: 'GET', url, remoteAddress, headers: { 'x-forwarded-for': '127.0.0.1' } });
        assert.equal(res.statusCode, 403, `${remoteAddress} ${url}`);
        assert.deepEqual(res.json(), CLOSED);
      }
    }
  }
  const reset = await open.app.inject({ method: 'POST', url: '/_zcrm/reset', remoteAddress: '10.0.0.7', payload: '{}' });
  assert.equal(reset.statusCode, 403);
});

test('random non-loopback addresses, methods and admin paths never get through without the key (property)', async () => {
  const v4 = fc.ipV4().filter((a) => !a.startsWith('127.'));
  const address = fc.oneof(v4, v4.map((a) => `::ffff:${a}`), fc.ipV6().filter((a) => a !== '::1' && !a.startsWith('::ffff:127.')));
  const path = fc.tuple(fc.constantFrom('/_zcrm/', '/%5Fzcrm/', '/%5fzcrm/'), fc.constantFrom('health', 'orgs', 'reset', 'faults', 'requests', 'snapshots', 'orgs/1/tokens', 'clock/advance'));
  const key = fc.option(fc.oneof(fc.string({ maxLength: 20 }).filter((k) => /^[\x21-\x7e]*$/.test(k)), fc.constant('k3y-for-test')), { nil: undefined });
  await fc.assert(fc.asyncProperty(address, path, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), key, async (remoteAddress, [p, rest], method, k) => {
    const res = await keyed.app.inject({ method: method as 'GET', url: p + rest, remoteAddress, headers: k === undefined ? {} : { 'x-zcrm-admin-key': k }, payload: method === 'GET' ? undefined : '{}' });
    assert.ok(res.statusCode === 403 || res.statusCode === 404, `${remoteAddress} ${method} ${p}${rest} → ${res.statusCode}`);
  }), { numRuns: 300, seed: 11 });
});

test('with the key, other callers get in; a wrong key does not', async () => {
  const right = await keyed.app.inject({ method: 'GET', url: '/_zcrm/health', remoteAddress: '10.0.0.7', headers: { 'x-zcrm-admin-key': 'k3y-for-tests' } });
  assert.equal(right.statusCode, 200);
  const wrong = await keyed.app.inject({ method: 'GET', url: '/_zcrm/health', remoteAddress: '10.0.0.7', headers: { 'x-zcrm-admin-key': 'k3y-for-test' } });
  assert.equal(wrong.statusCode, 403);
  const keyless = await open.app.inject({ method: 'GET', url: '/_zcrm/health', remoteAddress: '10.0.0.7', headers: { 'x-zcrm-admin-key': '' } });
  assert.equal(keyless.statusCode, 403, 'a server without a key accepts no key at all');
});

/** Sends `first`, then nothing; resolves with what the server wrote before closing the connection. */
function stall(port: number, first: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(first));
    let got = '';
    socket.on('data', (c) => { got += c; });
    socket.on('close', () => resolve(got));
    socket.on('error', () => {});
    // A guard against a hang, not a timing assertion: the server's own timeouts are 1–1.5 s.
    setTimeout(() => { socket.destroy(); reject(new Error(`not cut off; got ${JSON.stringify(got)}`)); }, 20_000).unref();
  });
}

test('a client that sends headers then stalls is cut off with a 408 in Zoho\'s envelope', async () => {
  const got = await stall(keyed.port, 'GET /crm/v2/Leads HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Zoho-oauthtoken x\r\n');
  assert.match(got, /^HTTP\/1\.1 408 Request Timeout\r\n/);
  assert.deepEqual(JSON.parse(got.slice(got.indexOf('\r\n\r\n') + 4)), { code: 'REQUEST_TIMEOUT', details: {}, message: 'the request did not arrive in time', status: 'error' });
});

test('a client that stalls in the middle of its body is cut off', async () => {
  const got = await stall(keyed.port, 'PUT /crm/v2/Leads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"data":[');
  assert.doesNotMatch(got, /^HTTP\/1\.1 2/, 'no success for half a body');
});

test('malformed HTTP and oversized headers get Zoho\'s envelope from the parser', async () => {
  const bad = await stall(open.port, 'GET /crm/v2/Leads HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
  assert.match(bad, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.equal(JSON.parse(bad.slice(bad.indexOf('\r\n\r\n') + 4)).code, 'INVALID_REQUEST');
  const big = await stall(open.port, `GET /crm/v2/Leads HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  assert.match(big, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  assert.equal(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4)).code, 'REQUEST_HEADER_FIELDS_TOO_LARGE');
});
