import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatZohoTime } from '../../src/zoho/time.js';

const reference = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

test('Zoho times: ISO 8601 to the second with a numeric offset', () => {
  assert.equal(formatZohoTime(Date.UTC(2026, 11, 6, 10, 5, 7, 999)), '2026-12-06T10:05:07+00:00');
  assert.equal(formatZohoTime(0), '1970-01-01T00:00:00+00:00');
  assert.equal(formatZohoTime(-1), '1969-12-31T23:59:59+00:00');
});

test('Zoho times agree with a plain Date reading for any time, repeated or not', () => {
  const year10000 = Date.UTC(10000, 0, 1);
  const times = fc.oneof(
    fc.integer({ min: -8.64e15, max: 8.64e15 }),
    fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
    fc.integer({ min: year10000 - 5000, max: year10000 + 5000 }),
  );
  fc.assert(fc.property(fc.array(times, { minLength: 1, maxLength: 50 }), (ms) => {
    // Each twice, so remembered answers are checked too.
    for (const t of [...ms, ...ms]) assert.equal(formatZohoTime(t), reference(t));
  }), { numRuns: 500, seed: 20261206 });
});
