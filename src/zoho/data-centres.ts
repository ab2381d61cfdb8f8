/**
 * Zoho's data centres (ZOHO-FACTS §1.1): each has its own accounts server and API domain, and a
 * token from one is unknown to the others. One zcrm-local server acts as all of them: `us` at
 * the server's own URLs, every other one under the path prefix `/dc/{location}`.
 */
export const DATA_CENTRES = ['us', 'eu', 'in', 'au', 'cn', 'jp', 'ca', 'sa'] as const;
export type DataCentre = (typeof DATA_CENTRES)[number];

export const DEFAULT_DC: DataCentre = 'us';

export function isDataCentre(value: unknown): value is DataCentre {
  return typeof value === 'string' && (DATA_CENTRES as readonly string[]).includes(value);
}

const PREFIX_RE = /^\/dc\/([a-z]{2})(?=\/)/;

/** The data centre a raw request path names, and the path without its prefix. */
export function splitDcPrefix(url: string): { dc: DataCentre; path: string } {
  const m = PREFIX_RE.exec(url);
  if (!m || !isDataCentre(m[1]) || m[1] === DEFAULT_DC) return { dc: DEFAULT_DC, path: url };
  return { dc: m[1], path: url.slice(m[0].length) };
}

/** Only Zoho's own surfaces exist per data centre; the admin surface stays at the root. */
export function servedUnderDc(path: string): boolean {
  return path.startsWith('/crm/') || path.startsWith('/oauth/');
}

/** The public URL of a data centre, given the server's `us` URL. */
export function dcUrl(base: string, dc: DataCentre): string {
  return dc === DEFAULT_DC ? base : `${base}/dc/${dc}`;
}

/** An org's data centre lives in its settings (`dc`); orgs made before data centres existed are `us`. */
export function dcOfSettings(settings: Record<string, unknown>): DataCentre {
  return isDataCentre(settings.dc) ? settings.dc : DEFAULT_DC;
}

/** Where one data centre lives: what its token answers and redirects name. */
export interface DcPlace {
  dc: DataCentre;
  apiDomain: string;
  accountsUrl: string;
}
