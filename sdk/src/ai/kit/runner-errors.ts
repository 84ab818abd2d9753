import { errors } from '../../errors/catalogue.js';
import type { LpxError } from '../../errors/lpx-error.js';

/**
 * The runner's own words for a failure: `{detail:{msg}}` (400/401/500...),
 * FastAPI's 422 list `{detail:[{loc, msg}]}`, or whatever text it sent.
 */
export function runnerMessage(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { detail?: unknown; error?: unknown };
    const detail = body.detail;
    if (detail && typeof detail === 'object' && !Array.isArray(detail) && typeof (detail as { msg?: unknown }).msg === 'string') {
      return (detail as { msg: string }).msg;
    }
    if (Array.isArray(detail)) {
      return detail
        .map((d: { loc?: unknown; msg?: unknown }) => `${Array.isArray(d?.loc) ? d.loc.join('.') : '?'}: ${typeof d?.msg === 'string' ? d.msg : JSON.stringify(d)}`)
        .join('; ');
    }
    if (typeof detail === 'string') return detail;
    if (body.error && typeof body.error === 'object' && typeof (body.error as { message?: unknown }).message === 'string') {
      return (body.error as { message: string }).message;
    }
  } catch {
    // not JSON: the text itself is the message
  }
  const trimmed = text.trim().slice(0, 500);
  return trimmed === '' ? `HTTP ${status}` : trimmed;
}

/** A runner's non-2xx answer: RUNNER_FAILED carrying the runner's message and status. */
export function runnerStatusError(pipeline: string, status: number, text: string): LpxError {
  const message = runnerMessage(status, text);
  return errors.ai.RUNNER_FAILED.create(`${pipeline} runner answered ${status}: ${message}`, { details: { runnerStatus: status, runnerMessage: message } });
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function isTimeoutReason(reason: unknown): boolean {
  return (reason instanceof Error && reason.name === 'TimeoutError') || errors.ai.RUNNER_TIMEOUT.is(reason);
}

/**
 * A failure talking to the runner, as a coded error. The caller's signal
 * decides first: aborted by a timeout is RUNNER_TIMEOUT, any other abort is
 * CANCELLED (the caller went away). A refused connection means no runner is
 * listening (RUNNER_UNAVAILABLE: the kernel may try another); a reset or a
 * body cut short mid-answer means it died on the request (RUNNER_FAILED).
 */
export function runnerTransportError(pipeline: string, error: unknown, signal: AbortSignal): LpxError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (isTimeoutReason(reason)) {
      return errors.ai.RUNNER_TIMEOUT.create(`${pipeline} runner did not answer in time`, { cause: reason });
    }
    return errors.ai.CANCELLED.create(`${pipeline} request cancelled`, { cause: reason });
  }
  if (error && typeof error === 'object' && 'code' in error && typeof (error as LpxError).code === 'string' && (error as LpxError).code.startsWith('LPX_ERR_')) {
    return error as LpxError;
  }
  const code = causeCode(error);
  const text = error instanceof Error ? `${error.message}${code ? ` (${code})` : ''}` : String(error);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    return errors.ai.RUNNER_UNAVAILABLE.create(`${pipeline} runner unreachable: ${text}`, { cause: error, details: { reason: code } });
  }
  return errors.ai.RUNNER_FAILED.create(`${pipeline} runner connection failed: ${text}`, { cause: error, ...(code ? { details: { reason: code } } : {}) });
}
