/**
 * Bounds against slow or broken clients: how long a request may take to arrive, how long an idle
 * connection lives, and Zoho-format answers for requests Node's HTTP parser refuses before
 * Fastify sees them (malformed, headers too large, too slow).
 */
import { onClientError, onFrameworkError } from './framework-errors.js';

export interface TimeoutOptions {
  /** Milliseconds for a whole request (headers and body) to arrive (default 30 000). */
  requestTimeout?: number;
  /** Milliseconds for the headers to arrive (default 10 000, at most requestTimeout). */
  headersTimeout?: number;
  /** Milliseconds an idle keep-alive connection is kept (default 72 000, above common load balancers' 60 s). */
  keepAliveTimeout?: number;
  /** Milliseconds of socket inactivity before it is closed (default 180 000, above the longest fault latency). */
  connectionTimeout?: number;
}

/** Fastify server options: the timeouts above and Zoho-format answers for what Fastify or Node refuse. */
export function serverHardening(o: TimeoutOptions) {
  const requestTimeout = o.requestTimeout ?? 30_000;
  return {
    requestTimeout,
    keepAliveTimeout: o.keepAliveTimeout ?? 72_000,
    connectionTimeout: o.connectionTimeout ?? 180_000,
    clientErrorHandler: onClientError,
    frameworkErrors: onFrameworkError,
    // Node checks for expired requests every connectionsCheckingInterval (30 s by default): check every second.
    http: { headersTimeout: Math.min(o.headersTimeout ?? 10_000, requestTimeout), connectionsCheckingInterval: 1000 },
  };
}
