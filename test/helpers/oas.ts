/**
 * Zoho's own OpenAPI description (v8, ../shared/zoho-oas/) as a test oracle: every file is loaded
 * into one ajv registry, and a success body is validated against the response schema of its
 * operation. The shared folder is a sibling of the repository; ZCRM_SHARED_DIR overrides it.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const BASE = 'https://zoho-oas.local/';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function oasDir(): string {
  const shared = process.env.ZCRM_SHARED_DIR ?? resolve(repoRoot, '..', 'shared');
  const dir = join(shared, 'zoho-oas');
  if (!existsSync(dir)) throw new Error(`Zoho's OpenAPI files not found in ${dir} (set ZCRM_SHARED_DIR to the shared folder)`);
  return dir;
}

let registry: { ajv: Ajv; docs: Map<string, any> } | undefined;

function load(): { ajv: Ajv; docs: Map<string, any> } {
  if (registry) return registry;
  // OpenAPI 3.0 keywords (nullable, example, discriminator…) are not JSON Schema: strict off.
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false });
  addFormats(ajv);
  const docs = new Map<string, any>();
  const dir = oasDir();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    docs.set(file, doc);
    ajv.addSchema(doc, BASE + file);
  }
  registry = { ajv, docs };
  return registry;
}

/** RFC 6901 pointer, URI-encoded for use in a `$ref` fragment. */
const pointer = (parts: string[]) => '#/' + parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

const compiled = new Map<string, ValidateFunction>();

function validatorFor(ref: string): ValidateFunction {
  let v = compiled.get(ref);
  if (!v) {
    v = load().ajv.compile({ $ref: ref });
    compiled.set(ref, v);
  }
  return v;
}

/**
 * The schema of one named component, e.g. `schemaRef('record.json', 'Success_Response')`.
 */
export function schemaRef(file: string, name: string): string {
  return `${BASE}${file}${pointer(['components', 'schemas', name])}`;
}

/**
 * The success branch of an operation's response: Zoho writes each one as
 * `oneOf: [<success shape>, API_Exception]`, and API_Exception (no required keys) also matches
 * any success object, so the whole `oneOf` can never pass; the success branch is the oracle.
 */
export function responseRef(file: string, path: string, method: string, status = '200'): string {
  const doc = load().docs.get(file);
  let parts = ['paths', path, method.toLowerCase(), 'responses', status];
  let response = doc?.paths?.[path]?.[method.toLowerCase()]?.responses?.[status];
  // Some files name a shared response (`{"$ref": "#/components/responses/Modules"}`).
  if (typeof response?.$ref === 'string' && response.$ref.startsWith('#/')) {
    parts = response.$ref.slice(2).split('/');
    response = parts.reduce((node: any, key: string) => node?.[key], doc);
  }
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`no ${method} ${path} ${status} response in ${file}`);
  parts = [...parts, 'content', 'application/json', 'schema'];
  return `${BASE}${file}${pointer(schema.oneOf ? [...parts, 'oneOf', '0'] : parts)}`;
}

/**
 * A documented difference between v2 (the seed and SPEC, which win on /crm/v2/) and Zoho's v8
 * description: where v2 answers `v2`, v8 lists `v8` instead. Before validation the v2 value is
 * replaced by the v8 one at the matching places, so everything else is still checked exactly.
 */
export interface KnownDifference {
  /** Where: a JSON pointer into the body, as a regular expression, e.g. /^\/data\/\d+\/message$/ */
  at: RegExp;
  /** The v2 value, or a test for it. */
  v2: unknown;
  /** The v8 value, or how to make it from the v2 one; undefined when v8 leaves the key out. */
  v8: unknown;
  why: string;
}

const matches = (d: KnownDifference, value: unknown): boolean =>
  typeof d.v2 === 'function' ? Boolean((d.v2 as (v: unknown) => boolean)(value)) : JSON.stringify(d.v2) === JSON.stringify(value);
const v8Of = (d: KnownDifference, value: unknown): unknown =>
  typeof d.v8 === 'function' ? (d.v8 as (v: unknown) => unknown)(value) : d.v8;

function substitute(value: unknown, path: string, known: KnownDifference[], met: Set<KnownDifference>): unknown {
  const k = known.find((d) => d.at.test(path) && matches(d, value));
  if (k) {
    met.add(k);
    return v8Of(k, value);
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, `${path}/${i}`, known, met));
  if (typeof value === 'object' && value !== null) {
    // A difference whose v8 value is undefined removes the key: v8 leaves it out.
    return Object.fromEntries(Object.entries(value)
      .map(([key, v]) => [key, substitute(v, `${path}/${key}`, known, met)])
      .filter(([, v]) => v !== undefined));
  }
  return value;
}

/**
 * Validates a body against a schema reference after applying the listed differences. Returns
 * the differences actually met, so a test can assert that each one it documents is real.
 */
export function assertMatchesOas(
  body: unknown, ref: string, known: KnownDifference[] = [], options: { v8RequiredKeys?: 'ignored' } = {},
): KnownDifference[] {
  const met = new Set<KnownDifference>();
  const mapped = substitute(body, '', known, met);
  const validate = validatorFor(ref);
  // v8 metadata requires dozens of keys v2 never had; with `v8RequiredKeys: 'ignored'` only the
  // keys we do send are judged (their types, enums and nested shapes).
  const errors = validate(mapped) ? [] : (validate.errors ?? []).filter((e) => !(options.v8RequiredKeys === 'ignored' && e.keyword === 'required'));
  if (errors.length > 0) {
    const lines = errors.map((e: ErrorObject) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
    assert.fail(`body does not match ${ref.replace(BASE, '')}:\n${JSON.stringify(body).slice(0, 800)}\n${lines.join('\n')}`);
  }
  return [...met];
}
