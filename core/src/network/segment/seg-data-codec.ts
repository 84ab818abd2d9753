/**
 * The Livepeer-Segment header: std (padded) base64 of a protobuf `net.SegData`.
 * Decoding is strict about the envelope (base64, protobuf, sizes) and lenient
 * about content, like go-livepeer: profile enums, duration, signature and
 * token are judged by the credential check, which knows go-livepeer's order.
 */
import { capabilitiesFromMessage, capabilitiesToMessage } from '../wire/capabilities-message.js';
import { authTokenFromMessage, authTokenToMessage, osInfoFromMessage, osInfoToMessage } from '../wire/info-parts-message.js';
import { netProtoType, type ProtoObject } from '../wire/net-proto.js';
import { boolField, bytesField, int64Field, listField, messageField, stringField, toBigInt, uint32Field } from '../wire/proto-fields.js';
import { segmentErrors } from './segment-errors.js';
import type { DecodedSegData, SegData, SegParameters, VideoProfile } from './seg-data-types.js';

/**
 * Our limits. go-livepeer has none beyond its HTTP header cap; a real gateway's
 * header is a few hundred bytes (manifest id, 65-byte sig, a handful of
 * profiles), so these only stop a peer from making us decode megabytes.
 */
export const SEG_DATA_LIMITS = {
  /** Characters of the base64 header value (≈ 48 KiB of protobuf). */
  maxHeaderChars: 65_536,
  maxManifestIdBytes: 1_024,
  /** Per fullProfiles field. */
  maxProfiles: 128,
} as const;

/** Go's base64.StdEncoding: padded standard alphabet; it skips CR and LF. */
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** go-livepeer's text for a base64 failure, and the one it puts on the 403. */
export const SEG_ENCODING_TEXT = 'ErrorSegEncoding';
/** google.golang.org/protobuf's text for bytes that are not the message. */
export const PROTO_PARSE_TEXT = 'proto: cannot parse invalid wire-format data';

const int32 = (msg: ProtoObject, field: string): number => {
  const value = msg[field];
  return typeof value === 'number' ? value | 0 : 0;
};

function profileFromMessage(msg: ProtoObject): VideoProfile {
  return {
    name: stringField(msg, 'name'),
    width: int32(msg, 'width'),
    height: int32(msg, 'height'),
    bitrate: int32(msg, 'bitrate'),
    fps: uint32Field(msg, 'fps'),
    format: int32(msg, 'format'),
    fpsDen: uint32Field(msg, 'fpsDen'),
    profile: int32(msg, 'profile'),
    gop: int32(msg, 'gop'),
    encoder: int32(msg, 'encoder'),
    colorDepth: int32(msg, 'colorDepth'),
    chromaFormat: int32(msg, 'chromaFormat'),
    quality: uint32Field(msg, 'quality'),
  };
}

function profileToMessage(profile: VideoProfile): ProtoObject {
  // Defaults left out, as Go writes them.
  return Object.fromEntries(Object.entries(profile).filter(([, value]) => value !== 0 && value !== ''));
}

function profileList(msg: ProtoObject, field: string): VideoProfile[] {
  const list = listField(msg, field);
  if (list.length > SEG_DATA_LIMITS.maxProfiles) {
    throw segmentErrors.HEADER_TOO_LARGE.create(`${field} has ${list.length} profiles, more than ${SEG_DATA_LIMITS.maxProfiles}`, { details: { field, count: list.length } });
  }
  return list.map((p) => profileFromMessage(p as ProtoObject));
}

export function segDataFromMessage(msg: ProtoObject): DecodedSegData {
  const manifestIdBytes = bytesField(msg, 'manifestId');
  if (manifestIdBytes.length > SEG_DATA_LIMITS.maxManifestIdBytes) {
    throw segmentErrors.HEADER_TOO_LARGE.create(`manifest id is ${manifestIdBytes.length} bytes, more than ${SEG_DATA_LIMITS.maxManifestIdBytes}`);
  }
  const capabilities = messageField(msg, 'capabilities');
  const authToken = messageField(msg, 'authToken');
  const params = messageField(msg, 'segmentParameters');
  const segmentParameters: SegParameters | undefined = params === undefined ? undefined : { from: toBigInt(params['from']), to: toBigInt(params['to']) };
  return {
    // Go keeps the raw bytes as the id; invalid UTF-8 only affects our display form.
    manifestId: Buffer.from(manifestIdBytes).toString('utf8'),
    manifestIdBytes,
    seq: int64Field(msg, 'seq'),
    hash: bytesField(msg, 'hash'),
    profiles: bytesField(msg, 'profiles'),
    sig: bytesField(msg, 'sig'),
    duration: int32(msg, 'duration'),
    ...(capabilities !== undefined ? { capabilities: capabilitiesFromMessage(capabilities) } : {}),
    ...(authToken !== undefined ? { authToken: authTokenFromMessage(authToken) } : {}),
    calcPerceptualHash: boolField(msg, 'calcPerceptualHash'),
    storage: listField(msg, 'storage').map((s) => osInfoFromMessage(s as ProtoObject)),
    fullProfiles: profileList(msg, 'fullProfiles'),
    fullProfiles2: profileList(msg, 'fullProfiles2'),
    fullProfiles3: profileList(msg, 'fullProfiles3'),
    ...(segmentParameters !== undefined ? { segmentParameters } : {}),
    forceSessionReinit: boolField(msg, 'ForceSessionReinit'),
  };
}

