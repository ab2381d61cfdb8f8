import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bulkStatus, failure, success } from '../../src/zoho/results.js';

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
