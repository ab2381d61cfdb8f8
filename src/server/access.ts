/**
 * Module resolution, scope, permission and record-access checks shared by the handlers,
 * in the order SPEC §4.1 decides.
 */
import { allows, permissionName, type ModuleRight } from '../auth/permissions.js';
import { errors, type Action } from '../zoho/errors.js';
import { lookupModule, type ModuleDef } from '../zoho/modules.js';
import { allowsModuleOperation, type Operation } from '../zoho/scopes.js';
import type { StoredRecord } from '../store/store.js';
import type { Principal } from './principal.js';
import { decodeSegment } from './request.js';

export function resolveModule(raw: string, index = 0): ModuleDef {
  const name = decodeSegment(raw);
  if (name === undefined) throw errors.invalidModule(index);
  const found = lookupModule(name);
  if (found.kind === 'unsupported') throw errors.moduleNotSupported(index);
  if (found.kind === 'unknown') throw errors.invalidModule(index);
  return found.module;
}

export function requireScope(p: Principal, module: ModuleDef, op: Operation): void {
  if (!allowsModuleOperation(p.scopes, module, op)) throw errors.oauthScopeMismatch();
}

export function requireRight(p: Principal, module: ModuleDef, right: ModuleRight, action: Action): void {
  if (!allows(p.profile.permissions, module.apiName, right)) {
    throw errors.noPermission(action, permissionName(module.apiName, right));
  }
}

export function isPrivate(p: Principal, module: ModuleDef): boolean {
  return (p.org.settings.privateModules ?? []).includes(module.apiName);
}

/** Whether the caller's right to change a record of `module` depends on who owns it. */
export function ownerMatters(p: Principal, module: ModuleDef): boolean {
  return isPrivate(p, module) && !p.profile.permissions.admin;
}

/** Under private sharing only the owner and Administrators may change a record (SPEC §3, decided). */
export function mayChange(p: Principal, module: ModuleDef, record: Pick<StoredRecord, 'ownerId'>): boolean {
  return !ownerMatters(p, module) || record.ownerId === p.user.id;
}
