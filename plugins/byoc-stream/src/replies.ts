/**
 * Replies as go-livepeer's `http.Error` writes them (plain text and a newline:
 * go-livepeer gateways log or match that text), with the lpx code in
 * `Lpx-Error-Code` for lpx gateways and logs — as the kernel's BYOC routes do.
 */
import { isLpxError, type FastifyReply } from '@lpx/sdk';

export const ERROR_CODE_HEADER = 'Lpx-Error-Code';
export const BALANCE_HEADER = 'Livepeer-Balance';

export function refuse(reply: FastifyReply, status: number, text: string, code?: string): FastifyReply {
  reply.code(status).header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff');
  if (code !== undefined) reply.header(ERROR_CODE_HEADER, code);
  return reply.send(`${text}\n`);
}

/** An LpxError with `status` (default: its own) and an optional go-livepeer prefix; anything else a 500 without internals. */
export function refuseError(reply: FastifyReply, error: unknown, options: { readonly status?: number; readonly prefix?: string } = {}): FastifyReply {
  const prefix = options.prefix ?? '';
  if (isLpxError(error)) return refuse(reply, options.status ?? error.status, prefix + error.message, error.code);
  reply.log.error({ err: error }, 'byoc-stream: unexpected error');
  return refuse(reply, options.status ?? 500, `${prefix}internal error`);
}

export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
