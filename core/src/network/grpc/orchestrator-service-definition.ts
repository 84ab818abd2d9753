/**
 * `net.Orchestrator` as a grpc-js service definition whose (de)serializers are
 * our own codecs: the server hands handlers decoded requests, the client gets
 * decoded replies, and a body protobuf cannot parse is refused by grpc-js
 * (status INTERNAL, like grpc-go's unmarshal failure) before any handler runs.
 */
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';
import {
  decodeEndSessionRequest,
  decodeOrchestratorInfo,
  decodeOrchestratorRequest,
  decodePingPong,
  encodeEndSessionRequest,
  encodeEndSessionResponse,
  encodeOrchestratorInfo,
  encodeOrchestratorRequest,
  encodePingPong,
} from '../wire/orchestrator-codec.js';
import type { AuthToken, OrchestratorInfo, OrchestratorRequest } from '../wire/types.js';

export const ORCHESTRATOR_SERVICE = 'net.Orchestrator';

/** An empty message: EndTranscodingSessionResponse has no fields. */
export type Empty = Record<string, never>;

export interface OrchestratorServiceDefinition extends ServiceDefinition {
  readonly GetOrchestrator: MethodDefinition<OrchestratorRequest, OrchestratorInfo>;
  readonly EndTranscodingSession: MethodDefinition<AuthToken | undefined, Empty>;
  readonly Ping: MethodDefinition<Uint8Array, Uint8Array>;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function unary<Req, Res>(
  name: string,
  encodeRequest: (value: Req) => Uint8Array,
  decodeRequest: (bytes: Uint8Array) => Req,
  encodeResponse: (value: Res) => Uint8Array,
  decodeResponse: (bytes: Uint8Array) => Res,
): MethodDefinition<Req, Res> {
  return {
    path: `/${ORCHESTRATOR_SERVICE}/${name}`,
    requestStream: false,
    responseStream: false,
    originalName: name,
    requestSerialize: (value) => asBuffer(encodeRequest(value)),
    requestDeserialize: (bytes) => decodeRequest(bytes),
    responseSerialize: (value) => asBuffer(encodeResponse(value)),
    responseDeserialize: (bytes) => decodeResponse(bytes),
  };
}

export const orchestratorServiceDefinition: OrchestratorServiceDefinition = {
  GetOrchestrator: unary('GetOrchestrator', encodeOrchestratorRequest, decodeOrchestratorRequest, encodeOrchestratorInfo, decodeOrchestratorInfo),
  EndTranscodingSession: unary<AuthToken | undefined, Empty>(
    'EndTranscodingSession',
    encodeEndSessionRequest,
    decodeEndSessionRequest,
    () => encodeEndSessionResponse(),
    () => ({}),
  ),
  Ping: unary('Ping', encodePingPong, decodePingPong, encodePingPong, decodePingPong),
};
