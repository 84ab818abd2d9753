/**
 * `coreServices.orchestratorWire.payments`: the kernel's ticket checks for
 * plugin-served paid protocols (Live Runner sessions, BYOC streams). The
 * challenge is go-livepeer's runner challenge (an OrchestratorInfo with
 * ticket params at the runner's price and an auth token whose session id is
 * a fresh manifest id); acceptance runs the same steps as `/payment`
 * (network/segment/paid-request.ts) and credits the same store, under the
 * segment's manifest id. Plugins never see the PaymentProcessor itself.
 */
import { randomBytes } from 'node:crypto';
import { errors, isLpxError, type LpxError, type WirePaymentChallenge, type WirePaymentReceipt, type WirePayments, type WirePrice } from '@lpx/sdk';
import type { LivepeerCapabilitiesInput } from '../../capabilities/index.js';
import type { AuthTokenIssuer } from '../../network/auth/auth-token.js';
import { encodeOrchestratorInfo } from '../../network/wire/orchestrator-codec.js';
import type { OrchestratorInfoSource } from '../../network/info/orchestrator-info-builder.js';
import { checkPaidHeaders, type PaidRefusal, type PaidRouteDeps } from '../../network/segment/paid-request.js';
import { encodePaymentResult } from '../../network/segment/transcode-result-codec.js';
import { parseAddress, Rational, toChecksumAddress, type Address, type PaymentProcessor, type Recipient } from '../../payments/index.js';

export interface WirePaymentsDeps {
  readonly authTokens: AuthTokenIssuer;
  readonly info: OrchestratorInfoSource;
  readonly serviceUri: () => string;
  readonly address: Address;
  readonly orchestratorCapabilities: () => LivepeerCapabilitiesInput;
  /** Absent on an offchain node. */
  readonly payments?: { readonly processor: PaymentProcessor; readonly recipient: Recipient };
}

const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

function rationalString(value: Rational): string {
  return value.den === 1n ? value.num.toString() : `${value.num}/${value.den}`;
}

function priceRational(price: WirePrice): Rational {
  if (price.pricePerUnit < 0n || price.pixelsPerUnit <= 0n) {
    throw errors.liveRunner.PRICE_MISMATCH.create(`a wire price needs pricePerUnit ≥ 0 and pixelsPerUnit > 0 (got ${price.pricePerUnit}/${price.pixelsPerUnit})`);
  }
  return Rational.of(price.pricePerUnit, price.pixelsPerUnit);
}

/** The refusal as an LpxError with go-livepeer's status: the check's own error when it already has it. */
function refusalError(refusal: PaidRefusal): LpxError {
  const cause = refusal.cause;
  if (isLpxError(cause) && (cause.status === refusal.status || refusal.step === 'caller')) return cause;
  switch (refusal.step) {
    case 'payment':
      return errors.payments.MALFORMED_HEADER.create(refusal.message, { cause });
    case 'process':
      return errors.payments.REFUSED.create(refusal.message, { cause, details: isLpxError(cause) ? { code: cause.code } : {} });
    default:
      // The credentials step only throws LpxErrors with 403 and the info step only 500s.
      return isLpxError(cause) ? cause : errors.payments.REFUSED.create(refusal.message, { cause });
  }
}

export function createWirePayments(deps: WirePaymentsDeps): WirePayments {
  const paidDeps: PaidRouteDeps = {
    authTokens: deps.authTokens,
    orchestratorCapabilities: deps.orchestratorCapabilities,
    // Session slots of plugin-served protocols are the plugin's (runner capacity), not the transcode session limit.
    hasCapacity: () => true,
    buildInfo: (sender) => deps.info.build({ gateway: sender, ignoreCapacityCheck: true }),
    ...(deps.payments !== undefined ? { payments: deps.payments } : {}),
  };
  const onchain = deps.payments;

  return {
    enabled: onchain !== undefined,

    async challenge(input): Promise<WirePaymentChallenge> {
      if (onchain === undefined) throw errors.payments.NOT_CONFIGURED.create('this node runs offchain: plugin routes issue no payment challenges');
      const sender = parseAddress(input.sender);
      const price = priceRational(input.price);
      // go-livepeer: core.RandomManifestID(), 4 random bytes in hex; the auth token's session id is the same string.
      const manifestId = randomBytes(4).toString('hex');
      const ticketParams = await onchain.recipient.ticketParams(sender, price);
      const info = {
        transcoder: deps.serviceUri(),
        ticketParams,
        priceInfo: { pricePerUnit: input.price.pricePerUnit, pixelsPerUnit: input.price.pixelsPerUnit },
        address: deps.address,
        authToken: deps.authTokens.issueFor(manifestId),
        hardware: [],
        storage: [],
        capabilitiesPrices: [],
        nodes: [],
      };
      return { paymentParams: Buffer.from(encodeOrchestratorInfo(info)).toString('base64'), orchestrator: info.transcoder, manifestId };
    },

    async accept(headers, options): Promise<WirePaymentReceipt> {
      if (onchain === undefined && (headers.segment === undefined || headers.segment === '')) {
        // Offchain and nothing to check: free, credited to nobody.
        return { sender: ZERO_ADDRESS, manifestId: '', authSessionId: '', credited: '0', paymentResult: async () => new Uint8Array(0) };
      }
      const verify = options?.verify;
      const outcome = await checkPaidHeaders(
        headers,
        paidDeps,
        (credentials) => credentials.manifestId,
        verify === undefined
          ? undefined
          : ({ payment, sender, credentials }) =>
              verify({
                sender: toChecksumAddress(sender),
                manifestId: credentials.manifestId,
                authSessionId: credentials.sessionId,
                ...(payment.expectedPrice !== undefined ? { expectedPrice: { pricePerUnit: payment.expectedPrice.pricePerUnit, pixelsPerUnit: payment.expectedPrice.pixelsPerUnit } } : {}),
              }),
      );
      if (!outcome.ok) throw refusalError(outcome.refusal);
      const { paid } = outcome;
      const expected = paid.payment.expectedPrice;
      return {
        sender: toChecksumAddress(paid.sender),
        manifestId: paid.credentials.manifestId,
        authSessionId: paid.credentials.sessionId,
        ...(expected !== undefined ? { expectedPrice: { pricePerUnit: expected.pricePerUnit, pixelsPerUnit: expected.pixelsPerUnit } } : {}),
        credited: rationalString(paid.receipt?.credited ?? Rational.ZERO),
        // Fresh params at the price the sender pays this session at (go-livepeer re-prices at the node's base price,
        // which a runner client would then have to pay at; the session's own price keeps its balance coherent).
        paymentResult: async () => {
          if (onchain === undefined || expected === undefined) return encodePaymentResult(paid.info);
          const ticketParams = await onchain.recipient.ticketParams(paid.sender, Rational.of(expected.pricePerUnit, expected.pixelsPerUnit === 0n ? 1n : expected.pixelsPerUnit));
          return encodePaymentResult({ ...paid.info, ticketParams, priceInfo: { pricePerUnit: expected.pricePerUnit, pixelsPerUnit: expected.pixelsPerUnit } });
        },
      };
    },

    async debit(input): Promise<string> {
      if (onchain === undefined) return '0';
      const balance = await onchain.processor.debit(parseAddress(input.sender), input.manifestId, input.units, priceRational(input.price));
      return rationalString(balance);
    },

    async balance(input): Promise<string | undefined> {
      if (onchain === undefined) return undefined;
      const balance = await onchain.processor.balance(parseAddress(input.sender), input.manifestId);
      return balance === undefined ? undefined : rationalString(balance);
    },
  };
}
