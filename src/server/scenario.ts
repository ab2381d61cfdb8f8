/**
 * Declarative scenarios (`serve --scenario file.json`): orgs with users, records, relations,
 * an edition and fixed tokens, plus fault rules, loaded at start-up. Each org is built in a
 * scratch in-memory store through the ordinary store calls, then imported like a snapshot —
 * replacing an org of the same id — so a restart on the same database starts from the scenario again.
 *
 * {"orgs": [{"id": "5550001", "name": "Acme", "edition": "Free",
 *            "users": [{"key": "bob", "email": "bob@acme.example", "profile": "Standard"}],
 *            "records": {"Campaigns": [{"key": "spring", "Campaign_Name": "Spring"}], "Contacts": [{"key": "kris", "Last_Name": "Marrier"}]},
 *            "relations": [{"record": "spring", "related_list": "Contacts", "related": ["kris"], "data": {"Member_Status": "Invited"}}],
 *            "tokens": [{"user": "bob", "scope": "ZohoCRM.modules.ALL", "access_token": "1000.…", "expires_in": 86400}]}],
 *  "faults": [{"preset": "INTERNAL_ERROR", "path": "/crm/v2/Deals", "probability": 0.1}]}
 */
import { readFileSync } from 'node:fs';
import { createClient, createOrgWithAdmin, createUser } from '../auth/accounts.js';
import { hashSecret } from '../auth/tokens.js';
import { restoreSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../store/snapshot.js';
import type { OrgDump, OrgSettings, Store, StoredRecord } from '../store/store.js';
import { isValidId, normalizeId } from '../zoho/ids.js';
import { lookupModule } from '../zoho/modules.js';
import { lookupRelatedList } from '../zoho/relations.js';
import { parseScopes } from '../zoho/scopes.js';
import type { AppContext } from './context.js';
import { parseEdition } from './limits.js';

export class ScenarioError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const listOf = (v: unknown, where: string): unknown[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ScenarioError(`${where}: expected a list`);
  return v;
};

interface OrgBuild {
  store: Store;
  orgId: string;
  now: number;
  users: Map<string, string>;
  records: Map<string, { id: string; module: string }>;
}

export async function loadScenario(ctx: AppContext, path: string): Promise<{ orgs: string[]; faults: number }> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ScenarioError(`scenario ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    if (!isObj(doc)) throw new ScenarioError('expected a JSON object with "orgs" and "faults"');
    const dumps: OrgDump[] = [];
    for (const [i, spec] of listOf(doc.orgs, 'orgs').entries()) dumps.push(await buildOrg(spec, `orgs[${i}]`, ctx.clock.now()));
    await restoreSnapshot(ctx.store, { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, exported_at: '', orgs: dumps });
    const rules = listOf(doc.faults, 'faults');
    for (const [i, rule] of rules.entries()) {
      if (!isObj(rule)) throw new ScenarioError(`faults[${i}]: expected an object`);
      try {
        ctx.reliability?.faults.add(rule);
      } catch (e) {
        throw new ScenarioError(`faults[${i}]: ${(e as Error).message}`);
      }
    }
    return { orgs: dumps.map((d) => d.org.id), faults: rules.length };
  } catch (e) {
    throw new ScenarioError(`scenario ${path}: ${(e as Error).message}`);
  }
}

async function buildOrg(spec: unknown, where: string, now: number): Promise<OrgDump> {
  if (!isObj(spec)) throw new ScenarioError(`${where}: expected an object`);
  const id = spec.id === undefined ? undefined : String(spec.id);
  const prefix = typeof spec.prefix === 'number' ? spec.prefix : id && /^[1-8][0-9]{6}$/.test(id) ? Number(id) : undefined;
  const { SqliteStore } = await import('../store/sqlite/sqlite-store.js');
  const store = new SqliteStore(':memory:');
  try {
    const made = await createOrgWithAdmin(store, now, { id, prefix, name: typeof spec.name === 'string' ? spec.name : undefined });
    const b: OrgBuild = { store, orgId: made.org.id, now, users: new Map([['admin', made.admin.id]]), records: new Map() };
    for (const [i, u] of listOf(spec.users, `${where}.users`).entries()) await addUser(b, u, `${where}.users[${i}]`);
    if (spec.records !== undefined && !isObj(spec.records)) throw new ScenarioError(`${where}.records: expected {Module: [records]}`);
    for (const [module, items] of Object.entries(spec.records ?? {})) await addRecords(b, module, listOf(items, `${where}.records.${module}`), `${where}.records.${module}`);
    for (const [i, r] of listOf(spec.relations, `${where}.relations`).entries()) await addRelation(b, r, `${where}.relations[${i}]`);
    for (const [i, t] of listOf(spec.tokens, `${where}.tokens`).entries()) await addToken(b, t, `${where}.tokens[${i}]`);
    await store.updateOrgSettings(b.orgId, settingsOf(spec, where));
    return (await store.exportOrg(b.orgId))!;
  } finally {
    await store.close();
  }
}

function settingsOf(spec: Obj, where: string): OrgSettings {
  const settings: OrgSettings = {};
  if (spec.private_modules !== undefined) {
    settings.privateModules = listOf(spec.private_modules, `${where}.private_modules`).map((m) => {
      const found = lookupModule(String(m));
      if (found.kind !== 'ok') throw new ScenarioError(`${where}.private_modules: unknown module ${String(m)}`);
      return found.module.apiName;
    });
  }
  if (spec.edition !== undefined) {
    const e = isObj(spec.edition) ? spec.edition : { edition: spec.edition };
    const edition = parseEdition(e.edition);
    if (!edition) throw new ScenarioError(`${where}.edition: expected Free, Standard, Professional, Enterprise or Ultimate`);
    settings.edition = edition;
    if (typeof e.users === 'number') settings.editionUsers = e.users;
    if (typeof e.credits === 'number') settings.editionCredits = e.credits;
  }
  return settings;
}

async function addUser(b: OrgBuild, u: unknown, where: string): Promise<void> {
  if (!isObj(u) || typeof u.email !== 'string') throw new ScenarioError(`${where}: expected {key?, email, name?, profile?, password?}`);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const made = await createUser(b.store, b.orgId, b.now, { email: u.email, name: str(u.name), profile: str(u.profile), password: str(u.password) });
  if ('error' in made) throw new ScenarioError(`${where}: ${made.error}`);
  b.users.set(str(u.key) ?? u.email, made.user.id);
}

async function addRecords(b: OrgBuild, moduleName: string, items: unknown[], where: string): Promise<void> {
  const found = lookupModule(moduleName);
  if (found.kind !== 'ok') throw new ScenarioError(`${where}: unknown module ${moduleName}`);
  const module = found.module;
  const fresh = await b.store.allocateIds(b.orgId, items.length);
  const records: StoredRecord[] = items.map((item, i) => {
    if (!isObj(item)) throw new ScenarioError(`${where}[${i}]: expected an object`);
    const { key, id, Owner, ...data } = item;
    if (id !== undefined && !isValidId(String(id))) throw new ScenarioError(`${where}[${i}].id: expected 1-19 digits`);
    for (const f of module.fields) {
      if (f.mandatory && f.dataType !== 'lookup' && (data[f.apiName] === undefined || data[f.apiName] === '')) {
        throw new ScenarioError(`${where}[${i}]: ${f.apiName} is required`);
      }
    }
    const owner = Owner === undefined ? b.users.get('admin')! : b.users.get(String(Owner));
    if (!owner) throw new ScenarioError(`${where}[${i}].Owner: no user ${String(Owner)}`);
    if (module.apiName === 'Leads' || module.apiName === 'Contacts') {
      data.Full_Name = [data.First_Name, data.Last_Name].filter((x) => typeof x === 'string' && x !== '').join(' ');
    }
    const recordId = id === undefined ? fresh[i] : normalizeId(String(id));
    b.records.set(typeof key === 'string' ? key : recordId, { id: recordId, module: module.apiName });
    b.records.set(recordId, { id: recordId, module: module.apiName });
    return { id: recordId, module: module.apiName, ownerId: owner, createdBy: owner, modifiedBy: owner, createdAt: b.now, modifiedAt: b.now, parentId: null, data };
  });
  try {
    await b.store.insertRecords(b.orgId, records);
  } catch {
    throw new ScenarioError(`${where}: a record id is used twice`);
  }
}

async function addRelation(b: OrgBuild, r: unknown, where: string): Promise<void> {
  if (!isObj(r)) throw new ScenarioError(`${where}: expected {record, related_list, related, data?}`);
  const parent = b.records.get(String(r.record));
  if (!parent) throw new ScenarioError(`${where}.record: no record ${String(r.record)}`);
  const parentModule = lookupModule(parent.module);
  const list = parentModule.kind === 'ok' ? lookupRelatedList(parentModule.module, String(r.related_list)) : undefined;
  if (!list || list.kind.type !== 'relation') throw new ScenarioError(`${where}.related_list: ${parent.module} has no linkable list ${String(r.related_list)}`);
  const related = (Array.isArray(r.related) ? r.related : [r.related]).map((k) => {
    const rec = b.records.get(String(k));
    if (!rec || rec.module !== list.module) throw new ScenarioError(`${where}.related: no ${list.module} record ${String(k)}`);
    return { id: rec.id, data: isObj(r.data) ? r.data : {} };
  });
  const target = { relation: list.kind.relation.name, side: list.kind.side, parentId: parent.id, relatedModule: list.module };
  await b.store.linkRelated(b.orgId, target, related, b.now);
}

async function addToken(b: OrgBuild, t: unknown, where: string): Promise<void> {
  if (!isObj(t) || typeof t.scope !== 'string') throw new ScenarioError(`${where}: expected {scope, user?, access_token?, refresh_token?, expires_in?}`);
  const userId = b.users.get(t.user === undefined ? 'admin' : String(t.user));
  if (!userId) throw new ScenarioError(`${where}.user: no user ${String(t.user)}`);
  const { client } = await createClient(b.store, b.orgId, b.now, { type: 'self', name: 'Scenario client' });
  const base = { clientId: client.clientId, orgId: b.orgId, userId, scopes: parseScopes(t.scope), parentHash: null, revoked: false, createdAt: b.now };
  const ttl = typeof t.expires_in === 'number' && t.expires_in > 0 ? t.expires_in * 1000 : 3600_000;
  if (typeof t.refresh_token === 'string') await b.store.saveToken({ ...base, hash: hashSecret(t.refresh_token), kind: 'refresh', expiresAt: null });
  if (typeof t.access_token === 'string') await b.store.saveToken({ ...base, hash: hashSecret(t.access_token), kind: 'access', expiresAt: b.now + ttl });
}
