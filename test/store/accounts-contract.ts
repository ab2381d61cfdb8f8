/** Store contract for the accounts side (token limits' lookups, clients, sessions, consents), run on every backend. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store, TokenRow } from '../../src/store/store.js';
import type { StoreHarness } from './contract.js';

const T0 = 1_767_225_600_000;

export function runAccountsContract(label: string, harness: StoreHarness): void {
  describe(`accounts store contract: ${label}`, () => {
    let store: Store;
    before(async () => { store = await harness.open(); });
    after(async () => {
      await store.close();
      await harness.cleanup?.();
    });

    const token = (hash: string, over: Partial<TokenRow>): TokenRow => ({
      hash, kind: 'access', clientId: 'c1', orgId: 'o1', userId: '7', scopes: ['ZohoCRM.modules.ALL'], parentHash: null,
      expiresAt: T0 + 3_600_000, revoked: false, createdAt: T0, ...over,
    });

    test('listTokens: by parent, owner, age and liveness, oldest first', async () => {
      await store.saveToken(token('r1', { kind: 'refresh', expiresAt: null, createdAt: T0 }));
      await store.saveToken(token('a1', { parentHash: 'r1', createdAt: T0 + 1 }));
      await store.saveToken(token('a2', { parentHash: 'r1', createdAt: T0 + 2, expiresAt: T0 + 10 }));
      await store.saveToken(token('a3', { parentHash: 'r1', createdAt: T0 + 3 }));
      await store.saveToken(token('r2', { kind: 'refresh', expiresAt: null, createdAt: T0 + 4, userId: '8' }));
      await store.revokeToken('a3');
      const hashes = (rows: TokenRow[]) => rows.map((r) => r.hash);
      assert.deepEqual(hashes(await store.listTokens({ kind: 'access', parentHash: 'r1' })), ['a1', 'a2', 'a3']);
      assert.deepEqual(hashes(await store.listTokens({ kind: 'access', parentHash: 'r1', liveAt: T0 + 20 })), ['a1']);
      assert.deepEqual(hashes(await store.listTokens({ kind: 'access', parentHash: 'r1', createdSince: T0 + 1 })), ['a2', 'a3']);
      assert.deepEqual(hashes(await store.listTokens({ kind: 'refresh', clientId: 'c1', orgId: 'o1', userId: '7' })), ['r1']);
      assert.deepEqual(hashes(await store.listTokens({ kind: 'refresh', clientId: 'c1' })), ['r1', 'r2']);
    });

    test('clients: listed per org; an origin is registered once some client names it', async () => {
      const base = { secretHash: 'ab', type: 'browser' as const, name: 'App', redirectUris: ['http://127.0.0.1:5501/r'], createdAt: T0 };
      await store.createClient({ ...base, clientId: '1000.A', orgId: 'oc', origins: ['http://127.0.0.1:5501'] });
      await store.createClient({ ...base, clientId: '1000.B', orgId: 'oc', origins: [], createdAt: T0 + 1 });
      assert.deepEqual((await store.listClients('oc')).map((c) => [c.clientId, c.origins]), [['1000.A', ['http://127.0.0.1:5501']], ['1000.B', []]]);
      assert.equal(await store.isOriginRegistered('http://127.0.0.1:5501'), true);
      assert.equal(await store.isOriginRegistered('http://127.0.0.1:5502'), false);
    });

    test('sessions expire and can be deleted; consents are replaced per user and client', async () => {
      await store.createSession({ hash: 's1', orgId: 'o1', userId: '3652397000000000001', createdAt: T0, expiresAt: T0 + 100 });
      assert.deepEqual(await store.getSession('s1', T0 + 99), { hash: 's1', orgId: 'o1', userId: '3652397000000000001', createdAt: T0, expiresAt: T0 + 100 });
      assert.equal(await store.getSession('s1', T0 + 100), undefined);
      await store.deleteSession('s1');
      assert.equal(await store.getSession('s1', T0), undefined);

      await store.saveConsent({ clientId: '1000.A', orgId: 'o1', userId: '3652397000000000001', scopes: ['a'], createdAt: T0 });
      await store.saveConsent({ clientId: '1000.A', orgId: 'o1', userId: '3652397000000000001', scopes: ['a', 'b'], createdAt: T0 + 1 });
      assert.deepEqual(await store.getConsent('1000.A', 'o1', '3652397000000000001'), { clientId: '1000.A', orgId: 'o1', userId: '3652397000000000001', scopes: ['a', 'b'], createdAt: T0 + 1 });
      assert.equal(await store.getConsent('1000.A', 'o1', '3652397000000000002'), undefined);
    });
  });
}
