/**
 * go-livepeer's 402 payment challenge of a priced runner (server/ai_http.go
 * runnerChallenge): `{payment_params, orchestrator, manifest_id,
 * payment_url}`, payment_params being a base64 protobuf OrchestratorInfo with
 * ticket params issued for the payer named in `Livepeer-Payer-Address`, a
 * `price_info` of `{price, 1}` and an auth token whose session id is the
 * manifest id (and the session id once reserved). Everything a payment will
 * rest on is checked here, so a malformed challenge is refused before a
 * single ticket is made: the price, the manifest id, the recipient (the
 * orchestrator's own address when it names one), and the payment URL.
 */
import { errors, type LpxError } from '@lpx/sdk';
import { addressKey } from '../../payments/index.js';
import type { OrchestratorInfo } from '../wire/types.js';
import { decodeOrchestratorInfo } from '../wire/orchestrator-codec.js';

export interface LiveRunnerChallenge {
  readonly info: OrchestratorInfo;
  /** The orchestrator's service URI as it names itself. */
  readonly orchestrator: string;
  /** = info.authToken.sessionId: the balance key, and the session id of the reservation. */
  readonly manifestId: string;
  /** Session-scoped: `…/apps/{route}/session/{manifestId}/payment`. */
  readonly paymentUrl: string;
  /** Wei per unit (go-livepeer's pixelsPerUnit is always 1 here). */
  readonly price: bigint;
}

/** Challenge bodies are small: an OrchestratorInfo and three strings. */
export const MAX_CHALLENGE_BYTES = 256 * 1024;

function refuse(source: string, message: string, details: Record<string, unknown> = {}): LpxError {
  return errors.liveRunner.CLIENT_FAILED.create(`${source}: malformed payment challenge: ${message}`, { details: { ...details, malformedChallenge: true } });
}

function httpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hash === '';
  } catch {
    return false;
  }
}

export function parseChallenge(text: string, source = 'orchestrator'): LiveRunnerChallenge {
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch {
    throw refuse(source, 'the body is not JSON');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw refuse(source, 'the body is not an object');
  const body = doc as Record<string, unknown>;
  for (const field of ['payment_params', 'orchestrator', 'manifest_id', 'payment_url']) {
    if (typeof body[field] !== 'string' || body[field] === '') throw refuse(source, `${field} is missing`, { field });
  }
  const params = body.payment_params as string;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(params)) throw refuse(source, 'payment_params is not base64', { field: 'payment_params' });
  let info: OrchestratorInfo;
  try {
    info = decodeOrchestratorInfo(Buffer.from(params, 'base64'));
  } catch (cause) {
    throw refuse(source, `payment_params is not an OrchestratorInfo: ${(cause as Error).message}`, { field: 'payment_params' });
  }
  const manifestId = body.manifest_id as string;
  if (info.authToken === undefined || info.authToken.sessionId !== manifestId) {
    throw refuse(source, `manifest_id ${JSON.stringify(manifestId)} is not the auth token's session id`, { field: 'manifest_id' });
  }
  const price = info.priceInfo;
  if (price === undefined || price.pricePerUnit <= 0n || price.pixelsPerUnit !== 1n) throw refuse(source, 'price_info must be a positive price per 1 unit', { field: 'price_info' });
  const ticket = info.ticketParams;
  if (ticket === undefined) throw refuse(source, 'no ticket params', { field: 'ticket_params' });
  if (ticket.recipient.length !== 20 || ticket.recipient.every((b) => b === 0)) throw refuse(source, 'the ticket recipient is not an address', { field: 'ticket_params.recipient' });
  if (info.address.length > 0 && addressKey(info.address) !== addressKey(ticket.recipient)) {
    throw refuse(source, 'the ticket recipient is not the orchestrator address', { field: 'ticket_params.recipient' });
  }
  const paymentUrl = body.payment_url as string;
  if (!httpUrl(paymentUrl)) throw refuse(source, `payment_url ${JSON.stringify(paymentUrl)} is not an absolute http(s) URL`, { field: 'payment_url' });
  return { info, orchestrator: body.orchestrator as string, manifestId, paymentUrl, price: price.pricePerUnit };
}
