/** Field value checks for insert, update and link bodies (Zoho answers INVALID_DATA per item). */
import type { FieldDef } from '../zoho/modules.js';
import { isValidId, normalizeId } from '../zoho/ids.js';
import { failure, type ItemResult } from '../zoho/results.js';

const invalid = (field: FieldDef, jsonPath: string, extra: Record<string, unknown> = {}): ItemResult =>
  failure('INVALID_DATA', 'invalid data', { api_name: field.apiName, json_path: jsonPath, ...extra });

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/;

export function validateFieldValue(field: FieldDef, value: unknown, jsonPath: string): ItemResult | undefined {
  switch (field.dataType) {
    case 'text': case 'textarea': case 'email': case 'phone': case 'website': case 'picklist': {
      if (typeof value !== 'string') return invalid(field, jsonPath, { expected_data_type: 'string' });
      if (field.length !== undefined && value.length > field.length) return invalid(field, jsonPath, { maximum_length: field.length });
      if (field.dataType === 'email' && value !== '' && !/^[^\s@]+@[^\s@]+$/.test(value)) return invalid(field, jsonPath);
      return undefined;
    }
    case 'currency': case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) return invalid(field, jsonPath, { expected_data_type: 'double' });
      return undefined;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return invalid(field, jsonPath, { expected_data_type: 'integer' });
      return undefined;
    case 'boolean':
      if (typeof value !== 'boolean') return invalid(field, jsonPath, { expected_data_type: 'boolean' });
      return undefined;
    case 'date':
      if (typeof value !== 'string' || !DATE_RE.test(value)) return invalid(field, jsonPath, { expected_data_type: 'date' });
      return undefined;
    case 'datetime':
      if (typeof value !== 'string' || !DATETIME_RE.test(value)) return invalid(field, jsonPath, { expected_data_type: 'datetime' });
      return undefined;
    default:
      return undefined;
  }
}

/** A lookup value given as `{"id": "…"}` or as a bare id; undefined when malformed. */
export function lookupId(value: unknown): string | undefined {
  const raw = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).id : value;
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'bigint') return undefined;
  const s = String(raw);
  // isValidId also bounds the value to a signed 64-bit integer, which the stores index.
  return isValidId(s) ? normalizeId(s) : undefined;
}
