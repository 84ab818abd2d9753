/**
 * Our `net` .proto (discovery, workers, transcoding), loaded once with
 * protobufjs reflection; it imports the payments .proto from the same folder,
 * so one root holds every `net.*` message and service.
 */
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

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
