import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { hashSecret, mintToken } from '../../src/auth/tokens.js';

test('hashSecret is the hex SHA-256 of the secret, whatever the characters', () => {
  assert.equal(hashSecret(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constant(mintToken())), (s) => {
    assert.equal(hashSecret(s), sha(s));
  }), { numRuns: 2000 });
});

test('minted tokens look like Zoho tokens and differ', () => {
  const a = mintToken();
  assert.match(a, /^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
  assert.notEqual(a, mintToken());
});
