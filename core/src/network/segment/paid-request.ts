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
import { decodePaymentHeaderValue, type Address, type Payment, type PaymentProcessor, type Recipient, type SignatureVerifier } from '../../payments/index.js';
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
}

const ZERO_ADDRESS = new Uint8Array(20);

function firstHeader(request: FastifyRequest, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  let payment: Payment;
  try {
    // An empty header is an empty payment: free work on offchain nodes.
    payment = decodePaymentHeaderValue(firstHeader(request, PAYMENT_HEADER));
  } catch (error) {
    request.log.debug({ err: error }, 'could not parse payment');
    sendPlainError(reply, 402, messageOf(error));
    return undefined;
  }
  const sender = payment.sender ?? ZERO_ADDRESS;

  let credentials: SegmentCredentials;
  try {
    credentials = verifySegmentCredentials(firstHeader(request, SEGMENT_HEADER), {
      sender,
      authTokens: deps.authTokens,
      orchestratorCapabilities: deps.orchestratorCapabilities,
      hasCapacity: deps.hasCapacity,
      skipSignatureCheck: deps.payments === undefined,
      ...(deps.verifier !== undefined ? { verifier: deps.verifier } : {}),
    });
  } catch (error) {
    if (!isLpxError(error)) throw error;
    request.log.debug({ code: error.code }, 'could not verify segment credentials');
    sendPlainError(reply, 403, error.message);
    return undefined;
  }

  let info: OrchestratorInfo;
  try {
    info = { ...(await deps.buildInfo(sender, credentials.sessionId)), authToken: credentials.authToken };
  } catch (error) {
    request.log.error({ err: error }, 'could not build OrchestratorInfo');
    sendPlainError(reply, 500, INTERNAL_ERROR_TEXT);
    return undefined;
  }

  if (deps.payments !== undefined) {
    try {
      await deps.payments.processor.processPayment(payment, balanceKey(credentials));
    } catch (error) {
      request.log.debug({ err: error }, 'error processing payment');
      sendPlainError(reply, 400, messageOf(error));
      return undefined;
    }
  }
  return { payment, sender, credentials, info };
}
