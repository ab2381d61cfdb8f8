import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bulkStatus, failure, ItemList, success, type ItemResult } from '../../src/zoho/results.js';

const ok = success('relation removed', { id: '1' });
const bad = failure('INVALID_DATA', 'relation not found', { id: '2' });

test('per-id items have Zoho\'s four keys', () => {
  assert.deepEqual(ok, { code: 'SUCCESS', details: { id: '1' }, message: 'relation removed', status: 'success' });
  assert.deepEqual(bad, { code: 'INVALID_DATA', details: { id: '2' }, message: 'relation not found', status: 'error' });
});

test('bulkStatus: 200 when all succeed, 207 when some do, 400 when none do', () => {
  assert.equal(bulkStatus([ok]), 200);
  assert.equal(bulkStatus([ok, ok, ok]), 200);
  assert.equal(bulkStatus([ok, bad]), 207);
  assert.equal(bulkStatus([bad, ok, bad]), 207);
  assert.equal(bulkStatus([bad]), 400);
  assert.equal(bulkStatus([bad, bad]), 400);
});

test('bulkStatus uses 201 for all-inserted when asked', () => {
  assert.equal(bulkStatus([ok, ok], 201), 201);
  assert.equal(bulkStatus([ok, bad], 201), 207);
  assert.equal(bulkStatus([bad], 201), 400);
});

test('a bulk body\'s JSON is exactly what JSON.stringify writes, whatever the items hold', () => {
  const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('relation removed', 'SUCCESS', 'a "quoted" \\ line\n', '\u2028', '\ud800'));
  const digits = fc.stringMatching(/^[0-9]{1,19}$/);
  const details = fc.oneof(
    digits.map((id) => ({ id })),
    fc.record({ id: fc.oneof(digits, text, fc.integer(), fc.constant(undefined)) }),
    fc.dictionary(fc.oneof(text, fc.constant('id')), fc.jsonValue(), { maxKeys: 3 }),
    fc.constant({}),
    fc.constant(Object.create({ inherited: 1 }, { id: { value: '1', enumerable: true } })),
  );
  const item = fc.oneof(
    fc.tuple(text, details).map(([message, d]) => success(message, d as Record<string, unknown>)),
    fc.tuple(text, text, details).map(([code, message, d]) => failure(code, message, d as Record<string, unknown>)),
    fc.record({ status: fc.constantFrom('success', 'error'), code: text, details, message: text }) as fc.Arbitrary<ItemResult>,
    fc.record({ code: text, details: fc.constant(undefined), message: text, status: fc.constant('error') }) as unknown as fc.Arbitrary<ItemResult>,
    fc.jsonValue() as unknown as fc.Arbitrary<ItemResult>,
    // The four keys, but a prototype whose toJSON (not enumerable) JSON.stringify calls.
    fc.constant(Object.assign(Object.create(Object.defineProperty({}, 'toJSON', { value: () => 'custom' })), success('x', { id: '1' }))),
  );
  fc.assert(fc.property(fc.array(item, { maxLength: 8 }), (items) => {
    assert.equal(new ItemList(items).json(), JSON.stringify({ data: items }));
  }), { numRuns: 2000 });
  const hundred = Array.from({ length: 100 }, (_, i) => (i % 3 ? success('relation removed', { id: `36523970000000${i}` }) : failure('INVALID_DATA', 'relation not found', { id: String(i) })));
  assert.equal(new ItemList(hundred).json(), JSON.stringify({ data: hundred }));
});
