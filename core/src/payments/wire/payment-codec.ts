/**
 * Payment <-> protobuf bytes <-> the Livepeer-Payment header (standard, padded
 * base64). Anything that is not a well-formed Payment becomes
 * LPX_ERR_PAYMENTS_MALFORMED_HEADER (go-livepeer answers those with 402).
 */
import { bigIntToMinimalBytes, bytesToBigInt } from '../encoding/bytes.js';
import { paymentErrors, refusal } from '../errors.js';
import {
  addressField,
  expirationParamsFromMessage,
  expirationParamsToMessage,
  hasField,
  priceInfoFromMessage,
  priceInfoToMessage,
  type ProtoObject,
  senderParamsFromMessage,
  senderParamsToMessage,
  ticketParamsFromMessage,
  ticketParamsToMessage,
} from './message-mapping.js';
import { paymentsProtoType } from './proto-root.js';
import type { Payment, RedeemableTicket } from './types.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function malformedHeader(message: string, cause?: unknown): never {
  const error = refusal(paymentErrors.MALFORMED_HEADER, message, 'malformed_payment', true);
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause });
  throw error;
}

function decodeMessage(type: ReturnType<typeof paymentsProtoType>, bytes: Uint8Array, what: string): ProtoObject {
  try {
    return type.decode(bytes) as unknown as ProtoObject;
  } catch (cause) {
    return malformedHeader(`${what} is not a valid protobuf message: ${(cause as Error).message}`, cause);
  }
}

export function decodePayment(bytes: Uint8Array): Payment {
  const msg = decodeMessage(paymentsProtoType('Payment'), bytes, 'payment');
  const list = Array.isArray(msg['ticketSenderParams']) ? (msg['ticketSenderParams'] as ProtoObject[]) : [];
  const sender = addressField(msg, 'sender', 'payment.sender');
  return {
    ...(hasField(msg, 'ticketParams') ? { ticketParams: ticketParamsFromMessage(msg['ticketParams'] as ProtoObject) } : {}),
    ...(sender !== undefined ? { sender } : {}),
    ...(hasField(msg, 'expirationParams') ? { expirationParams: expirationParamsFromMessage(msg['expirationParams'] as ProtoObject) } : {}),
    ticketSenderParams: list.map(senderParamsFromMessage),
    ...(hasField(msg, 'expectedPrice') ? { expectedPrice: priceInfoFromMessage(msg['expectedPrice'] as ProtoObject) } : {}),
  };
}

export function encodePayment(payment: Payment): Uint8Array {
  const msg: ProtoObject = { ticketSenderParams: payment.ticketSenderParams.map(senderParamsToMessage) };
  // Like go-livepeer's gateway, the expiration params travel beside the ticket
  // params (field 3), not inside them.
  if (payment.ticketParams !== undefined) msg['ticketParams'] = ticketParamsToMessage(payment.ticketParams, false);
  if (payment.sender !== undefined) msg['sender'] = payment.sender;
  if (payment.expirationParams !== undefined) msg['expirationParams'] = expirationParamsToMessage(payment.expirationParams);
  if (payment.expectedPrice !== undefined) msg['expectedPrice'] = priceInfoToMessage(payment.expectedPrice);
  return paymentsProtoType('Payment').encode(msg).finish();
}

/** Strict standard base64 (Go's StdEncoding); Node's decoder would skip junk silently. */
export function decodeBase64Strict(text: string, what = 'Livepeer-Payment header'): Uint8Array {
  const trimmed = text.trim();
  if (trimmed.length % 4 !== 0 || !BASE64.test(trimmed)) malformedHeader(`${what} is not valid base64`);
  return Uint8Array.from(Buffer.from(trimmed, 'base64'));
}

/** An empty header is a valid empty payment (free / offchain), as in go-livepeer. */
export function decodePaymentHeaderValue(header: string): Payment {
  return decodePayment(decodeBase64Strict(header));
}

export function encodePaymentHeaderValue(payment: Payment): string {
  return Buffer.from(encodePayment(payment)).toString('base64');
}

/** redeemer.proto's Ticket, for handing a winner to a separate redeemer node. */
export function encodeRedeemableTicket(ticket: RedeemableTicket): Uint8Array {
  return paymentsProtoType('Ticket')
    .encode({
      ticketParams: ticketParamsToMessage(ticket.ticketParams, false),
      sender: ticket.sender,
      expirationParams: expirationParamsToMessage(ticket.expirationParams),
      senderParams: senderParamsToMessage(ticket.senderParams),
      recipientRand: bigIntToMinimalBytes(ticket.recipientRand),
    })
    .finish();
}

export function decodeRedeemableTicket(bytes: Uint8Array): RedeemableTicket {
  const msg = decodeMessage(paymentsProtoType('Ticket'), bytes, 'ticket');
  const sender = addressField(msg, 'sender', 'ticket.sender');
  if (!hasField(msg, 'ticketParams') || sender === undefined || !hasField(msg, 'expirationParams') || !hasField(msg, 'senderParams')) {
    malformedHeader('ticket is missing params, sender, expiration params or sender params');
  }
  return {
    ticketParams: ticketParamsFromMessage(msg['ticketParams'] as ProtoObject),
    sender,
    expirationParams: expirationParamsFromMessage(msg['expirationParams'] as ProtoObject),
    senderParams: senderParamsFromMessage(msg['senderParams'] as ProtoObject),
    recipientRand: bytesToBigInt(msg['recipientRand'] instanceof Uint8Array ? msg['recipientRand'] : new Uint8Array(0)),
  };
}
