/**
 * The PaymentsService plugins see, backed by the orchestrator's PaymentProcessor,
 * and the one used on nodes without payments.
 */
import type { PaymentSessionRef, PaymentsService } from '@lpx/sdk';
import { parseAddress } from './encoding/address.js';
import { paymentErrors } from './errors.js';
import type { PaymentProcessor } from './recipient/payment-processor.js';

function senderOf(session: PaymentSessionRef) {
  try {
    return parseAddress(session.sender);
  } catch (cause) {
    throw paymentErrors.MALFORMED_FIELD.create(`payment session sender ${JSON.stringify(session.sender)} is not an address`, { cause });
  }
}

export function paymentsServiceFor(processor: PaymentProcessor): PaymentsService {
  return {
    enabled: true,
    async requireBalance(session) {
      await processor.requireSufficientBalance(senderOf(session), session.sessionId);
    },
    async debit(session, units) {
      return (await processor.debit(senderOf(session), session.sessionId, units)).toString();
    },
    async balance(session) {
      return (await processor.balance(senderOf(session), session.sessionId))?.toString();
    },
  };
}

/** Offchain / free mode: go-livepeer accepts everything when it has no ticket recipient. */
export const offchainPaymentsService: PaymentsService = {
  enabled: false,
  async requireBalance() {},
  async debit() {
    return '0';
  },
  async balance() {
    return undefined;
  },
};
