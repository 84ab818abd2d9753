/**
 * Our `net` .proto (discovery, workers, transcoding), loaded once with
 * protobufjs reflection; it imports the payments .proto from the same folder,
 * so one root holds every `net.*` message and service.
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { networkErrors } from '../network-errors.js';

export const NET_PROTO_PATH = fileURLToPath(new URL('../../../proto/lp_rpc_net.proto', import.meta.url));

let root: protobuf.Root | undefined;

export function netProtoRoot(): protobuf.Root {
  root ??= protobuf.loadSync(NET_PROTO_PATH);
  return root;
}

export type NetMessageName =
  | 'OrchestratorRequest'
  | 'OrchestratorInfo'
  | 'AuthToken'
  | 'PingPong'
  | 'EndTranscodingSessionRequest'
  | 'EndTranscodingSessionResponse'
  | 'Capabilities'
  | 'HardwareInformation'
  | 'OSInfo'
  | 'SegData'
  | 'TranscodeResult'
  | 'PaymentResult'
  | 'RegisterRequest'
  | 'NotifySegment'
  | 'RegisterAIWorkerRequest'
  | 'NotifyAIJob';

export function netProtoType(name: NetMessageName): protobuf.Type {
  return netProtoRoot().lookupType(`net.${name}`);
}

/** What protobufjs hands back for a message: plain fields, nested messages, Longs. */
export type ProtoObject = Record<string, unknown>;

/** Decodes a `net.*` message; bytes protobuf cannot parse are LPX_ERR_NETWORK_MALFORMED_MESSAGE naming the message. */
export function decodeNetMessage(name: NetMessageName, bytes: Uint8Array): ProtoObject {
  try {
    return netProtoType(name).decode(bytes) as unknown as ProtoObject;
  } catch (cause) {
    throw networkErrors.MALFORMED_MESSAGE.create(`${name} is not a valid protobuf message: ${(cause as Error).message}`, { cause, details: { message: name } });
  }
}

export function encodeNetMessage(name: NetMessageName, msg: ProtoObject): Uint8Array {
  return netProtoType(name).encode(msg).finish();
}
