/**
 * Zoho's data centres: each has its own accounts server and API host (ZOHO-FACTS §1:
 * accounts.zoho.{com,eu,in,com.au,com.cn,jp,sa}, accounts.zohocloud.ca; www.zohoapis.{dc}).
 */
import { ZcrmUsageError } from './errors.js';

export type DataCentre = 'com' | 'eu' | 'in' | 'com.au' | 'jp' | 'ca' | 'sa' | 'com.cn';

export interface DataCentreHosts {
  accountsUrl: string;
  apiDomain: string;
}

// Canada's accounts server is the one host outside the accounts.zoho.{dc} pattern.
const ACCOUNTS_HOST: Record<DataCentre, string> = {
  com: 'accounts.zoho.com', eu: 'accounts.zoho.eu', in: 'accounts.zoho.in', 'com.au': 'accounts.zoho.com.au',
  jp: 'accounts.zoho.jp', ca: 'accounts.zohocloud.ca', sa: 'accounts.zoho.sa', 'com.cn': 'accounts.zoho.com.cn',
};

const ALIASES: Record<string, DataCentre> = { us: 'com', au: 'com.au', cn: 'com.cn' };

/**
 * The accounts URL and API domain of a data centre.
 *
 * @example
 * dataCentre('eu') // { accountsUrl: 'https://accounts.zoho.eu', apiDomain: 'https://www.zohoapis.eu' }
 */
export function dataCentre(name: string): DataCentreHosts {
  const key = (ALIASES[name.toLowerCase()] ?? name.toLowerCase()) as DataCentre;
  const accounts = ACCOUNTS_HOST[key];
  if (!accounts) throw new ZcrmUsageError(`unknown data centre "${name}"; use one of ${Object.keys(ACCOUNTS_HOST).join(', ')}`);
  return { accountsUrl: `https://${accounts}`, apiDomain: `https://www.zohoapis.${key}` };
}

/**
 * The accounts server that goes with an API domain: Zoho's for a `www.zohoapis.{dc}` host,
 * otherwise the API domain itself (a zcrm-local server is both).
 *
 * @example
 * accountsUrlFor('https://www.zohoapis.com.au') // 'https://accounts.zoho.com.au'
 * accountsUrlFor('http://127.0.0.1:8080')       // 'http://127.0.0.1:8080'
 */
export function accountsUrlFor(apiDomain: string): string {
  const m = /^https:\/\/www\.zohoapis\.([a-z.]+?)\/?$/i.exec(apiDomain);
  if (m && (m[1].toLowerCase() in ACCOUNTS_HOST)) return dataCentre(m[1]).accountsUrl;
  return apiDomain.replace(/\/+$/, '');
}
