import assert from 'node:assert/strict';
import { ZohoError } from '../../src/zoho/errors.js';

export interface ExpectedError {
  status: number;
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** Asserts that `fn` throws the given Zoho error (written out literally in the test). */
export function throwsZoho(fn: () => unknown, expected: ExpectedError): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ZohoError, `expected a ZohoError, got ${String(err)}`);
    assert.deepEqual({ status: err.status, code: err.code, message: err.message, details: err.details }, expected);
    assert.deepEqual(err.toJSON(), { code: expected.code, details: expected.details, message: expected.message, status: 'error' });
    return true;
  });
}
