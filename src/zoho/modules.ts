/**
 * The Zoho CRM modules this server serves, with the fields it knows about.
 * Names and labels follow Zoho's v2 metadata (ZOHO-FACTS.md §7); scope names are the
 * module API name lower-cased without underscores (ZOHO-FACTS.md §1.7).
 */
export type DataType =
  | 'text' | 'textarea' | 'email' | 'phone' | 'website' | 'picklist' | 'lookup' | 'ownerlookup'
  | 'datetime' | 'date' | 'currency' | 'double' | 'integer' | 'boolean' | 'bigint';

export interface FieldDef {
  apiName: string;
  label: string;
  dataType: DataType;
  mandatory?: boolean;
  readOnly?: boolean;
  lookup?: string;
  length?: number;
  picklist?: string[];
}

export interface ModuleDef {
  apiName: string;
  moduleName: string;
  singular: string;
  plural: string;
  id: string;
  scopeName: string;
  apiSupported: boolean;
  /** The field whose value names a record in lookups (`{name, id}`). */
  nameField?: string;
  fields: FieldDef[];
}

const system: FieldDef[] = [
  { apiName: 'Owner', label: 'Owner', dataType: 'ownerlookup' },
  { apiName: 'Created_By', label: 'Created By', dataType: 'ownerlookup', readOnly: true },
  { apiName: 'Modified_By', label: 'Modified By', dataType: 'ownerlookup', readOnly: true },
  { apiName: 'Created_Time', label: 'Created Time', dataType: 'datetime', readOnly: true },
  { apiName: 'Modified_Time', label: 'Modified Time', dataType: 'datetime', readOnly: true },
];

const text = (apiName: string, label: string, extra: Partial<FieldDef> = {}): FieldDef => ({
  apiName, label, dataType: 'text', length: 255, ...extra,
});

function mod(
  apiName: string, moduleName: string, singular: string, plural: string, idSuffix: number,
  nameField: string | undefined, fields: FieldDef[], withOwner = true,
): ModuleDef {
  return {
    apiName, moduleName, singular, plural,
    id: String(5725767000000002000n + BigInt(idSuffix)),
    scopeName: apiName.toLowerCase().replace(/_/g, ''),
    apiSupported: true,
    nameField,
    fields: [...fields, ...(withOwner ? system : system.slice(1))],
  };
}

const leadStatus = ['-None-', 'Attempted to Contact', 'Contact in Future', 'Contacted', 'Junk Lead', 'Lost Lead', 'Not Contacted', 'Pre-Qualified', 'Not Qualified'];

