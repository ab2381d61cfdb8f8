import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lookupModule, MODULES } from '../../src/zoho/modules.js';
import { lookupRelatedList, relatedListsOf, RELATIONS } from '../../src/zoho/relations.js';

const apiNameOf = (name: string): string | undefined => {
  const found = lookupModule(name);
  return found.kind === 'ok' ? found.module.apiName : undefined;
};

test('lookupModule matches module API names case-insensitively and answers the canonical spelling', () => {
  assert.equal(apiNameOf('Leads'), 'Leads');
  assert.equal(apiNameOf('leads'), 'Leads');
  assert.equal(apiNameOf('LEADS'), 'Leads');
  assert.equal(apiNameOf('price_books'), 'Price_Books');
  assert.equal(apiNameOf('nOtEs'), 'Notes');
});

test('lookupModule knows the old names Potentials and PriceBooks', () => {
  assert.equal(apiNameOf('Potentials'), 'Deals');
  assert.equal(apiNameOf('potentials'), 'Deals');
  assert.equal(apiNameOf('PriceBooks'), 'Price_Books');
});

test('lookupModule tells unsupported modules from unknown ones', () => {
  for (const name of ['Documents', 'Projects', 'Home', 'Feeds', 'documents']) assert.deepEqual(lookupModule(name), { kind: 'unsupported' });
  for (const name of ['Foo', '', 'Lead', 'Leads ', 'Price Books']) assert.deepEqual(lookupModule(name), { kind: 'unknown' });
});

test('the served modules are exactly the eight of SPEC §5', () => {
  assert.deepEqual(MODULES.map((m) => m.apiName), ['Leads', 'Contacts', 'Accounts', 'Deals', 'Campaigns', 'Products', 'Price_Books', 'Notes']);
});

test('mandatory fields per SPEC §5', () => {
  const mandatory = Object.fromEntries(MODULES.map((m) => [m.apiName, m.fields.filter((f) => f.mandatory).map((f) => f.apiName)]));
  assert.deepEqual(mandatory, {
    Leads: ['Last_Name'], Contacts: ['Last_Name'], Accounts: ['Account_Name'], Deals: ['Deal_Name', 'Stage'],
    Campaigns: ['Campaign_Name'], Products: ['Product_Name'], Price_Books: ['Price_Book_Name'], Notes: ['Note_Content', 'Parent_Id'],
  });
});

const mod = (name: string) => {
  const found = lookupModule(name);
  if (found.kind !== 'ok') throw new Error(name);
  return found.module;
};

test('lookupRelatedList matches case-insensitively (the seed calls /Leads/{id}/notes)', () => {
  assert.equal(lookupRelatedList(mod('Leads'), 'notes')?.apiName, 'Notes');
  assert.equal(lookupRelatedList(mod('Leads'), 'NOTES')?.apiName, 'Notes');
  assert.equal(lookupRelatedList(mod('Campaigns'), 'contacts')?.apiName, 'Contacts');
  assert.equal(lookupRelatedList(mod('Products'), 'price_books')?.apiName, 'Price_Books');
});

test('lookupRelatedList knows the aliases Potentials and PriceBooks under Products', () => {
  assert.equal(lookupRelatedList(mod('Products'), 'Potentials')?.apiName, 'Deals');
  assert.equal(lookupRelatedList(mod('Products'), 'potentials')?.module, 'Deals');
  assert.equal(lookupRelatedList(mod('Products'), 'PriceBooks')?.apiName, 'Price_Books');
  assert.equal(lookupRelatedList(mod('Products'), 'Attachments'), undefined);
  assert.equal(lookupRelatedList(mod('Leads'), 'Contacts'), undefined);
});

test('the seed\'s relations are linkable from both sides', () => {
  const linkable = (m: string) => relatedListsOf(mod(m)).filter((l) => l.kind.type === 'relation').map((l) => l.apiName).sort();
  assert.deepEqual(linkable('Campaigns'), ['Contacts', 'Leads']);
  assert.deepEqual(linkable('Products'), ['Accounts', 'Contacts', 'Deals', 'Leads', 'Price_Books']);
  assert.deepEqual(linkable('Leads'), ['Campaigns', 'Products']);
  assert.deepEqual(linkable('Contacts'), ['Campaigns', 'Products']);
  assert.deepEqual(linkable('Accounts'), ['Products']);
  assert.deepEqual(linkable('Deals'), ['Products']);
  assert.deepEqual(linkable('Price_Books'), ['Products']);
  assert.deepEqual(linkable('Notes'), []);
});

test('both sides of a relation name the same stored relation', () => {
  const rel = (m: string, l: string) => {
    const kind = lookupRelatedList(mod(m), l)?.kind;
    return kind?.type === 'relation' ? `${kind.relation.name}:${kind.side}` : undefined;
  };
  assert.equal(rel('Campaigns', 'Contacts'), 'campaign_contacts:left');
  assert.equal(rel('Contacts', 'Campaigns'), 'campaign_contacts:right');
  assert.equal(rel('Products', 'Price_Books'), 'product_price_books:left');
  assert.equal(rel('Price_Books', 'Products'), 'product_price_books:right');
  assert.equal(RELATIONS.length, 7);
});

test('relation data: Member_Status optional on campaigns, list_price mandatory on price books', () => {
  const fields = Object.fromEntries(RELATIONS.map((r) => [r.name, r.fields.map((f) => `${f.apiName}${f.mandatory ? '!' : ''}`)]));
  assert.deepEqual(fields, {
    campaign_leads: ['Member_Status'], campaign_contacts: ['Member_Status'], product_leads: [], product_accounts: [],
    product_contacts: [], product_deals: [], product_price_books: ['list_price!'],
  });
});
