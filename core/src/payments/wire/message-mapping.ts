/**
 * Conversion between protobufjs message objects (bytes as Uint8Array, int64 as
 * Long or number) and our decoded types, with the field checks that make a
 * malformed payment a coded error instead of a wrong hash later.
 */
import type { Address } from '../encoding/address.js';
import { bigIntToMinimalBytes, bytesToBigInt, ZERO_HASH } from '../encoding/bytes.js';
import { paymentErrors, refusal } from '../errors.js';
import type { PriceInfo, TicketExpirationParams, TicketParams, TicketSenderParams } from './types.js';

/** What protobufjs hands back for a message: plain fields, nested messages, Longs. */
export type ProtoObject = Record<string, unknown>;

function malformed(message: string): never {
  throw refusal(paymentErrors.MALFORMED_FIELD, message, 'malformed_payment', true);
}

function has(msg: ProtoObject, field: string): boolean {
  return Object.prototype.hasOwnProperty.call(msg, field) && msg[field] !== null && msg[field] !== undefined;
}

function bytesField(msg: ProtoObject, field: string): Uint8Array {
  const value = msg[field];
  return value instanceof Uint8Array ? value : new Uint8Array(0);
}

/** int64 fields arrive as Long (long.js), number or string; never trust `number` for money. */
export function int64Field(msg: ProtoObject, field: string): bigint {
  const value = msg[field];
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'number') return BigInt(value);
  if (typeof value === 'bigint') return value;
  return BigInt(String(value));
}

function uint256Field(msg: ProtoObject, field: string, name: string): bigint {
  const value = bytesToBigInt(bytesField(msg, field));
  if (value >= 1n << 256n) malformed(`${name} does not fit in uint256`);
  return value;
}

export function addressField(msg: ProtoObject, field: string, name: string): Address | undefined {
  const value = bytesField(msg, field);
  if (value.length === 0) return undefined;
  if (value.length !== 20) malformed(`${name} must be a 20-byte address, got ${value.length} bytes`);
  return value;
}

function hashField(msg: ProtoObject, field: string, name: string, allowEmpty: boolean): Uint8Array {
  const value = bytesField(msg, field);
  if (value.length === 0 && allowEmpty) return ZERO_HASH;
  if (value.length !== 32) malformed(`${name} must be 32 bytes, got ${value.length}`);
  return value;
}

export function expirationParamsFromMessage(msg: ProtoObject): TicketExpirationParams {
  const creationRound = int64Field(msg, 'creationRound');
  if (creationRound < 0n) malformed(`creation_round must not be negative, got ${creationRound}`);
  return { creationRound, creationRoundBlockHash: hashField(msg, 'creationRoundBlockHash', 'creation_round_block_hash', true) };
}

export function expirationParamsToMessage(p: TicketExpirationParams): ProtoObject {
  return { creationRound: p.creationRound.toString(), creationRoundBlockHash: p.creationRoundBlockHash };
}

export function ticketParamsFromMessage(msg: ProtoObject): TicketParams {
  const recipient = addressField(msg, 'recipient', 'ticket_params.recipient');
  if (recipient === undefined) malformed('ticket_params.recipient is missing');
  const params: TicketParams = {
    recipient,
    faceValue: uint256Field(msg, 'faceValue', 'face_value'),
    winProb: uint256Field(msg, 'winProb', 'win_prob'),
    recipientRandHash: hashField(msg, 'recipientRandHash', 'recipient_rand_hash', false),
    seed: uint256Field(msg, 'seed', 'seed'),
    expirationBlock: uint256Field(msg, 'expirationBlock', 'expiration_block'),
  };
  if (!has(msg, 'expirationParams')) return params;
  return { ...params, expirationParams: expirationParamsFromMessage(msg['expirationParams'] as ProtoObject) };
}

export function ticketParamsToMessage(p: TicketParams, withExpirationParams = true): ProtoObject {
  const msg: ProtoObject = {
    recipient: p.recipient,
    faceValue: bigIntToMinimalBytes(p.faceValue),
    winProb: bigIntToMinimalBytes(p.winProb),
    recipientRandHash: p.recipientRandHash,
    seed: bigIntToMinimalBytes(p.seed),
    expirationBlock: bigIntToMinimalBytes(p.expirationBlock),
  };
  if (withExpirationParams && p.expirationParams !== undefined) msg['expirationParams'] = expirationParamsToMessage(p.expirationParams);
  return msg;
}

export function senderParamsFromMessage(msg: ProtoObject): TicketSenderParams {
  const nonce = msg['senderNonce'];
  return { senderNonce: typeof nonce === 'number' ? nonce >>> 0 : 0, sig: bytesField(msg, 'sig') };
}

export function senderParamsToMessage(p: TicketSenderParams): ProtoObject {
  if (!Number.isInteger(p.senderNonce) || p.senderNonce < 0 || p.senderNonce > 0xffffffff) {
    throw new RangeError(`sender nonce ${p.senderNonce} is not a uint32`);
  }
  return { senderNonce: p.senderNonce, sig: p.sig };
}

export function priceInfoFromMessage(msg: ProtoObject): PriceInfo {
  const info: { pricePerUnit: bigint; pixelsPerUnit: bigint; capability?: number; constraint?: string } = {
    pricePerUnit: int64Field(msg, 'pricePerUnit'),
    pixelsPerUnit: int64Field(msg, 'pixelsPerUnit'),
  };
  if (typeof msg['capability'] === 'number' && msg['capability'] !== 0) info.capability = msg['capability'];
  if (typeof msg['constraint'] === 'string' && msg['constraint'] !== '') info.constraint = msg['constraint'];
  return info;
}

export function priceInfoToMessage(p: PriceInfo): ProtoObject {
  const msg: ProtoObject = { pricePerUnit: p.pricePerUnit.toString(), pixelsPerUnit: p.pixelsPerUnit.toString() };
  if (p.capability !== undefined) msg['capability'] = p.capability;
  if (p.constraint !== undefined) msg['constraint'] = p.constraint;
  return msg;
}

export { has as hasField };
