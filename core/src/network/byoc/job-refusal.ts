/**
 * Which of an orchestrator's 4xx answers to `/process/request` blame the
 * client's request, and so go back to the client as they are (go-livepeer's
 * gateway returns every 4xx to its client and stops), and which are the
 * gateway's own business — payment, credit, signature, job id — that a
 * router handles by paying again or trying another orchestrator.
 *
 * - With `Lpx-Error-Code` (an lpx orchestrator): a code outside the
 *   orchestrator and payments areas (e.g. LPX_ERR_BYOC_INPUT_INVALID) blames
 *   the request; it keeps its code and the orchestrator's status.
 * - Without one (a go-livepeer orchestrator, or the app's own answer relayed
 *   by either): any 4xx whose text is not one of go-livepeer's orchestrator
 *   refusals (byoc/types.go, the payment texts) — i.e. the app's own 4xx —
 *   blames the request: LPX_ERR_GATEWAY_REQUEST_REFUSED with that status.
 */
import { errors, isLpxError, listErrorCodes, type ErrorCode, type LpxError } from '@lpx/sdk';

/** go-livepeer's orchestrator refusals, and the payment texts of both implementations. */
const GATEWAY_BUSINESS =
  /no timeout_seconds set|could not verify job creds|could not parse payment|insufficient balance|could not get job price|unable to unmarshal job request|ticketparams expired|invalid ticket sendernonce|invalid recipientrand|method not allowed/i;

const GATEWAY_CODE_AREAS = ['LPX_ERR_ORCHESTRATOR_', 'LPX_ERR_PAYMENTS_'];

let catalogue: Map<string, ErrorCode> | undefined;

function detail(error: LpxError, key: string): unknown {
  return error.details?.[key];
}

/** The coded error the client should get for this refusal, or undefined when it is not the request's fault. */
export function requestRefusal(error: unknown): LpxError | undefined {
  if (!errors.orchestrator.JOB_REFUSED.is(error) || !isLpxError(error)) return undefined;
  const status = detail(error, 'status');
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const rawText = detail(error, 'text');
  const text = typeof rawText === 'string' && rawText !== '' ? rawText : `the orchestrator answered ${status}`;
  const code = detail(error, 'code');
  if (typeof code === 'string') {
    if (GATEWAY_CODE_AREAS.some((area) => code.startsWith(area))) return undefined;
    catalogue ??= new Map(listErrorCodes().map((entry) => [entry.code, entry]));
    const known = catalogue.get(code);
    if (known !== undefined) return known.create(text, { status, cause: error, details: { orchestrator: detail(error, 'url') } });
  }
  if (GATEWAY_BUSINESS.test(text)) return undefined;
  return errors.gateway.REQUEST_REFUSED.create(text, { status, cause: error, details: { orchestrator: detail(error, 'url') } });
}
