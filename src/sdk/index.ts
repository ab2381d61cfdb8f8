/**
 * zcrm-local's TypeScript SDK for Zoho CRM's API (and a zcrm-local server): runs in Node 20+
 * and in browsers through `fetch`, with no dependency on the server's code.
 *
 * - `createClient(...)`: the idiomatic client (chunking, token renewal, retries, string ids).
 * - `ZCRM`, `ParameterMap`, `HeaderMap`: Zoho's JavaScript SDK surface, so its snippets run as written.
 */
export { createClient, ZcrmClient, type ClientOptions } from './client.js';
export { dataCentre, accountsUrlFor, type DataCentre, type DataCentreHosts } from './data-centres.js';
export { ZcrmError, ZcrmUsageError, ZcrmApiError, ZcrmRateLimitError, ZcrmAuthError, ZcrmNetworkError } from './errors.js';
export { toId, isZohoId, type IdLike } from './ids.js';
export { MemoryTokenStore, type TokenStore, type TokenSet, type TokenProvider, type AuthOptions } from './tokens.js';
export type { RetryOptions, ApiCall, RawResponse } from './transport.js';
export type { BulkReport, BulkOptions, ItemResult } from './bulk.js';
export type { DelinkReport, LinkItem, RelatedRecords } from './related-records.js';
export type { Records } from './records.js';
export type { ZohoRecord, Page, ListOptions } from './pages.js';
export { ZCRM } from './compat/zcrm.js';
export { ParameterMap, HeaderMap, Param, Header, Choice } from './compat/params.js';
export { APIResponse, ActionWrapper, ResponseWrapper, SuccessResponse, APIException, BodyWrapper, Record, Info, User } from './compat/models.js';
export type { InitializeOptions } from './compat/session.js';
