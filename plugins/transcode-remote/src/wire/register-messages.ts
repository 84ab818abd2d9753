/**
 * `net.RegisterRequest` and `net.NotifySegment`, the two messages of
 * RegisterTranscoder, in both directions (tests read the stream with the same
 * code the orchestrator writes it). Defaults are left out on encode, as Go's
 * proto3 marshaller does. Bytes that are not the message are a coded error.
 */
import { errors } from '@lpx/sdk';
import type { TranscoderCapabilities } from './capabilities.js';
import { decodePlain, encodePlain, type NetMessageName, type PlainMessage } from './net-messages.js';

export interface RegisterRequest {
  readonly secret: string;
  /** int64 on the wire; the orchestrator refuses ≤ 0. */
  readonly capacity: bigint;
  /** Absent for legacy transcoders that advertise nothing. */
  readonly capabilities?: TranscoderCapabilities;
}

/** go-livepeer's wire VideoProfile (numeric enums, GOP in ms). */
export interface WireVideoProfile {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly bitrate: number;
  readonly fps: number;
  readonly fpsDen: number;
  readonly format: number;
  readonly profile: number;
  readonly gop: number;
  readonly encoder: number;
  readonly quality: number;
}

/** What a task carries to the transcoder (go-livepeer's SegData, minus hash, sig and storage). */
export interface TaskSegData {
  readonly manifestId: string;
  readonly seq: bigint;
  readonly durationMs: number;
  readonly sessionId: string;
  readonly capabilities: { readonly bitstring: readonly bigint[] };
  /** Which of fullProfiles / fullProfiles2 / fullProfiles3 carries the ladder (go-livepeer's NetSegData rule). */
  readonly profilesField: 'fullProfiles' | 'fullProfiles2' | 'fullProfiles3';
  readonly profiles: readonly WireVideoProfile[];
}

/** The session-teardown signal carries a SegData holding nothing but the session id. */
export interface TeardownSegData {
  readonly teardownSessionId: string;
}

export interface NotifySegment {
  /** Empty together with a session id in segData: tear the session down. */
  readonly url: string;
  readonly segData?: TaskSegData | TeardownSegData;
  readonly taskId: bigint;
  readonly orchId: string;
  readonly profiles: Uint8Array;
}

export interface DecodedNotifySegment {
  readonly url: string;
  readonly taskId: bigint;
  readonly orchId: string;
  readonly profiles: Uint8Array;
  readonly sessionId: string;
  readonly seq: bigint;
  readonly durationMs: number;
  readonly manifestId: string;
  readonly fullProfiles: readonly WireVideoProfile[];
}

function decode(name: NetMessageName, bytes: Uint8Array): PlainMessage {
  try {
    return decodePlain(name, bytes);
  } catch (cause) {
    throw errors.transcoder.RESULT_INVALID.create(`${name} is not a valid protobuf message: ${(cause as Error).message}`, { cause, details: { message: name } });
  }
}

const str = (msg: PlainMessage | undefined, field: string): string => (typeof msg?.[field] === 'string' ? (msg[field] as string) : '');
const num = (msg: PlainMessage | undefined, field: string): number => (typeof msg?.[field] === 'number' ? (msg[field] as number) : 0);
const big = (msg: PlainMessage | undefined, field: string): bigint => (msg?.[field] === undefined ? 0n : BigInt(String(msg[field])));
const bytes = (msg: PlainMessage | undefined, field: string): Uint8Array => (msg?.[field] instanceof Uint8Array ? (msg[field] as Uint8Array) : new Uint8Array(0));
const sub = (msg: PlainMessage | undefined, field: string): PlainMessage | undefined => (typeof msg?.[field] === 'object' && !(msg[field] instanceof Uint8Array) ? (msg[field] as PlainMessage) : undefined);
const list = (msg: PlainMessage | undefined, field: string): unknown[] => (Array.isArray(msg?.[field]) ? (msg[field] as unknown[]) : []);

