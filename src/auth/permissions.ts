/**
 * Profiles and permissions (SPEC §3). Administrator may do everything; Standard may do all
 * module operations; custom profiles list per-module view/create/edit/delete.
 */
import type { ModulePermission, ProfilePermissions } from '../store/store.js';

export type ModuleRight = keyof ModulePermission;

export const ADMINISTRATOR: ProfilePermissions = { admin: true, modules: {} };
export const STANDARD: ProfilePermissions = { admin: false, modules: {} };

export function allows(p: ProfilePermissions, module: string, right: ModuleRight): boolean {
  if (p.admin) return true;
  const m = p.modules[module];
  if (!m) return !p.restricted;
  return m[right] === true;
}

/** Zoho names a missing permission `Crm_Implied_<Right>_<Module>` in NO_PERMISSION details. */
export function permissionName(module: string, right: ModuleRight): string {
  const word = { view: 'View', create: 'Create', edit: 'Edit', delete: 'Delete' }[right];
  return `Crm_Implied_${word}_${module}`;
}

/** Checks and normalises a custom profile's permissions as given to the admin API. */
export function parsePermissions(input: unknown): ProfilePermissions | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const obj = input as Record<string, unknown>;
  const modules: Record<string, ModulePermission> = {};
  const raw = obj.modules ?? {};
  if (typeof raw !== 'object' || raw === null) return undefined;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null) return undefined;
    const v = value as Record<string, unknown>;
    modules[name] = { view: v.view === true, create: v.create === true, edit: v.edit === true, delete: v.delete === true };
  }
  return { admin: obj.admin === true, modules, restricted: obj.restricted !== false };
}
