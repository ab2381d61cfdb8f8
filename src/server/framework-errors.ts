/**
 * Mistakes that never reach a route — a path that is not valid percent-encoding, bytes that are
 * not HTTP — answered in Zoho's envelope like every other client mistake, instead of Fastify's own
 * `{"error","message","statusCode"}` shape.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { errors, type ZohoError } from '../zoho/errors.js';

/** Fastify `frameworkErrors`: the router could not decode the path, so it is no API path. */
export function onFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const e = error.code === 'FST_ERR_BAD_URL' ? errors.invalidUrlPattern() : errors.unableToParse();
  void reply.code(e.status).header('content-type', 'application/json;charset=utf-8').send(JSON.stringify(e.toJSON()));
}

/** Fastify `clientErrorHandler`: node's HTTP parser refused the request; answer once and close. */
export function onClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let e: ZohoError;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') e = errors.requestTimeout();
  else if (error.code === 'HPE_HEADER_OVERFLOW') e = errors.headersTooLarge();
  else e = errors.unableToParse();
  const body = JSON.stringify(e.toJSON());
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${e.status} ${reasonOf(e.status)}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`
      + `Content-Type: application/json;charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

function reasonOf(status: number): string {
  return status === 408 ? 'Request Timeout' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
}
