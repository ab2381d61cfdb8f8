/**
 * Related lists per module, and the symmetric relations behind the linkable ones.
 * Supported relations (seed): Campaigns → Leads, Contacts; Products → Leads, Accounts,
 * Contacts, Potentials (Deals), Price Books. Each relation is one stored fact, seen from both sides.
 */
import { getModule, type FieldDef, type ModuleDef } from './modules.js';

export interface RelationDef {
  name: string;
  left: string;
  right: string;
  /** Fields carried on the relation itself. */
  fields: FieldDef[];
}

export const RELATIONS: RelationDef[] = [
  { name: 'campaign_leads', left: 'Campaigns', right: 'Leads', fields: [memberStatus()] },
  { name: 'campaign_contacts', left: 'Campaigns', right: 'Contacts', fields: [memberStatus()] },
  { name: 'product_leads', left: 'Products', right: 'Leads', fields: [] },
  { name: 'product_accounts', left: 'Products', right: 'Accounts', fields: [] },
  { name: 'product_contacts', left: 'Products', right: 'Contacts', fields: [] },
  { name: 'product_deals', left: 'Products', right: 'Deals', fields: [] },
  {
    name: 'product_price_books', left: 'Products', right: 'Price_Books',
    fields: [{ apiName: 'list_price', label: 'List Price', dataType: 'currency', mandatory: true }],
  },
];

function memberStatus(): FieldDef {
  return {
    apiName: 'Member_Status', label: 'Member Status', dataType: 'picklist',
    picklist: ['-None-', 'Planned', 'Invited', 'Sent', 'Received', 'Opened', 'Responded', 'Bounced', 'Opted Out'],
  };
}

export type RelatedListKind =
  /** A many-to-many relation that links and delinks. */
  | { type: 'relation'; relation: RelationDef; side: 'left' | 'right' }
  /** Notes attached to the parent through Parent_Id. */
  | { type: 'notes' }
  /** Records of another module whose lookup field points at the parent (list only). */
  | { type: 'lookup'; field: string };

export interface RelatedListDef {
  apiName: string;
  displayLabel: string;
  module: string;
  kind: RelatedListKind;
  id: string;
  aliases?: string[];
}

function relationList(parent: string, apiName: string, relName: string, aliases?: string[]): RelatedListDef {
  const relation = RELATIONS.find((r) => r.name === relName)!;
  const side = relation.left === parent ? 'left' : 'right';
  const module = side === 'left' ? relation.right : relation.left;
  return { apiName, displayLabel: getModule(module).plural, module, kind: { type: 'relation', relation, side }, id: '', aliases };
}

const notes = (): RelatedListDef => ({ apiName: 'Notes', displayLabel: 'Notes', module: 'Notes', kind: { type: 'notes' }, id: '' });
const lookup = (apiName: string, module: string, field: string): RelatedListDef => ({
  apiName, displayLabel: getModule(module).plural, module, kind: { type: 'lookup', field }, id: '',
});

const LISTS: Record<string, RelatedListDef[]> = {
  Leads: [notes(), relationList('Leads', 'Campaigns', 'campaign_leads'), relationList('Leads', 'Products', 'product_leads')],
  Contacts: [
    notes(), lookup('Deals', 'Deals', 'Contact_Name'),
    relationList('Contacts', 'Campaigns', 'campaign_contacts'), relationList('Contacts', 'Products', 'product_contacts'),
  ],
  Accounts: [
    notes(), lookup('Contacts', 'Contacts', 'Account_Name'), lookup('Deals', 'Deals', 'Account_Name'),
    relationList('Accounts', 'Products', 'product_accounts'),
  ],
  Deals: [notes(), relationList('Deals', 'Products', 'product_deals')],
  Campaigns: [
    relationList('Campaigns', 'Leads', 'campaign_leads'), relationList('Campaigns', 'Contacts', 'campaign_contacts'), notes(),
  ],
  Products: [
    notes(), relationList('Products', 'Leads', 'product_leads'), relationList('Products', 'Accounts', 'product_accounts'),
    relationList('Products', 'Contacts', 'product_contacts'), relationList('Products', 'Deals', 'product_deals', ['Potentials']),
    relationList('Products', 'Price_Books', 'product_price_books', ['PriceBooks']),
  ],
  Price_Books: [notes(), relationList('Price_Books', 'Products', 'product_price_books')],
  Notes: [],
};

// Stable ids for related-list metadata, derived from position.
for (const [moduleName, lists] of Object.entries(LISTS)) {
  const base = 5725767000000003000n + BigInt(Object.keys(LISTS).indexOf(moduleName)) * 20n;
  lists.forEach((l, i) => { l.id = String(base + BigInt(i)); });
}

export function relatedListsOf(module: ModuleDef): RelatedListDef[] {
  return LISTS[module.apiName] ?? [];
}

/** Related-list API names match case-insensitively (SPEC §1: the seed's own sample calls `/Leads/{id}/notes`). */
export function lookupRelatedList(module: ModuleDef, name: string): RelatedListDef | undefined {
  const lower = name.toLowerCase();
  return relatedListsOf(module).find(
    (l) => l.apiName.toLowerCase() === lower || (l.aliases ?? []).some((a) => a.toLowerCase() === lower),
  );
}

export function relationsOfModule(apiName: string): RelationDef[] {
  return RELATIONS.filter((r) => r.left === apiName || r.right === apiName);
}
