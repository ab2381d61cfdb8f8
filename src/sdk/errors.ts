/** The errors the SDK throws. Each says what went wrong in words a caller can act on. */

/** Base class of every error thrown by the SDK. */
export class ZcrmError extends Error {
  override name = 'ZcrmError';
}

/**
 * A mistake in how the SDK was called, found before any request was sent: an id given as an
 * unsafe JavaScript number, a malformed id, a missing option.
 */
export class ZcrmUsageError extends ZcrmError {
  override name = 'ZcrmUsageError';
}

/** A Zoho error answer: `{"code","details","message","status":"error"}` with its HTTP status. */
export class ZcrmApiError extends ZcrmError {
  override name = 'ZcrmApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly body?: unknown,
  ) {
    super(`${code}: ${message} (HTTP ${status})`);
    this.zohoMessage = message;
  }

  /** The `message` field of Zoho's answer, as sent. */
  readonly zohoMessage: string;
}

/** HTTP 429 that retries could not get past (or that retries cannot help: daily credits used up). */
export class ZcrmRateLimitError extends ZcrmApiError {
  override name = 'ZcrmRateLimitError';
  constructor(status: number, code: string, message: string, details: Record<string, unknown>, body: unknown, readonly creditsRemaining?: number) {
    super(status, code, message, details, body);
  }
}

/** The accounts server refused to issue a token (`{"error":"invalid_code"}` and the like). */
export class ZcrmAuthError extends ZcrmError {
  override name = 'ZcrmAuthError';
  constructor(readonly code: string, message?: string) {
    super(message ?? `the accounts server refused the token request: ${code}`);
  }
}

/** The server could not be reached, or answered something that is not Zoho's API. */
export class ZcrmNetworkError extends ZcrmError {
  override name = 'ZcrmNetworkError';
}
