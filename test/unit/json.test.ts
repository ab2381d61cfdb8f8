import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonExact, quoteBigIntegers } from '../../src/server/json.js';

test('ids sent as long JSON numbers stay exact', () => {
  assert.deepEqual(parseJsonExact('{"data":[{"id":3652397000000925128}]}'), { data: [{ id: '3652397000000925128' }] });
  assert.deepEqual(parseJsonExact('[9223372036854775807, 9223372036854775806]'), ['9223372036854775807', '9223372036854775806']);
  // Would be 3652397000000925000 through a plain JSON.parse.
  assert.notEqual(String(JSON.parse('3652397000000925128')), '3652397000000925128');
  assert.deepEqual(parseJsonExact('3652397000000925128'), '3652397000000925128');
});

test('short numbers, floats and exponents are left alone', () => {
  assert.deepEqual(parseJsonExact('{"list_price":50.56,"n":12,"big":123456789012345}'), { list_price: 50.56, n: 12, big: 123456789012345 });
  assert.deepEqual(parseJsonExact('[1234567890123456789.5, 1e30, -2.5E-3, 12345678901234567e2]'), [1234567890123456789.5, 1e30, -2.5e-3, 12345678901234567e2]);
  assert.equal(quoteBigIntegers('{"a":1.25e+20}'), '{"a":1.25e+20}');
});

test('strings holding digits, escaped quotes and backslashes are untouched', () => {
  const text = '{"note":"call 3652397000000925128 now","q":"say \\"1234567890123456789\\" twice","b":"\\\\","id":1234567890123456789}';
  assert.deepEqual(parseJsonExact(text), {
    note: 'call 3652397000000925128 now', q: 'say "1234567890123456789" twice', b: '\\', id: '1234567890123456789',
  });
});

test('keys with digits and numbers inside nested arrays', () => {
  assert.deepEqual(parseJsonExact('{"1234567890123456789":[[1111111111111111111],{"x":-1234567890123456789}]}'), {
    '1234567890123456789': [['1111111111111111111'], { x: '-1234567890123456789' }],
  });
});

test('text without long integers comes back unchanged, and invalid JSON still fails', () => {
  const text = '{"a":[true,false,null,"x"],"b":1}';
  assert.equal(quoteBigIntegers(text), text);
  assert.throws(() => parseJsonExact('{"a":'));
  assert.throws(() => parseJsonExact('nope'));
});
