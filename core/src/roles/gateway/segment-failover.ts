/**
 * What the segment router does when an orchestrator fails a segment, by
 * go-livepeer's rules (server/broadcast.go), matched on the orchestrator's own
 * text (`remoteMessage`), case-insensitively:
 * - a non-retryable transcoder error (lpms' list: bad resolution, no video,
 *   unknown format/profile, bad GOP, ...) is the input's or the ladder's
 *   fault: stop, blame no one, and tell the caller in transcode.* terms;
 * - our own deposit or reserve not backing tickets stops too: no other
 *   orchestrator would be paid either (params one orchestrator sent that our
 *   limits refuse only move on to another, as go-livepeer drops that session);
 * - `TicketParams expired` and `Insufficient balance`: our session with it is
 *   stale (params ran out of blocks, or it forgot our credit): drop the session
 *   and retry the same orchestrator once with a fresh one (go-livepeer
 *   suspends on the latter; a fresh session costs one GetOrchestrator);
 * - a fee over the job's spend ceiling (ADR 0036): try another, blame no one;
 * - anything else (transport, refusal, result error, timeout, download,
 *   verification): suspend it and try another.
 */
import { errors, isLpxError, type LpxError } from '@lpx/sdk';

export type SegmentFailover = 'stop' | 'fresh-session' | 'try-another' | 'suspend-and-try-another';

/** lpms' non-retryable texts → what they say about the request. */
const NON_RETRYABLE: readonly (readonly [string, 'input' | 'profile' | 'backend'])[] = [
  ['TranscoderInvalidVideo', 'input'],
  ['TranscoderInvalidInput', 'input'],
  ['Decoder not found', 'input'],
  ['Invalid argument', 'input'],
  ['EmptyData', 'input'],
  ['TranscoderInvalidPixelformat', 'input'],
  ['TranscoderInvalidResolution', 'profile'],
  ['TranscoderUnrecognizedFormat', 'profile'],
  ['TranscoderUnrecognizedProfile', 'profile'],
  ['TranscoderInvalidGOP', 'profile'],
  ['TranscoderIncompatibleDevices', 'backend'],
  // An lpx orchestrator names its coded refusal of the input or the ladder.
  [errors.transcode.INPUT_INVALID.code, 'input'],
  [errors.transcode.PROFILE_INVALID.code, 'profile'],
];

const FRESH_SESSION = /ticketparams expired|insufficient balance/i;
/** Our own deposit or reserve cannot back tickets (go-livepeer's ErrSenderValidation, which stops the stream). */
const SENDER_SIDE = new Set<string>([errors.payments.SENDER_NOT_FUNDED.code]);

export function remoteMessageOf(error: unknown): string {
  const remote = (error as { details?: { remoteMessage?: unknown } } | undefined)?.details?.remoteMessage;
  return typeof remote === 'string' ? remote : error instanceof Error ? error.message : String(error);
}

function nonRetryable(text: string): 'input' | 'profile' | 'backend' | undefined {
  const lower = text.toLowerCase();
  return NON_RETRYABLE.find(([needle]) => lower.includes(needle.toLowerCase()))?.[1];
}

export function segmentFailover(error: unknown): SegmentFailover {
  if (errors.gateway.BUDGET_EXHAUSTED.is(error)) return 'stop';
  // Its fee is over the job's spend ceiling (ADR 0036): nothing was paid, a cheaper one may do.
  if (errors.plugin.PERMISSION_DENIED.is(error)) return 'try-another';
  if (isLpxError(error) && SENDER_SIDE.has(error.code)) return 'stop';
  const isTranscodeFailure = errors.gateway.SEGMENT_TRANSCODE_FAILED.is(error);
  const text = remoteMessageOf(error);
  if (isTranscodeFailure && nonRetryable(text) !== undefined) return 'stop';
  if (FRESH_SESSION.test(text) || (isLpxError(error) && error.code === errors.payments.TICKET_PARAMS_EXPIRED.code)) return 'fresh-session';
  return 'suspend-and-try-another';
}

/** The error a caller sees for a stop: the input's or the ladder's fault in transcode.* terms, else as it was. */
export function callerError(error: unknown): unknown {
  if (!errors.gateway.SEGMENT_TRANSCODE_FAILED.is(error)) return error;
  const text = remoteMessageOf(error);
  const kind = nonRetryable(text);
  const options = { cause: error as LpxError, details: { remoteMessage: text } };
  if (kind === 'input') return errors.transcode.INPUT_INVALID.create(`the orchestrator cannot transcode this segment: ${text}`, options);
  if (kind === 'profile') return errors.transcode.PROFILE_INVALID.create(`the orchestrator refused the ladder: ${text}`, options);
  if (kind === 'backend') return errors.transcode.FAILED.create(`the orchestrator's transcoder failed: ${text}`, options);
  return error;
}
