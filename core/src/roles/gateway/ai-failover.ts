/**
 * What the AI router does when an orchestrator fails a request, by
 * go-livepeer's rules (server/ai_process.go processAIRequest), matched on
 * the orchestrator's text, case-insensitively:
 * - `ticketparams expired`: the same orchestrator again with fresh params,
 *   at most 3 tries there (maxSameSessTries);
 * - `invalid ticket sendernonce` or `insufficient capacity`: another one,
 *   without blame;
 * - a 400 that says the runner refused the request (`returned 400`), or an
 *   lpx orchestrator's coded refusal of the request: the request is at fault
 *   and the caller gets a 400 at once — without suspending the orchestrator
 *   (go-livepeer suspends it too; ADR 0034);
 * - our own refusals (the tenant's budget, our deposit) and cancellation stop;
 * - anything else: suspend it and try another.
 */
import { errors, isLpxError } from '@lpx/sdk';

export type AIFailover = 'same-again' | 'try-another' | 'bad-request' | 'stop' | 'suspend-and-try-another';

export function aiRemoteMessage(error: unknown): string {
  const remote = (error as { details?: { remoteMessage?: unknown } } | undefined)?.details?.remoteMessage;
  return typeof remote === 'string' ? remote : error instanceof Error ? error.message : String(error);
}

function remoteStatus(error: unknown): number | undefined {
  const status = (error as { details?: { status?: unknown } } | undefined)?.details?.status;
  return typeof status === 'number' ? status : undefined;
}

const REQUEST_CODES = [errors.ai.REQUEST_INVALID.code, errors.ai.LIMIT_EXCEEDED.code, errors.ai.MODEL_UNKNOWN.code];

export function aiFailover(error: unknown): AIFailover {
  if (errors.gateway.BUDGET_EXHAUSTED.is(error) || errors.ai.CANCELLED.is(error)) return 'stop';
  if (isLpxError(error) && error.code === errors.payments.SENDER_NOT_FUNDED.code) return 'stop';
  // Its fee is over the job's spend ceiling (ADR 0036): nothing was paid, a cheaper one may do.
  if (errors.plugin.PERMISSION_DENIED.is(error)) return 'try-another';
  const text = aiRemoteMessage(error).toLowerCase();
  if (text.includes('ticketparams expired') || (isLpxError(error) && error.code === errors.payments.TICKET_PARAMS_EXPIRED.code)) return 'same-again';
  if (text.includes('invalid ticket sendernonce') || text.includes('insufficient capacity')) return 'try-another';
  if (remoteStatus(error) === 400 && (text.includes('returned 400') || REQUEST_CODES.some((code) => text.includes(code.toLowerCase())))) return 'bad-request';
  return 'suspend-and-try-another';
}

/** What the caller sees for a request the orchestrator's runner refused: a 400 with the runner's detail. */
export function badRequestError(error: unknown): Error {
  const text = aiRemoteMessage(error);
  const at = text.toLowerCase().indexOf('returned 400');
  const detail = at >= 0 ? text.slice(at + 'returned 400'.length).trim() || 'bad request' : text;
  return errors.ai.REQUEST_INVALID.create(detail, { cause: error as Error, details: { remoteMessage: text } });
}
