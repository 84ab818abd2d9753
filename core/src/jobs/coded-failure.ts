/**
 * A coded error through a BullMQ job failure. BullMQ keeps only a failure's
 * text (`failedReason`), and a route job may fail in another process than
 * the one answering its caller, so the code, the HTTP status (when it is not
 * the code's own) and the detail travel in that text:
 *
 *   LPX_ERR_BYOC_INPUT_INVALID: body.prompt is required
 *   LPX_ERR_GATEWAY_REQUEST_REFUSED (404): no such route
 *
 * `finalFailure` wraps it in an UnrecoverableError (a request the caller got
 * wrong fails the same way on every retry); `codedErrorOf` rebuilds the
 * LpxError from a failedReason, or from LPX_ERR_JOBS_FAILED's details, for
 * the API that answers. The AI router's failures (`<code>: <message>`) read
 * back the same way.
 */
import { errors, isLpxError, listErrorCodes, type ErrorCode, type LpxError } from '@lpx/sdk';
import { UnrecoverableError } from 'bullmq';

const REASON = /^(LPX_ERR_[A-Z0-9_]+)(?: \(([1-5]\d\d)\))?: ([\s\S]*)$/;

let catalogue: Map<string, ErrorCode> | undefined;

function codeNamed(code: string): ErrorCode | undefined {
  catalogue ??= new Map(listErrorCodes().map((entry) => [entry.code, entry]));
  return catalogue.get(code);
}

/** The failure text for a coded error: its code, its status when not the code's own, its message. */
export function failureReason(error: LpxError): string {
  const own = codeNamed(error.code)?.status;
  return `${error.code}${own === error.status ? '' : ` (${error.status})`}: ${error.message}`;
}

/** Fails the job for good with the coded error in its text. */
export function finalFailure(error: LpxError): UnrecoverableError {
  return new UnrecoverableError(failureReason(error));
}

/** The coded error a failure text carries, when it names a code of the catalogue. */
export function errorFromReason(reason: string): LpxError | undefined {
  const match = REASON.exec(reason);
  if (match === null) return undefined;
  const code = codeNamed(match[1]!);
  if (code === undefined) return undefined;
  const status = match[2] === undefined ? undefined : Number(match[2]);
  return code.create(match[3]!, status === undefined || status === code.status ? {} : { status });
}

/**
 * The coded error behind a submitAndWait rejection: LPX_ERR_JOBS_FAILED
 * carries the job's failure text in `details.reason`. Anything else is
 * returned as it came.
 */
export function codedErrorOf(error: unknown): unknown {
  if (!errors.jobs.FAILED.is(error) || !isLpxError(error)) return error;
  const reason = error.details?.['reason'];
  return (typeof reason === 'string' ? errorFromReason(reason) : undefined) ?? error;
}
