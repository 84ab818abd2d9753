/**
 * The part /payment and /segment share, in go-livepeer's order and with its
 * status codes: the Livepeer-Payment header (402), the segment credentials
 * (403), a fresh OrchestratorInfo for the reply (500), then the payment itself
 * (400). Each step answers the gateway itself on failure, so a route only
 * continues with a request that has paid.
 */
import { isLpxError } from '@lpx/sdk';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LivepeerCapabilitiesInput } from '../../capabilities/index.js';
import { decodePaymentHeaderValue, type Address, type Payment, type PaymentProcessor, type PaymentReceipt, type Recipient, type SignatureVerifier } from '../../payments/index.js';
import type { AuthTokenIssuer } from '../auth/auth-token.js';
import type { OrchestratorInfo } from '../wire/types.js';
import { INTERNAL_ERROR_TEXT, sendPlainError } from './plain-reply.js';
import { verifySegmentCredentials, type SegmentCredentials } from './segment-credentials.js';

export const PAYMENT_HEADER = 'livepeer-payment';
export const SEGMENT_HEADER = 'livepeer-segment';

export interface PaidRouteDeps {
  readonly authTokens: AuthTokenIssuer;
  /** This node's advertised capabilities (read per request). */
  readonly orchestratorCapabilities: () => LivepeerCapabilitiesInput;
  /** False when taking `sessionId` on would exceed the session limit. */
  readonly hasCapacity: (sessionId: string) => boolean;
  /** Fresh OrchestratorInfo for (sender, auth session id): new ticket params at the session's price. */
  readonly buildInfo: (sender: Address, sessionId: string) => Promise<OrchestratorInfo>;
  /**
   * Absent on an offchain node: payments are not checked, signatures neither
   * (go-livepeer without Eth). The recipient's ticket EV is the credit a
   * session must hold before paid work starts.
   */
  readonly payments?: PaidRoutePayments;
  readonly verifier?: SignatureVerifier;
}

export interface PaidRoutePayments {
  readonly processor: PaymentProcessor;
  readonly recipient: Pick<Recipient, 'ev'>;
}

export interface PaidRequest {
  readonly payment: Payment;
  /** payment.sender, or the zero address as go-livepeer reads a payment without one. */
  readonly sender: Address;
  readonly credentials: SegmentCredentials;
  /** The info for the reply, carrying the gateway's own auth token (new tokens come only from GetOrchestrator). */
  readonly info: OrchestratorInfo;
  /** What the processor credited; absent on an offchain node. */
  readonly receipt?: PaymentReceipt;
}

const ZERO_ADDRESS = new Uint8Array(20);

function firstHeader(request: FastifyRequest, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The two headers a paid request carries; absent means empty. */
export interface PaidHeaders {
  readonly payment?: string;
  readonly segment?: string;
}

/** A refusal with go-livepeer's status and text; `step` names the check that refused. */
export interface PaidRefusal {
  readonly status: 402 | 403 | 400 | 500;
  readonly message: string;
  readonly step: 'payment' | 'credentials' | 'info' | 'caller' | 'process';
  readonly cause?: unknown;
}

export type PaidOutcome = { readonly ok: true; readonly paid: PaidRequest } | { readonly ok: false; readonly refusal: PaidRefusal };

/**
 * The shared steps on bare header values, for callers without a fastify
 * request (plugins' paid routes through the kernel's wire payments). Nothing
 * is credited unless the outcome is ok.
 */
export async function checkPaidHeaders(
  headers: PaidHeaders,
  deps: PaidRouteDeps,
  balanceKey: (credentials: SegmentCredentials) => string,
  /** Runs after the credentials passed and before anything is credited; a throw refuses the payment (its error is the cause). */
  beforeCredit?: (checked: { readonly payment: Payment; readonly sender: Address; readonly credentials: SegmentCredentials }) => void | Promise<void>,
): Promise<PaidOutcome> {
  let payment: Payment;
  try {
    // An empty header is an empty payment: free work on offchain nodes.
    payment = decodePaymentHeaderValue(headers.payment ?? '');
  } catch (error) {
    return { ok: false, refusal: { status: 402, message: messageOf(error), step: 'payment', cause: error } };
  }
  const sender = payment.sender ?? ZERO_ADDRESS;

  let credentials: SegmentCredentials;
  try {
    credentials = verifySegmentCredentials(headers.segment ?? '', {
      sender,
      authTokens: deps.authTokens,
      orchestratorCapabilities: deps.orchestratorCapabilities,
      hasCapacity: deps.hasCapacity,
      skipSignatureCheck: deps.payments === undefined,
      ...(deps.verifier !== undefined ? { verifier: deps.verifier } : {}),
    });
  } catch (error) {
    if (!isLpxError(error)) throw error;
    return { ok: false, refusal: { status: 403, message: error.message, step: 'credentials', cause: error } };
  }

  let info: OrchestratorInfo;
  try {
    info = { ...(await deps.buildInfo(sender, credentials.sessionId)), authToken: credentials.authToken };
  } catch (error) {
    return { ok: false, refusal: { status: 500, message: INTERNAL_ERROR_TEXT, step: 'info', cause: error } };
  }

  if (beforeCredit !== undefined) {
    try {
      await beforeCredit({ payment, sender, credentials });
    } catch (error) {
      const status = isLpxError(error) && (error.status === 400 || error.status === 403) ? error.status : 400;
      return { ok: false, refusal: { status, message: messageOf(error), step: 'caller', cause: error } };
    }
  }

  let receipt: PaymentReceipt | undefined;
  if (deps.payments !== undefined) {
    try {
      receipt = await deps.payments.processor.processPayment(payment, balanceKey(credentials));
    } catch (error) {
      return { ok: false, refusal: { status: 400, message: messageOf(error), step: 'process', cause: error } };
    }
  }
  return { ok: true, paid: { payment, sender, credentials, info, ...(receipt !== undefined ? { receipt } : {}) } };
}

/**
 * Runs the shared steps; `balanceKey` picks the session the payment is
 * credited to (go-livepeer: the manifest id on /payment, the auth session
 * id on /segment). Undefined means the gateway has been answered.
 */
export async function acceptPaidRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: PaidRouteDeps,
  balanceKey: (credentials: SegmentCredentials) => string,
): Promise<PaidRequest | undefined> {
  const outcome = await checkPaidHeaders({ payment: firstHeader(request, PAYMENT_HEADER), segment: firstHeader(request, SEGMENT_HEADER) }, deps, balanceKey);
  if (outcome.ok) return outcome.paid;
  const { refusal } = outcome;
  if (refusal.step === 'info') request.log.error({ err: refusal.cause }, 'could not build OrchestratorInfo');
  else request.log.debug({ err: refusal.cause }, `paid request refused at ${refusal.step}`);
  sendPlainError(reply, refusal.status, refusal.message);
  return undefined;
}