export const MODULES: ModuleDef[] = [
  mod('Leads', 'Leads', 'Lead', 'Leads', 175, 'Full_Name', [
    text('First_Name', 'First Name', { length: 40 }),
    text('Last_Name', 'Last Name', { mandatory: true, length: 80 }),
    text('Full_Name', 'Full Name', { readOnly: true }),
    text('Company', 'Company', { length: 200 }),
    { apiName: 'Email', label: 'Email', dataType: 'email', length: 100 },
    { apiName: 'Phone', label: 'Phone', dataType: 'phone', length: 30 },
    { apiName: 'Lead_Status', label: 'Lead Status', dataType: 'picklist', picklist: leadStatus },
    { apiName: 'Description', label: 'Description', dataType: 'textarea', length: 32000 },
  ]),
  mod('Contacts', 'Contacts', 'Contact', 'Contacts', 179, 'Full_Name', [
    text('First_Name', 'First Name', { length: 40 }),
    text('Last_Name', 'Last Name', { mandatory: true, length: 80 }),
    text('Full_Name', 'Full Name', { readOnly: true }),
    { apiName: 'Email', label: 'Email', dataType: 'email', length: 100 },
    { apiName: 'Phone', label: 'Phone', dataType: 'phone', length: 30 },
    { apiName: 'Account_Name', label: 'Account Name', dataType: 'lookup', lookup: 'Accounts' },
    { apiName: 'Description', label: 'Description', dataType: 'textarea', length: 32000 },
  ]),
  mod('Accounts', 'Accounts', 'Account', 'Accounts', 177, 'Account_Name', [
    text('Account_Name', 'Account Name', { mandatory: true, length: 200 }),
    { apiName: 'Website', label: 'Website', dataType: 'website', length: 255 },
    { apiName: 'Phone', label: 'Phone', dataType: 'phone', length: 30 },
    { apiName: 'Annual_Revenue', label: 'Annual Revenue', dataType: 'currency' },
    { apiName: 'Description', label: 'Description', dataType: 'textarea', length: 32000 },
  ]),
  mod('Deals', 'Deals', 'Deal', 'Deals', 181, 'Deal_Name', [
    text('Deal_Name', 'Deal Name', { mandatory: true, length: 120 }),
    { apiName: 'Stage', label: 'Stage', dataType: 'picklist', mandatory: true,
      picklist: ['Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost', 'Closed Lost to Competition'] },
    { apiName: 'Amount', label: 'Amount', dataType: 'currency' },
    { apiName: 'Closing_Date', label: 'Closing Date', dataType: 'date' },
    { apiName: 'Account_Name', label: 'Account Name', dataType: 'lookup', lookup: 'Accounts' },
    { apiName: 'Contact_Name', label: 'Contact Name', dataType: 'lookup', lookup: 'Contacts' },
    { apiName: 'Description', label: 'Description', dataType: 'textarea', length: 32000 },
  ]),
  mod('Campaigns', 'Campaigns', 'Campaign', 'Campaigns', 189, 'Campaign_Name', [
    text('Campaign_Name', 'Campaign Name', { mandatory: true, length: 120 }),
    { apiName: 'Type', label: 'Type', dataType: 'picklist', picklist: ['-None-', 'Conference', 'Webinar', 'Trade Show', 'Public Relations', 'Partners', 'Referral Program', 'Advertisement', 'Banner Ads', 'Direct mail', 'Email', 'Telemarketing', 'Others'] },
    { apiName: 'Status', label: 'Status', dataType: 'picklist', picklist: ['-None-', 'Planning', 'Active', 'Inactive', 'Complete'] },
    { apiName: 'Start_Date', label: 'Start Date', dataType: 'date' },
    { apiName: 'End_Date', label: 'End Date', dataType: 'date' },
    { apiName: 'Description', label: 'Description', dataType: 'textarea', length: 32000 },
  ]),
  mod('Products', 'Products', 'Product', 'Products', 183, 'Product_Name', [
    text('Product_Name', 'Product Name', { mandatory: true, length: 120 }),
    text('Product_Code', 'Product Code', { length: 40 }),
    { apiName: 'Unit_Price', label: 'Unit Price', dataType: 'currency' },
    { apiName: 'Product_Active', label: 'Product Active', dataType: 'boolean' },
    { apiName: 'Description', label: 'Description', dataType: 'textarea', length: 32000 },
  ]),
  mod('Price_Books', 'PriceBooks', 'Price Book', 'Price Books', 187, 'Price_Book_Name', [
    text('Price_Book_Name', 'Price Book Name', { mandatory: true, length: 50 }),
    { apiName: 'Active', label: 'Active', dataType: 'boolean' },
    { apiName: 'Description', label: 'Description', dataType: 'textarea', length: 32000 },
  ]),
  mod('Notes', 'Notes', 'Note', 'Notes', 147, 'Note_Title', [
    text('Note_Title', 'Note Title', { length: 120 }),
    { apiName: 'Note_Content', label: 'Note Content', dataType: 'textarea', mandatory: true, length: 32000 },
    { apiName: 'Parent_Id', label: 'Parent ID', dataType: 'lookup', mandatory: true },
  ]),
];

/** Modules Zoho lists but does not serve through the API (seed: "not supported in API"). */
export const UNSUPPORTED_MODULES = ['Home', 'Feeds', 'Documents', 'Projects', 'SalesInbox', 'Reports', 'Dashboards', 'Analytics', 'Social', 'Visits'];

/** Old names Zoho still writes in its docs (the seed's "Potentials"). */
const ALIASES: Record<string, string> = { potentials: 'Deals', pricebooks: 'Price_Books' };

const byLower = new Map<string, ModuleDef>(MODULES.map((m) => [m.apiName.toLowerCase(), m]));
const unsupportedLower = new Set(UNSUPPORTED_MODULES.map((m) => m.toLowerCase()));

export type ModuleLookup = { kind: 'ok'; module: ModuleDef } | { kind: 'unsupported' } | { kind: 'unknown' };

/** Module API names match case-insensitively (SPEC §1, decided). */
export function lookupModule(name: string): ModuleLookup {
  const lower = name.toLowerCase();
  const found = byLower.get(lower) ?? byLower.get(ALIASES[lower]?.toLowerCase() ?? '');
  if (found) return { kind: 'ok', module: found };
  if (unsupportedLower.has(lower)) return { kind: 'unsupported' };
  return { kind: 'unknown' };
}

export function getModule(apiName: string): ModuleDef {
  const found = byLower.get(apiName.toLowerCase());
  if (!found) throw new Error(`unknown module ${apiName}`);
  return found;
}

export function fieldOf(module: ModuleDef, apiName: string): FieldDef | undefined {
  return module.fields.find((f) => f.apiName === apiName);
}
