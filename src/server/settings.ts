/**
 * Metadata: `settings/modules`, `settings/related_lists?module=`, `settings/fields?module=`,
 * plus `users` and `org`. Zoho's SDKs read related lists (they need `href`) and fields (they
 * need `data_type`) before related-record and record calls.
 */
import { errors } from '../zoho/errors.js';
import { MODULES, UNSUPPORTED_MODULES, getModule, type DataType, type FieldDef, type ModuleDef } from '../zoho/modules.js';
import { relatedListsOf } from '../zoho/relations.js';
import { allowsOrgRead, allowsSettingsRead, allowsUsersRead, type SettingsArea } from '../zoho/scopes.js';
import { formatZohoTime } from '../zoho/time.js';
import { resolveModule } from './access.js';
import type { ApiResult, AppContext } from './context.js';
import { principalOf, type Principal } from './principal.js';
import type { ApiRequest } from './request.js';

const JSON_TYPE: Record<DataType, string> = {
  text: 'string', textarea: 'string', email: 'string', phone: 'string', website: 'string', picklist: 'string',
  date: 'string', datetime: 'string', bigint: 'string', lookup: 'jsonobject', ownerlookup: 'jsonobject',
  currency: 'double', double: 'double', integer: 'integer', boolean: 'boolean',
};

async function authorized(ctx: AppContext, req: ApiRequest, allow: (s: Set<string>) => boolean): Promise<Principal> {
  if (req.method !== 'GET') throw errors.invalidRequestMethod();
  const p = await principalOf(ctx, req);
  if (!allow(p.scopes)) throw errors.oauthScopeMismatch();
  return p;
}

const settingsScope = (area: SettingsArea) => (s: Set<string>) => allowsSettingsRead(s, area);

export async function settings(ctx: AppContext, req: ApiRequest): Promise<ApiResult> {
  const [, area, extra] = req.segments;
  if (area === 'modules') {
    const p = await authorized(ctx, req, settingsScope('modules'));
    if (extra !== undefined) return { status: 200, body: { modules: [moduleView(resolveModule(extra, 2), p)] } };
    const unsupported = UNSUPPORTED_MODULES.map((name, i) => unsupportedView(name, i));
    return { status: 200, body: { modules: [...MODULES.map((m) => moduleView(m, p)), ...unsupported] } };
  }
  if (area === 'related_lists') {
    await authorized(ctx, req, settingsScope('related_lists'));
    const module = moduleParam(req);
    const lists = relatedListsOf(module).map((l, i) => ({
      id: l.id, sequence_number: String(i + 1), display_label: l.displayLabel, api_name: l.apiName,
      module: moduleRef(req, l.module), name: l.apiName, action: null,
      href: `${module.apiName}/{ENTITYID}/${l.apiName}`, type: 'default', visible: true,
    }));
    return lists.length === 0 ? { status: 204 } : { status: 200, body: { related_lists: lists } };
  }
  if (area === 'fields') {
    await authorized(ctx, req, settingsScope('fields'));
    const module = moduleParam(req);
    const fields = module.fields.map((f) => fieldView(module, f, req));
    if (extra !== undefined) {
      const one = fields.find((f) => f.id === extra);
      if (!one) throw errors.invalidRecordId(2);
      return { status: 200, body: { fields: [one] } };
    }
    return { status: 200, body: { fields } };
  }
  throw errors.invalidUrlPattern();
}

function moduleParam(req: ApiRequest): ModuleDef {
  const name = req.query.get('module');
  if (name === null || name === '') throw errors.requiredParamMissing('module');
  return resolveModule(name);
}

function moduleView(m: ModuleDef, p: Principal): Record<string, unknown> {
  return {
    global_search_supported: true, deletable: m.apiName !== 'Notes', description: null, creatable: true,
    modified_time: null, plural_label: m.plural, presence_sub_menu: m.apiName !== 'Notes', id: m.id,
    visibility: 1, convertable: m.apiName === 'Leads', editable: true, emailTemplate_support: m.apiName !== 'Notes',
    profiles: [{ name: p.profile.name, id: p.profile.id }], filter_supported: true, web_link: null,
    sequence_number: MODULES.indexOf(m) + 2, singular_label: m.singular, viewable: true, api_supported: true,
    api_name: m.apiName, quick_create: true, modified_by: null, generated_type: 'default', feeds_required: false,
    scoring_supported: ['Leads', 'Contacts', 'Accounts', 'Deals'].includes(m.apiName), arguments: [],
    module_name: m.moduleName, business_card_field_limit: 5, parent_module: {}, visible: true,
  };
}