/**
 * Only non-default fields are set: protobufjs writes every field it is given,
 * while Go (proto3) omits defaults, and we want go-livepeer's byte layout.
 */
export function segDataToMessage(seg: SegData): ProtoObject {
  const msg: ProtoObject = {};
  const set = (field: string, value: unknown, isDefault: boolean): void => {
    if (!isDefault) msg[field] = value;
  };
  const manifestId = Buffer.from(seg.manifestId, 'utf8');
  set('manifestId', manifestId, manifestId.length === 0);
  set('seq', seg.seq.toString(), seg.seq === 0n);
  set('hash', seg.hash, seg.hash.length === 0);
  set('profiles', seg.profiles, seg.profiles.length === 0);
  set('sig', seg.sig, seg.sig.length === 0);
  set('duration', seg.duration, seg.duration === 0);
  set('calcPerceptualHash', true, !seg.calcPerceptualHash);
  set('storage', seg.storage.map(osInfoToMessage), seg.storage.length === 0);
  set('fullProfiles', seg.fullProfiles.map(profileToMessage), seg.fullProfiles.length === 0);
  set('fullProfiles2', seg.fullProfiles2.map(profileToMessage), seg.fullProfiles2.length === 0);
  set('fullProfiles3', seg.fullProfiles3.map(profileToMessage), seg.fullProfiles3.length === 0);
  set('ForceSessionReinit', true, !seg.forceSessionReinit);
  if (seg.capabilities !== undefined) msg['capabilities'] = capabilitiesToMessage(seg.capabilities);
  if (seg.authToken !== undefined) msg['authToken'] = authTokenToMessage(seg.authToken);
  if (seg.segmentParameters !== undefined) msg['segmentParameters'] = { from: seg.segmentParameters.from.toString(), to: seg.segmentParameters.to.toString() };
  return msg;
}

export function encodeSegData(seg: SegData): Uint8Array {
  return netProtoType('SegData').encode(segDataToMessage(seg)).finish();
}

export function decodeSegData(bytes: Uint8Array): DecodedSegData {
  let msg: ProtoObject;
  try {
    msg = netProtoType('SegData').decode(bytes) as unknown as ProtoObject;
  } catch (cause) {
    throw segmentErrors.MALFORMED.create(PROTO_PARSE_TEXT, { cause, details: { reason: (cause as Error).message } });
  }
  return segDataFromMessage(msg);
}

/** The Livepeer-Segment header value for `seg`. */
export function encodeSegDataHeader(seg: SegData): string {
  return Buffer.from(encodeSegData(seg)).toString('base64');
}

/** An empty header is an empty SegData, as in go-livepeer (the checks then refuse it). */
export function decodeSegDataHeader(header: string): DecodedSegData {
  if (header.length > SEG_DATA_LIMITS.maxHeaderChars) {
    throw segmentErrors.HEADER_TOO_LARGE.create(`Livepeer-Segment header is ${header.length} characters, more than ${SEG_DATA_LIMITS.maxHeaderChars}`);
  }
  const text = header.replace(/[\r\n]/g, '');
  if (text.length % 4 !== 0 || !STD_BASE64.test(text)) throw segmentErrors.HEADER_ENCODING.create(SEG_ENCODING_TEXT);
  return decodeSegData(Uint8Array.from(Buffer.from(text, 'base64')));
}

/** A SegData with every field at its proto3 default; spread over it to build one. */
export function emptySegData(): SegData {
  return {
    manifestId: '',
    seq: 0n,
    hash: new Uint8Array(0),
    profiles: new Uint8Array(0),
    sig: new Uint8Array(0),
    duration: 0,
    calcPerceptualHash: false,
    storage: [],
    fullProfiles: [],
    fullProfiles2: [],
    fullProfiles3: [],
    forceSessionReinit: false,
  };
}
