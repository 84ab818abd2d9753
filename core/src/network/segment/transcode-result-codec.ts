/**
 * The bodies of successful /segment and /payment replies: protobuf
 * `TranscodeResult` (seq, error or data, fresh OrchestratorInfo in field 16)
 * and `PaymentResult` (the info alone).
 */
import { decodeNetMessage, netProtoType, type ProtoObject } from '../wire/net-proto.js';
import { orchestratorInfoFromMessage, orchestratorInfoToMessage } from '../wire/orchestrator-codec.js';
import { bytesField, int64Field, listField, messageField, stringField } from '../wire/proto-fields.js';
import type { OrchestratorInfo } from '../wire/types.js';

export interface TranscodedSegmentData {
  /** Where the gateway downloads the rendition. */
  readonly url: string;
  /** Output pixels encoded for this rendition (what the gateway is charged for). */
  readonly pixels: bigint;
  readonly perceptualHashUrl?: string;
}

export interface TranscodeData {
  /** In job profile order. */
  readonly segments: readonly TranscodedSegmentData[];
  /** The orchestrator's signature over the renditions (renditionSignatureMessage). */
  readonly sig: Uint8Array;
}

export type TranscodeOutcome = { readonly error: string } | { readonly data: TranscodeData };

export type TranscodeResult = TranscodeOutcome & {
  readonly seq: bigint;
  readonly info?: OrchestratorInfo;
};


export function encodeTranscodeResult(result: TranscodeResult): Uint8Array {
  const msg: ProtoObject = { seq: result.seq.toString() };
  if ('error' in result) msg['error'] = result.error;
  else {
    msg['data'] = {
      segments: result.data.segments.map((s) => ({ url: s.url, pixels: s.pixels.toString(), perceptualHashUrl: s.perceptualHashUrl ?? '' })),
      sig: result.data.sig,
    };
  }
  if (result.info !== undefined) msg['info'] = orchestratorInfoToMessage(result.info);
  return netProtoType('TranscodeResult').encode(msg).finish();
}

/** For gateways and tests. A result with neither error nor data reads as an empty data set. */
export function decodeTranscodeResult(bytes: Uint8Array): TranscodeResult {
  const msg = decodeNetMessage('TranscodeResult', bytes);
  const info = messageField(msg, 'info');
  const base = { seq: int64Field(msg, 'seq'), ...(info !== undefined ? { info: orchestratorInfoFromMessage(info) } : {}) };
  // Decoded fields present on the wire are own properties; defaults live on the prototype.
  if (Object.hasOwn(msg, 'error')) return { ...base, error: stringField(msg, 'error') };
  const data = messageField(msg, 'data') ?? {};
  const segments = listField(data, 'segments').map((raw): TranscodedSegmentData => {
    const s = raw as ProtoObject;
    const perceptualHashUrl = stringField(s, 'perceptualHashUrl');
    return { url: stringField(s, 'url'), pixels: int64Field(s, 'pixels'), ...(perceptualHashUrl !== '' ? { perceptualHashUrl } : {}) };
  });
  return { ...base, data: { segments, sig: bytesField(data, 'sig') } };
}

export function encodePaymentResult(info: OrchestratorInfo): Uint8Array {
  return netProtoType('PaymentResult').encode({ info: orchestratorInfoToMessage(info) }).finish();
}

export function decodePaymentResult(bytes: Uint8Array): OrchestratorInfo | undefined {
  const info = messageField(decodeNetMessage('PaymentResult', bytes), 'info');
  return info === undefined ? undefined : orchestratorInfoFromMessage(info);
}
