/**
 * The one catalogue of errors a client can see. Codes, HTTP statuses and messages
 * follow the founding document (seed/delink-related-records.txt) and SPEC.md §2–4.
 */
export type Details = Record<string, unknown>;

export class ZohoError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Details = {},
  ) {
    super(message);
  }

  toJSON(): { code: string; details: Details; message: string; status: 'error' } {
    return { code: this.code, details: this.details, message: this.message, status: 'error' };
  }
}

export type Action = 'delete' | 'update' | 'create' | 'read';

export const errors = {
  invalidUrlPattern: () =>
    new ZohoError(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one'),
  invalidRequestMethod: () =>
    new ZohoError(400, 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one'),
  authenticationFailure: () => new ZohoError(401, 'AUTHENTICATION_FAILURE', 'Authentication failed'),
  invalidToken: () => new ZohoError(401, 'INVALID_TOKEN', 'invalid oauth token'),
  /** Seed: "Unauthorized" on v2. */
  oauthScopeMismatch: () => new ZohoError(401, 'OAUTH_SCOPE_MISMATCH', 'Unauthorized'),
  invalidModule: (index = 0) =>
    new ZohoError(400, 'INVALID_MODULE', 'The module name given seems to be invalid', { resource_path_index: index }),
  moduleNotSupported: (index = 0) =>
    new ZohoError(400, 'INVALID_MODULE', 'The given module is not supported in API', { resource_path_index: index }),
  noPermission: (action: Action, permission: string) =>
    new ZohoError(403, 'NO_PERMISSION', `Permission denied to ${action} records`, { permissions: [permission] }),
  authorizationFailed: (action: Action, what = 'related records') =>
    new ZohoError(400, 'AUTHORIZATION_FAILED', `User does not have sufficient privilege to ${action} ${what} data`),
  unableToParse: () =>
    new ZohoError(400, 'UNABLE_TO_PARSE_DATA_TYPE', 'either the request body or parameters is in wrong format'),
  mandatoryParamMissing: (param: string) =>
    new ZohoError(400, 'MANDATORY_NOT_FOUND', 'One of the expected parameter is missing', { param_name: param }),
  /** Zoho names the parameter `param` on metadata calls and `param_name` on the Records API (ZOHO-FACTS §4, §5). */
  requiredParamMissing: (param: string, key: 'param' | 'param_name' = 'param') =>
    new ZohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { [key]: param }),
  idsLimitExceeded: (limit = 100) =>
    new ZohoError(400, 'LIMIT_EXCEEDED', `Limit Exceeded, You cannot give more than ${limit} record ids`, {
      limit: String(limit),
      param_name: 'ids',
    }),
  recordsLimitExceeded: (limit = 100) =>
    new ZohoError(400, 'LIMIT_EXCEEDED', `Limit Exceeded, You cannot give more than ${limit} records`, {
      limit: String(limit),
      api_name: 'data',
    }),
  invalidRecordId: (index = 1) =>
    new ZohoError(400, 'INVALID_DATA', 'the id given seems to be invalid', { resource_path_index: index }),
  invalidRelationName: (index = 2) =>
    new ZohoError(400, 'INVALID_DATA', 'the relation name given seems to be invalid', { resource_path_index: index }),
  invalidParam: (param: string, expected?: string) =>
    new ZohoError(400, 'INVALID_DATA', 'the given parameter is invalid', expected ? { param_name: param, expected_data_type: expected } : { param_name: param }),
  invalidBody: () => new ZohoError(400, 'INVALID_DATA', 'the request body is not valid', {}),
  bodyTooLarge: (limit: number) =>
    new ZohoError(413, 'REQUEST_ENTITY_TOO_LARGE', 'the request body is too large', { maximum_length: limit }),
  /** Not Zoho's (its front end answers these itself); our envelope so clients parse one shape. */
  requestTimeout: () => new ZohoError(408, 'REQUEST_TIMEOUT', 'the request did not arrive in time'),
  headersTooLarge: () => new ZohoError(431, 'REQUEST_HEADER_FIELDS_TOO_LARGE', 'the request headers are too large'),
  tooManyRequests: (message = 'You have exceeded the number of API calls allowed') =>
    new ZohoError(429, 'TOO_MANY_REQUESTS', message),
  internalError: () => new ZohoError(500, 'INTERNAL_ERROR', 'Internal Server Error'),
} as const;
