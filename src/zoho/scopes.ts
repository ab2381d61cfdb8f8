/**
 * OAuth scopes (SPEC §2). Comparison is case-insensitive: Zoho's own samples mix
 * `ZohoCRM.bulk.read` and `ZohoCRM.modules.ALL`.
 */
import type { ModuleDef } from './modules.js';

export type Operation = 'read' | 'create' | 'link' | 'delink' | 'update' | 'delete';

/** Which operation types satisfy each API operation, on the module in the URL. */
export const SATISFIES: Record<Operation, string[]> = {
  read: ['all', 'read'],
  create: ['all', 'write', 'create'],
  update: ['all', 'write', 'update'],
  link: ['all', 'write', 'update'],
  delete: ['all', 'write', 'delete'],
  delink: ['all', 'write', 'delete'],
};

export function parseScopes(raw: string): string[] {
  return raw
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    // The seed's own sample writes "scope=scope=ZohoCRM…": tolerate a repeated key.
    .map((s) => s.replace(/^(scope=)+/i, ''));
}

export function normalizeScopes(scopes: string[]): Set<string> {
  return new Set(scopes.map((s) => s.toLowerCase()));
}

export function allowsModuleOperation(scopes: Set<string>, module: ModuleDef, op: Operation): boolean {
  if (scopes.has('zohocrm.modules.all')) return true;
  return SATISFIES[op].some((t) => scopes.has(`zohocrm.modules.${module.scopeName}.${t}`));
}

export type SettingsArea = 'modules' | 'related_lists' | 'fields' | 'layouts' | 'profiles';

export function allowsSettingsRead(scopes: Set<string>, area: SettingsArea): boolean {
  return (
    scopes.has('zohocrm.settings.all') ||
    scopes.has(`zohocrm.settings.${area}.all`) ||
    scopes.has(`zohocrm.settings.${area}.read`)
  );
}

export function allowsUsersRead(scopes: Set<string>): boolean {
  return scopes.has('zohocrm.users.all') || scopes.has('zohocrm.users.read');
}

export function allowsOrgRead(scopes: Set<string>): boolean {
  return scopes.has('zohocrm.org.all') || scopes.has('zohocrm.org.read');
}

const SCOPE_RE = /^(zohocrm|aaaserver|profile|zohofiles)\.[a-z_]+(\.[a-z_]+)*$/i;

/** A scope string that could be one of Zoho's (used to refuse nonsense when minting grants). */
export function isWellFormedScope(scope: string): boolean {
  return SCOPE_RE.test(scope);
}
