/**
 * Turns a signed batch into the Payment message (and header value) an
 * orchestrator expects: the params echoed exactly, the expiration params in
 * their own field, and the price the params were issued at.
 */
import type { Address } from '../encoding/address.js';
import { encodePaymentHeaderValue } from '../wire/payment-codec.js';
import type { Payment, PriceInfo } from '../wire/types.js';
import type { TicketBatch } from './ticket-sender.js';

export function paymentFromBatch(batch: TicketBatch, expectedPrice: PriceInfo): Payment {
  return {
    ticketParams: batch.params,
    sender: batch.sender,
    expirationParams: batch.expirationParams,
    ticketSenderParams: batch.senderParams,
    expectedPrice,
  };
}

/** A payment with no tickets: the sender and price only, as go-livepeer sends when credit suffices. */
export function paymentWithoutTickets(sender: Address, expectedPrice: PriceInfo): Payment {
  return { sender, ticketSenderParams: [], expectedPrice };
}

export function paymentHeader(payment: Payment): string {
  return encodePaymentHeaderValue(payment);
}
