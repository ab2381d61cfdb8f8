/** Which data centre a request addresses, and the URLs each data centre answers with. */
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { Org } from '../store/store.js';
import { DEFAULT_DC, dcOfSettings, dcUrl, servedUnderDc, splitDcPrefix, type DataCentre, type DcPlace } from '../zoho/data-centres.js';
import type { AppContext } from './context.js';

/** Fastify `rewriteUrl`: `/dc/eu/crm/v2/…` is routed as `/crm/v2/…`; the original URL stays on the request. */
export function rewriteDcUrl(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const { dc, path } = splitDcPrefix(url);
  return dc !== DEFAULT_DC && servedUnderDc(path) ? path : url;
}

export function requestDc(request: FastifyRequest): DataCentre {
  const raw = request.raw as IncomingMessage & { originalUrl?: string };
  const { dc, path } = splitDcPrefix(raw.originalUrl ?? raw.url ?? '/');
  return servedUnderDc(path) ? dc : DEFAULT_DC;
}

export function orgDc(org: Org): DataCentre {
  return dcOfSettings(org.settings);
}

export function dcUrls(ctx: AppContext, dc: DataCentre): DcPlace {
  return { dc, apiDomain: dcUrl(ctx.config.apiDomain, dc), accountsUrl: dcUrl(ctx.config.accountsUrl, dc) };
}

/** The context a handler sees: the shared one, marked with the data centre the request came to. */
export function contextFor(ctx: AppContext, request: FastifyRequest): AppContext {
  const dc = requestDc(request);
  return dc === DEFAULT_DC ? ctx : { ...ctx, dc };
}

/** A path on this data centre's accounts server or API, as a page links to it. */
export function dcPath(dc: DataCentre, path: string): string {
  return dc === DEFAULT_DC ? path : `/dc/${dc}${path}`;
}