function unsupportedView(name: string, i: number): Record<string, unknown> {
  return {
    api_name: name, module_name: name, singular_label: name, plural_label: name,
    id: String(5725767000000001000n + BigInt(i)), api_supported: false, generated_type: 'default',
    creatable: false, editable: false, deletable: false, viewable: true, visible: true, sequence_number: 100 + i,
  };
}

/**
 * A module named inside metadata (a related list's `module`, a lookup's `lookup.module`). v2 names
 * it with a string: Zoho's v2 SDKs (@zohocrm/typescript-sdk-2.0, nodejs-sdk-2.0) type both as
 * String and call `.toLowerCase()` on them. Later versions (the v8 OAS) use `{api_name, id}`.
 */
function moduleRef(req: ApiRequest, apiName: string): string | { api_name: string; id: string } {
  return req.version === 'v2' ? apiName : { api_name: apiName, id: getModule(apiName).id };
}

function fieldView(m: ModuleDef, f: FieldDef, req: ApiRequest): Record<string, unknown> & { id: string } {
  const index = m.fields.indexOf(f);
  const lookupModule = f.lookup ?? (f.dataType === 'ownerlookup' ? 'users' : undefined);
  return {
    id: String(5725767000000010000n + BigInt(MODULES.indexOf(m)) * 100n + BigInt(index)),
    api_name: f.apiName, field_label: f.label, display_label: f.label, data_type: f.dataType,
    json_type: JSON_TYPE[f.dataType], system_mandatory: f.mandatory === true, read_only: f.readOnly === true,
    custom_field: false, visible: true, length: f.length ?? (f.dataType === 'lookup' || f.dataType === 'ownerlookup' ? 120 : 16),
    decimal_place: f.dataType === 'currency' ? 2 : null, field_read_only: f.readOnly === true,
    lookup: lookupModule && f.dataType === 'lookup'
      ? { display_label: f.label, api_name: f.apiName, module: moduleRef(req, lookupModule), id: null }
      : {},
    pick_list_values: (f.picklist ?? []).map((v, i) => ({ display_value: v, sequence_number: i + 1, actual_value: v, maps: [] })),
    view_type: { view: true, edit: !f.readOnly, quick_create: f.mandatory === true, create: !f.readOnly },
    created_source: 'default', webhook: true, unique: {}, history_tracking: null, crypt: null, formula: {},
    currency: {}, multiselectlookup: {}, auto_number: {}, subform: null, association_details: null,
  };
}

export async function users(ctx: AppContext, req: ApiRequest): Promise<ApiResult> {
  const p = await authorized(ctx, req, allowsUsersRead);
  const all = await ctx.store.listUsers(p.org.id);
  const profiles = new Map((await ctx.store.listProfiles(p.org.id)).map((x) => [x.id, x]));
  const type = req.query.get('type');
  let chosen = req.segments[1] !== undefined ? all.filter((u) => u.id === req.segments[1]) : all;
  if (type === 'CurrentUser') chosen = all.filter((u) => u.id === p.user.id);
  else if (type === 'AdminUsers') chosen = chosen.filter((u) => profiles.get(u.profileId)?.permissions.admin);
  if (chosen.length === 0) return { status: 204 };
  const view = chosen.map((u) => {
    const [first, ...rest] = u.name.split(' ');
    const profile = profiles.get(u.profileId);
    return {
      id: u.id, email: u.email, full_name: u.name, first_name: rest.length ? first : null, last_name: rest.length ? rest.join(' ') : first,
      status: 'active', confirm: true, profile: { name: profile?.name ?? '', id: u.profileId },
      role: { name: profile?.permissions.admin ? 'CEO' : 'Manager', id: String(BigInt(p.org.prefix) * 1_000_000_000_000n + 2n) },
      created_time: formatZohoTime(u.createdAt), time_zone: 'UTC', locale: 'en_US', country_locale: 'en_US',
    };
  });
  return { status: 200, body: { users: view, info: { per_page: 200, count: view.length, page: 1, more_records: false } } };
}

export async function org(ctx: AppContext, req: ApiRequest): Promise<ApiResult> {
  const p = await authorized(ctx, req, allowsOrgRead);
  return {
    status: 200,
    body: { org: [{ id: p.org.id, company_name: p.org.name, primary_email: p.user.email, time_zone: 'UTC', iso_code: 'USD', currency_symbol: '$', zgid: p.org.id, country_code: 'US', currency_locale: 'en_US', domain_name: `org${p.org.id}` }] },
  };
}
