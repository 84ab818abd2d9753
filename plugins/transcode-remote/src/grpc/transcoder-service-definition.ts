/**
 * `net.Transcoder` as a grpc-js service definition over our own codecs. Its one
 * method is server-streaming: a transcoder sends RegisterRequest once and then
 * reads NotifySegment tasks for as long as it stays connected.
 */
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import { decodeNotifySegment, decodeRegisterRequest, encodeNotifySegment, encodeRegisterRequest, type DecodedNotifySegment, type NotifySegment, type RegisterRequest } from '../wire/register-messages.js';

export const TRANSCODER_SERVICE = 'net.Transcoder';

export interface TranscoderServiceDefinition extends ServiceDefinition {
  readonly RegisterTranscoder: MethodDefinition<RegisterRequest, NotifySegment | DecodedNotifySegment>;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const transcoderServiceDefinition: TranscoderServiceDefinition = {
  RegisterTranscoder: {
    path: `/${TRANSCODER_SERVICE}/RegisterTranscoder`,
    requestStream: false,
    responseStream: true,
    originalName: 'RegisterTranscoder',
    requestSerialize: (value) => asBuffer(encodeRegisterRequest(value)),
    requestDeserialize: (bytes) => decodeRegisterRequest(bytes),
    responseSerialize: (value) => asBuffer(encodeNotifySegment(value as NotifySegment)),
    responseDeserialize: (bytes) => decodeNotifySegment(bytes),
  },
};
