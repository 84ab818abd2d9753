/**
 * Refusals as go-livepeer's http.Error writes them: plain text plus a newline,
 * because go-livepeer gateways decide retries by substring-matching that text.
 * The lpx code rides along in a header for lpx gateways and logs.
 */
import { isLpxError } from '@lpx/sdk';
import type { FastifyReply } from 'fastify';

export const ERROR_CODE_HEADER = 'Lpx-Error-Code';

export function refuse(reply: FastifyReply, status: number, text: string, code?: string): FastifyReply {
  reply.code(status).header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff');
  if (code !== undefined) reply.header(ERROR_CODE_HEADER, code);
  return reply.send(`${text}\n`);
}

/** An LpxError with its own status; anything else is a 500 without internals. */
export function refuseError(reply: FastifyReply, error: unknown, status?: number, prefix = ''): FastifyReply {
  if (isLpxError(error)) return refuse(reply, status ?? error.status, prefix + error.message, error.code);
  reply.log.error({ err: error }, 'byoc: unexpected error');
  return refuse(reply, status ?? 500, `${prefix}internal error`);
}

/** First value of a request header (node joins or repeats duplicates). */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
