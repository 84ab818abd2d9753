/**
 * Replies as go-livepeer writes them on these routes: JSON bodies with
 * `application/json`, refusals as Go's `http.Error` (plain text, the message
 * and a newline) with the status of the error's catalogue code, and the code
 * itself in `Lpx-Error-Code` for lpx clients and logs. The one JSON refusal is
 * go-livepeer's: a challenge without a payer address (`respondJsonError`,
 * `{"error":{"message":...}}`).
 */
import { errors, isLpxError } from '@lpx/sdk';
import type { FastifyReply, FastifyRequest } from 'fastify';

export function sendJson(reply: FastifyReply, value: unknown, status = 200): FastifyReply {
  return reply.code(status).header('content-type', 'application/json').send(JSON.stringify(value));
}

export function sendRefusal(reply: FastifyReply, error: unknown, onUnexpected: (error: unknown) => void): FastifyReply {
  if (!isLpxError(error)) {
    onUnexpected(error);
    return reply.code(500).header('content-type', 'text/plain; charset=utf-8').send('Internal Server Error\n');
  }
  if (error.code === errors.liveRunner.PAYMENT_REQUIRED.code) {
    return reply.code(402).header('content-type', 'application/json').header('lpx-error-code', error.code).send(`${JSON.stringify({ error: { message: error.message } })}\n`);
  }
  return reply.code(error.status).header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').header('lpx-error-code', error.code).send(`${error.message}\n`);
}

export function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A JSON body from the raw bytes the control scope keeps; `empty` when there are none. */
export function jsonBody(request: FastifyRequest, empty: unknown, invalid: (message: string) => Error): unknown {
  const raw = request.body as Buffer | undefined;
  if (raw === undefined || raw.length === 0) return empty;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw invalid((error as Error).message);
  }
}
