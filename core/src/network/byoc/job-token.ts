/**
 * The JobToken `GET /process/token` answers, as Go's encoding/json writes
 * go-livepeer's struct: snake_case keys from the protobuf json tags for the
 * ticket params (bytes as padded std-base64, big integers as minimal big-endian
 * bytes), camelCase `pricePerUnit`/`pixelsPerUnit`, omitempty everywhere except
 * the untagged `LastNonce`, and a trailing newline (json.Encoder). int64 values
 * are written and read as exact digits: wei balances exceed 2^53.
 */
import { errors } from '@lpx/sdk';
import {
  bigIntToMinimalBytes,
  ticketParamsFromMessage,
  type PriceInfo,
  type TicketParams,
} from '../../payments/index.js';
import type { JobSender } from './eth-address-header.js';

export interface JobToken {
  readonly senderAddress?: JobSender;
  readonly ticketParams?: TicketParams;
  /** Whole wei, truncated toward zero (go-livepeer drops the fraction). */
  readonly balance: bigint;
  readonly price?: PriceInfo;
  readonly serviceAddr: string;
  readonly availableCapacity: bigint;
}

const b64 = (bytes: Uint8Array): string => JSON.stringify(Buffer.from(bytes).toString('base64'));

function object(fields: Array<[string, string | undefined]>): string {
  return `{${fields.filter((f): f is [string, string] => f[1] !== undefined).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

function bytesField(bytes: Uint8Array): string | undefined {
  return bytes.length === 0 ? undefined : b64(bytes);
}

function intField(value: bigint | number | undefined): string | undefined {
  return value === undefined || BigInt(value) === 0n ? undefined : BigInt(value).toString();
}

export function ticketParamsToGoJson(p: TicketParams): string {
  const exp = p.expirationParams;
  return object([
    ['recipient', bytesField(p.recipient)],
    ['face_value', bytesField(bigIntToMinimalBytes(p.faceValue))],
    ['win_prob', bytesField(bigIntToMinimalBytes(p.winProb))],
    ['recipient_rand_hash', bytesField(p.recipientRandHash)],
    ['seed', bytesField(bigIntToMinimalBytes(p.seed))],
    ['expiration_block', bytesField(bigIntToMinimalBytes(p.expirationBlock))],
    ['expiration_params', exp === undefined ? undefined : object([
      ['creation_round', intField(exp.creationRound)],
      ['creation_round_block_hash', bytesField(exp.creationRoundBlockHash)],
    ])],
  ]);
}

export function priceInfoToGoJson(p: PriceInfo): string {
  return object([
    ['pricePerUnit', intField(p.pricePerUnit)],
    ['pixelsPerUnit', intField(p.pixelsPerUnit)],
    ['capability', intField(p.capability)],
    ['constraint', p.constraint === undefined || p.constraint === '' ? undefined : JSON.stringify(p.constraint)],
  ]);
}

export function encodeJobToken(token: JobToken): string {
  const sender = token.senderAddress;
  return (
    object([
      ['sender_address', sender === undefined ? undefined : object([['addr', JSON.stringify(sender.addr)], ['sig', JSON.stringify(sender.sig)]])],
      ['ticket_params', token.ticketParams === undefined ? undefined : ticketParamsToGoJson(token.ticketParams)],
      ['balance', intField(token.balance)],
      ['price', token.price === undefined ? undefined : priceInfoToGoJson(token.price)],
      ['service_addr', token.serviceAddr === '' ? undefined : JSON.stringify(token.serviceAddr)],
      ['available_capacity', intField(token.availableCapacity)],
      ['LastNonce', '0'],
    ]) + '\n'
  );
}

function invalid(message: string, cause?: unknown): never {
  throw errors.orchestrator.TOKEN_INVALID.create(`job token: ${message}`, cause === undefined ? undefined : { cause });
}

/** Keys whose JSON numbers may exceed 2^53; quoted before JSON.parse so no digit is lost. */
const INT64_KEYS = /(?<!\\)"(balance|pricePerUnit|pixelsPerUnit|creation_round|available_capacity)"\s*:\s*(-?\d+)/g;

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) invalid(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function int(obj: Record<string, unknown>, key: string): bigint {
  const v = obj[key];
  if (v === undefined || v === null) return 0n;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  return invalid(`${key} is not an integer`);
}

function bytes(obj: Record<string, unknown>, key: string): Uint8Array {
  const v = obj[key];
  if (v === undefined || v === null) return new Uint8Array(0);
  if (typeof v !== 'string' || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) invalid(`${key} is not std-base64`);
  return Uint8Array.from(Buffer.from(v, 'base64'));
}

function str(obj: Record<string, unknown>, key: string): string {
  const v = obj[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') invalid(`${key} is not a string`);
  return v;
}

/** The gateway's side: parses a token body (Go's or ours). */
export function decodeJobToken(text: string): JobToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(INT64_KEYS, '"$1":"$2"'));
  } catch (cause) {
    invalid('not JSON', cause);
  }
  const root = asObject(parsed, 'token');
  let ticketParams: TicketParams | undefined;
  if (root['ticket_params'] !== undefined && root['ticket_params'] !== null) {
    const tp = asObject(root['ticket_params'], 'ticket_params');
    const msg: Record<string, unknown> = {
      recipient: bytes(tp, 'recipient'),
      faceValue: bytes(tp, 'face_value'),
      winProb: bytes(tp, 'win_prob'),
      recipientRandHash: bytes(tp, 'recipient_rand_hash'),
      seed: bytes(tp, 'seed'),
      expirationBlock: bytes(tp, 'expiration_block'),
    };
    if (tp['expiration_params'] !== undefined && tp['expiration_params'] !== null) {
      const ep = asObject(tp['expiration_params'], 'expiration_params');
      msg['expirationParams'] = { creationRound: int(ep, 'creation_round').toString(), creationRoundBlockHash: bytes(ep, 'creation_round_block_hash') };
    }
    try {
      ticketParams = ticketParamsFromMessage(msg);
    } catch (cause) {
      invalid(`ticket_params: ${(cause as Error).message}`, cause);
    }
  }
  let price: PriceInfo | undefined;
  if (root['price'] !== undefined && root['price'] !== null) {
    const p = asObject(root['price'], 'price');
    const capability = int(p, 'capability');
    const constraint = str(p, 'constraint');
    price = {
      pricePerUnit: int(p, 'pricePerUnit'),
      pixelsPerUnit: int(p, 'pixelsPerUnit'),
      ...(capability === 0n ? {} : { capability: Number(capability) }),
      ...(constraint === '' ? {} : { constraint }),
    };
  }
  let senderAddress: JobSender | undefined;
  if (root['sender_address'] !== undefined && root['sender_address'] !== null) {
    const s = asObject(root['sender_address'], 'sender_address');
    senderAddress = { addr: str(s, 'addr'), sig: str(s, 'sig') };
  }
  return {
    ...(senderAddress === undefined ? {} : { senderAddress }),
    ...(ticketParams === undefined ? {} : { ticketParams }),
    balance: int(root, 'balance'),
    ...(price === undefined ? {} : { price }),
    serviceAddr: str(root, 'service_addr'),
    availableCapacity: int(root, 'available_capacity'),
  };
}
