import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getModule } from '../../src/zoho/modules.js';
import {
  allowsModuleOperation, allowsOrgRead, allowsSettingsRead, allowsUsersRead, isWellFormedScope, normalizeScopes, parseScopes,
  type Operation,
} from '../../src/zoho/scopes.js';

const scopes = (raw: string) => normalizeScopes(parseScopes(raw));
const allows = (raw: string, module: string, op: Operation) => allowsModuleOperation(scopes(raw), getModule(module), op);

// SPEC §2: which operation types satisfy each operation, on the parent module of the URL.
const TABLE: Record<Operation, string[]> = {
  delink: ['ALL', 'WRITE', 'DELETE'],
  link: ['ALL', 'WRITE', 'UPDATE'],
  read: ['ALL', 'READ'],
  create: ['ALL', 'WRITE', 'CREATE'],
  update: ['ALL', 'WRITE', 'UPDATE'],
  delete: ['ALL', 'WRITE', 'DELETE'],
};
const TYPES = ['ALL', 'READ', 'CREATE', 'WRITE', 'UPDATE', 'DELETE'];

for (const [op, granted] of Object.entries(TABLE) as [Operation, string[]][]) {
  test(`${op} is allowed by exactly ${granted.join('/')} on the module`, () => {
    for (const type of TYPES) {
      assert.equal(allows(`ZohoCRM.modules.campaigns.${type}`, 'Campaigns', op), granted.includes(type), `${type} for ${op}`);
    }
  });
}

test('ZohoCRM.modules.ALL allows every operation on every module', () => {
  for (const op of Object.keys(TABLE) as Operation[]) {
    for (const m of ['Leads', 'Contacts', 'Accounts', 'Deals', 'Campaigns', 'Products', 'Price_Books', 'Notes']) {
      assert.equal(allows('ZohoCRM.modules.ALL', m, op), true);
    }
  }
});

test('a module scope allows only its own module', () => {
  assert.equal(allows('ZohoCRM.modules.leads.READ', 'Campaigns', 'delink'), false);
  assert.equal(allows('ZohoCRM.modules.leads.ALL', 'Campaigns', 'read'), false);
  assert.equal(allows('ZohoCRM.modules.leads.ALL', 'Leads', 'delink'), true);
  assert.equal(allows('ZohoCRM.settings.ALL', 'Leads', 'read'), false);
});

test('scope names are the module API name lower-cased without underscores', () => {
  assert.equal(getModule('Price_Books').scopeName, 'pricebooks');
  assert.equal(getModule('Deals').scopeName, 'deals');
  assert.equal(allows('ZohoCRM.modules.pricebooks.DELETE', 'Price_Books', 'delink'), true);
  assert.equal(allows('ZohoCRM.modules.price_books.DELETE', 'Price_Books', 'delink'), false);
  assert.equal(allows('ZohoCRM.modules.deals.WRITE', 'Deals', 'link'), true);
});

test('scopes compare case-insensitively', () => {
  assert.equal(allows('zohocrm.modules.all', 'Leads', 'delink'), true);
  assert.equal(allows('ZOHOCRM.MODULES.CAMPAIGNS.delete', 'Campaigns', 'delink'), true);
  assert.equal(allows('ZohoCRM.Modules.Campaigns.Read', 'Campaigns', 'read'), true);
});

test('parseScopes splits on commas and blanks and tolerates the seed\'s "scope=scope="', () => {
  assert.deepEqual(parseScopes('ZohoCRM.modules.ALL, ZohoCRM.settings.ALL'), ['ZohoCRM.modules.ALL', 'ZohoCRM.settings.ALL']);
  assert.deepEqual(parseScopes('scope=ZohoCRM.modules.leads.READ'), ['ZohoCRM.modules.leads.READ']);
  assert.deepEqual(parseScopes('scope=scope=ZohoCRM.modules.leads.READ,,'), ['ZohoCRM.modules.leads.READ']);
});

test('settings, users and org scopes', () => {
  assert.equal(allowsSettingsRead(scopes('ZohoCRM.settings.ALL'), 'related_lists'), true);
  assert.equal(allowsSettingsRead(scopes('ZohoCRM.settings.related_lists.READ'), 'related_lists'), true);
  assert.equal(allowsSettingsRead(scopes('ZohoCRM.settings.related_lists.READ'), 'fields'), false);
  assert.equal(allowsSettingsRead(scopes('ZohoCRM.modules.ALL'), 'modules'), false);
  assert.equal(allowsUsersRead(scopes('ZohoCRM.users.ALL')), true);
  assert.equal(allowsUsersRead(scopes('ZohoCRM.org.ALL')), false);
  assert.equal(allowsOrgRead(scopes('ZohoCRM.org.ALL')), true);
});

test('isWellFormedScope refuses nonsense', () => {
  assert.equal(isWellFormedScope('ZohoCRM.modules.ALL'), true);
  assert.equal(isWellFormedScope('ZohoCRM.settings.related_lists.READ'), true);
  assert.equal(isWellFormedScope('rm -rf'), false);
  assert.equal(isWellFormedScope('ZohoCRM'), false);
});
