/**
 * Refusals as go-livepeer writes them (Go's `http.Error`): plain text, the
 * error text plus a newline. Gateways read the body as the reason, so these
 * routes bypass the kernel's problem+json handler on purpose.
 */
import type { FastifyReply } from 'fastify';

export function sendPlainError(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .send(`${text}\n`);
}

/** go-livepeer's text when no transcoder is attached (core.ErrTranscoderAvail); here so the transcode kernel need not load the segment route. */
export const TRANSCODER_UNAVAILABLE_TEXT = 'ErrTranscoderUnavailable';

/** go-livepeer's body for every 500 it sends on these routes. */
export const INTERNAL_ERROR_TEXT = 'Internal Server Error';
