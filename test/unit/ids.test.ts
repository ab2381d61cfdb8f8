import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { composeId, isValidId, parseId, parseIdList } from '../../src/zoho/ids.js';
import { throwsZoho } from '../helpers/zoho-error.js';

const UNPARSABLE = { status: 400, code: 'UNABLE_TO_PARSE_DATA_TYPE', message: 'either the request body or parameters is in wrong format', details: {} };

test('parseId accepts 1 to 19 digits and returns the same string', () => {
  assert.equal(parseId('7'), '7');
  assert.equal(parseId('3652397000000925128'), '3652397000000925128');
  assert.equal(parseId('1234567890123456789'), '1234567890123456789');
});

test('parseId keeps the largest int64 exactly and refuses one above it', () => {
  assert.equal(parseId('9223372036854775807'), '9223372036854775807');
  assert.equal(parseId('9223372036854775806'), '9223372036854775806');
  throwsZoho(() => parseId('9223372036854775808'), UNPARSABLE);
  throwsZoho(() => parseId('9999999999999999999'), UNPARSABLE);
});

test('parseId refuses 20 and 25 digits, signs, blanks, letters and zero', () => {
  for (const bad of ['12345678901234567890', '3652397000000925128365239', '', '-1', '+1', '1.5', '1e5', 'abc', '0', '00', ' 12', '12 ', '0x1f', '١٢']) {
    throwsZoho(() => parseId(bad), UNPARSABLE);
  }
});

test('parseId drops leading zeros, as Zoho prints ids', () => {
  assert.equal(parseId('0003652397000000925'), '3652397000000925');
  assert.equal(parseId('0000000000000000001'), '1');
  // 20 characters is too long even when the value is small.
  throwsZoho(() => parseId('00000000000000000001'), UNPARSABLE);
});

test('isValidId agrees with parseId', () => {
  assert.equal(isValidId('1'), true);
  assert.equal(isValidId('9223372036854775807'), true);
  assert.equal(isValidId('9223372036854775808'), false);
  assert.equal(isValidId('x'), false);
});

test('parseIdList splits on commas, in order, keeping repeats', () => {
  assert.deepEqual(parseIdList(['3652397000000925128,3652397000000649013']), ['3652397000000925128', '3652397000000649013']);
  assert.deepEqual(parseIdList(['5,4,5']), ['5', '4', '5']);
});

test('parseIdList ignores a trailing comma and joins repeated ids parameters', () => {
  assert.deepEqual(parseIdList(['11,12,']), ['11', '12']);
  assert.deepEqual(parseIdList(['11', '12,13']), ['11', '12', '13']);
});

test('parseIdList answers MANDATORY_NOT_FOUND when ids is missing or empty', () => {
  const missing = { status: 400, code: 'MANDATORY_NOT_FOUND', message: 'One of the expected parameter is missing', details: { param_name: 'ids' } };
  throwsZoho(() => parseIdList(undefined), missing);
  throwsZoho(() => parseIdList(['']), missing);
  throwsZoho(() => parseIdList([',']), missing);
});

test('parseIdList takes 100 ids and refuses 101 with LIMIT_EXCEEDED', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => String(1000 + i));
  assert.equal(parseIdList([hundred.join(',')]).length, 100);
  throwsZoho(() => parseIdList([[...hundred, '2000'].join(',')]), {
    status: 400, code: 'LIMIT_EXCEEDED', message: 'Limit Exceeded, You cannot give more than 100 record ids', details: { limit: '100', param_name: 'ids' },
  });
  // Counted across repeated parameters too.
  throwsZoho(() => parseIdList([hundred.join(','), '2000']), {
    status: 400, code: 'LIMIT_EXCEEDED', message: 'Limit Exceeded, You cannot give more than 100 record ids', details: { limit: '100', param_name: 'ids' },
  });
});

test('parseIdList refuses any malformed id in the list', () => {
  throwsZoho(() => parseIdList(['11,abc']), UNPARSABLE);
  throwsZoho(() => parseIdList(['11,3652397000000925128365239']), UNPARSABLE);
  throwsZoho(() => parseIdList(['11,9223372036854775808']), UNPARSABLE);
});

test('composeId puts the org prefix before a 12-digit sequence', () => {
  assert.equal(composeId(3652397, 925128n), '3652397000000925128');
  assert.equal(composeId(1000000, 1n), '1000000000000000001');
});

test('the fast id checks agree with BigInt arithmetic on any digit string', () => {
  const INT64_MAX = 9223372036854775807n;
  const reference = (v: string) => /^[0-9]{1,19}$/.test(v) && BigInt(v) > 0n && BigInt(v) <= INT64_MAX;
  const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 21 });
  const nearLimits = fc.constantFrom('9223372036854775807', '9223372036854775808', '9999999999999999999', '0000000000000000001',
    '09223372036854775807', '1000000000000000000', '999999999999999999', '0', '00', '');
  fc.assert(fc.property(fc.oneof(digits, nearLimits, fc.string()), (v) => {
    assert.equal(isValidId(v), reference(v), v);
    if (reference(v)) assert.equal(parseId(v), BigInt(v).toString());
  }), { numRuns: 5000 });
});

test('parseId agrees with a BigInt reading for any short string of digits and other characters', () => {
  const reference = (s: string): string | 'refused' => {
    if (!/^[0-9]{1,19}$/.test(s)) return 'refused';
    const n = BigInt(s);
    return n > 0n && n <= 9223372036854775807n ? n.toString() : 'refused';
  };
  const attempt = (s: string): string | 'refused' => {
    try {
      return parseId(s);
    } catch {
      return 'refused';
    }
  };
  const digits = fc.stringMatching(/^[0-9]{0,21}$/);
  const near = fc.constantFrom('9223372036854775807', '9223372036854775808', '0009223372036854775807', '1000000000000000000', '999999999999999999');
  const mixed = fc.string({ maxLength: 21 });
  fc.assert(fc.property(fc.oneof(digits, near, mixed), (s) => assert.equal(attempt(s), reference(s))), { numRuns: 2000, seed: 20261206 });
});