export function encodeRegisterRequest(request: RegisterRequest): Uint8Array {
  const msg: PlainMessage = {};
  if (request.secret !== '') msg['secret'] = request.secret;
  if (request.capacity !== 0n) msg['capacity'] = request.capacity.toString();
  if (request.capabilities !== undefined) msg['capabilities'] = { bitstring: request.capabilities.bitstring.map(String), ...(request.capabilities.version !== '' ? { version: request.capabilities.version } : {}) };
  return encodePlain('RegisterRequest', msg);
}

export function decodeRegisterRequest(buffer: Uint8Array): RegisterRequest {
  const msg = decode('RegisterRequest', buffer);
  const caps = sub(msg, 'capabilities');
  return {
    secret: str(msg, 'secret'),
    capacity: big(msg, 'capacity'),
    ...(caps !== undefined ? { capabilities: { bitstring: list(caps, 'bitstring').map((word) => BigInt(String(word))), version: str(caps, 'version') } } : {}),
  };
}

function profileMessage(profile: WireVideoProfile): PlainMessage {
  // Defaults left out, as Go writes them.
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== 0 && value !== ''));
}

function segDataMessage(segData: TaskSegData | TeardownSegData): PlainMessage {
  if ('teardownSessionId' in segData) return { authToken: { sessionId: segData.teardownSessionId } };
  const msg: PlainMessage = {
    manifestId: Buffer.from(segData.manifestId, 'utf8'),
    authToken: { sessionId: segData.sessionId },
    // Triggers failure on transcoders too old to read the full profiles, as go-livepeer does.
    profiles: Buffer.from('invalid', 'latin1'),
    capabilities: { bitstring: segData.capabilities.bitstring.map(String) },
    [segData.profilesField]: segData.profiles.map(profileMessage),
  };
  if (segData.seq !== 0n) msg['seq'] = segData.seq.toString();
  if (segData.durationMs !== 0) msg['duration'] = segData.durationMs;
  return msg;
}

export function encodeNotifySegment(notify: NotifySegment): Uint8Array {
  const msg: PlainMessage = {};
  if (notify.url !== '') msg['url'] = notify.url;
  if (notify.segData !== undefined) msg['segData'] = segDataMessage(notify.segData);
  if (notify.taskId !== 0n) msg['taskId'] = notify.taskId.toString();
  if (notify.profiles.length > 0) msg['profiles'] = notify.profiles;
  if (notify.orchId !== '') msg['orchId'] = notify.orchId;
  return encodePlain('NotifySegment', msg);
}

function wireProfile(msg: PlainMessage): WireVideoProfile {
  return {
    name: str(msg, 'name'),
    width: num(msg, 'width'),
    height: num(msg, 'height'),
    bitrate: num(msg, 'bitrate'),
    fps: num(msg, 'fps'),
    fpsDen: num(msg, 'fpsDen'),
    format: num(msg, 'format'),
    profile: num(msg, 'profile'),
    gop: num(msg, 'gop'),
    encoder: num(msg, 'encoder'),
    quality: num(msg, 'quality'),
  };
}

export function decodeNotifySegment(buffer: Uint8Array): DecodedNotifySegment {
  const msg = decode('NotifySegment', buffer);
  const segData = sub(msg, 'segData');
  const ladder = ['fullProfiles3', 'fullProfiles2', 'fullProfiles'].map((field) => list(segData, field)).find((profiles) => profiles.length > 0) ?? [];
  return {
    url: str(msg, 'url'),
    taskId: big(msg, 'taskId'),
    orchId: str(msg, 'orchId'),
    profiles: bytes(msg, 'profiles'),
    sessionId: str(sub(segData, 'authToken'), 'sessionId'),
    seq: big(segData, 'seq'),
    durationMs: num(segData, 'duration'),
    manifestId: Buffer.from(bytes(segData, 'manifestId')).toString('utf8'),
    fullProfiles: ladder.map((p) => wireProfile(p as PlainMessage)),
  };
}
