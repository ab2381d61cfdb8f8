/**
 * Bounds against slow or broken clients: how long a request may take to arrive, how long an idle
 * connection lives, and Zoho-format answers for requests Node's HTTP parser refuses before
 * Fastify sees them (malformed, headers too large, too slow).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errors } from '../zoho/errors.js';

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

const CLIENT_ERRORS: Record<number, [string, string]> = {
  400: ['INVALID_REQUEST', 'the request could not be parsed'],
  408: ['REQUEST_TIMEOUT', 'the request did not arrive in time'],
  413: ['REQUEST_ENTITY_TOO_LARGE', 'the request is too large'],
  431: ['REQUEST_HEADER_FIELDS_TOO_LARGE', 'the request headers are too large'],
};

function statusOf(err: NodeJS.ErrnoException): number {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code === 'ERR_HTTP_HEADERS_TIMEOUT') return 408;
  if (err.code === 'HPE_HEADER_OVERFLOW') return 431;
  return 400;
}

/** Answers a request the HTTP parser refused with Zoho's error envelope, then closes the connection. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = statusOf(err);
  const [code, message] = CLIENT_ERRORS[status];
  const body = JSON.stringify({ code, details: {}, message, status: 'error' });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json;charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/**
 * Errors Fastify raises before routing (a URL that is not valid percent-encoding, …) get Zoho's
 * envelope too: a URL that cannot be read is no API path (INVALID_URL_PATTERN).
 */
function frameworkErrors(error: Error & { code?: string }, _request: FastifyRequest, reply: FastifyReply): void {
  const e = error.code === 'FST_ERR_BAD_URL' ? errors.invalidUrlPattern() : errors.unableToParse();
  reply.code(e.status).header('content-type', 'application/json;charset=utf-8').send(JSON.stringify(e.toJSON()));
}

/** Fastify server options: the timeouts above and Zoho-format answers for what Fastify or Node refuse. */
export function serverHardening(o: TimeoutOptions) {
  const requestTimeout = o.requestTimeout ?? 30_000;
  return {
    requestTimeout,
    keepAliveTimeout: o.keepAliveTimeout ?? 72_000,
    connectionTimeout: o.connectionTimeout ?? 180_000,
    clientErrorHandler,
    frameworkErrors,
    // Node checks for expired requests every connectionsCheckingInterval (30 s by default): check every second.
    http: { headersTimeout: Math.min(o.headersTimeout ?? 10_000, requestTimeout), connectionsCheckingInterval: 1000 },
  };
}
