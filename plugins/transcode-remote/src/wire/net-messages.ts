/**
 * The subset of go-livepeer's `net` protobuf package a remote transcoder
 * speaks (lp_rpc.proto: RegisterRequest, NotifySegment and what they carry),
 * as a protobufjs JSON descriptor so the plugin needs no .proto file at run
 * time. Field numbers are go-livepeer's; names are ours (only numbers travel).
 */
import protobuf from 'protobufjs';

const u64 = (id: number) => ({ rule: 'repeated', type: 'uint64', id });

const descriptor = {
  nested: {
    net: {
      nested: {
        Capabilities: {
          fields: {
            bitstring: u64(1),
            mandatories: u64(2),
            capacities: { keyType: 'uint32', type: 'uint32', id: 3 },
            version: { type: 'string', id: 4 },
            constraints: { type: 'Constraints', id: 5 },
          },
          nested: {
            Constraints: {
              fields: {
                minVersion: { type: 'string', id: 1 },
                perCapability: { keyType: 'uint32', type: 'CapabilityConstraints', id: 2 },
              },
            },
            CapabilityConstraints: {
              fields: { models: { keyType: 'string', type: 'ModelConstraint', id: 1 } },
              nested: {
                ModelConstraint: {
                  fields: {
                    warm: { type: 'bool', id: 1 },
                    capacity: { type: 'uint32', id: 2 },
                    runnerVersion: { type: 'string', id: 3 },
                    capacityInUse: { type: 'uint32', id: 4 },
                  },
                },
              },
            },
          },
        },
        AuthToken: {
          fields: { token: { type: 'bytes', id: 1 }, sessionId: { type: 'string', id: 2 }, expiration: { type: 'int64', id: 3 } },
        },
        VideoProfile: {
          fields: {
            name: { type: 'string', id: 16 },
            width: { type: 'int32', id: 17 },
            height: { type: 'int32', id: 18 },
            bitrate: { type: 'int32', id: 19 },
            fps: { type: 'uint32', id: 20 },
            format: { type: 'int32', id: 21 },
            fpsDen: { type: 'uint32', id: 22 },
            profile: { type: 'int32', id: 23 },
            gop: { type: 'int32', id: 24 },
            encoder: { type: 'int32', id: 25 },
            colorDepth: { type: 'int32', id: 26 },
            chromaFormat: { type: 'int32', id: 27 },
            quality: { type: 'uint32', id: 28 },
          },
        },
        SegData: {
          fields: {
            manifestId: { type: 'bytes', id: 1 },
            seq: { type: 'int64', id: 2 },
            hash: { type: 'bytes', id: 3 },
            profiles: { type: 'bytes', id: 4 },
            sig: { type: 'bytes', id: 5 },
            duration: { type: 'int32', id: 6 },
            capabilities: { type: 'Capabilities', id: 7 },
            authToken: { type: 'AuthToken', id: 8 },
            calcPerceptualHash: { type: 'bool', id: 10 },
            fullProfiles: { rule: 'repeated', type: 'VideoProfile', id: 33 },
            fullProfiles2: { rule: 'repeated', type: 'VideoProfile', id: 34 },
            fullProfiles3: { rule: 'repeated', type: 'VideoProfile', id: 35 },
          },
        },
        RegisterRequest: {
          fields: { secret: { type: 'string', id: 1 }, capacity: { type: 'int64', id: 2 }, capabilities: { type: 'Capabilities', id: 3 } },
        },
        NotifySegment: {
          fields: {
            url: { type: 'string', id: 1 },
            segData: { type: 'SegData', id: 3 },
            taskId: { type: 'int64', id: 16 },
            profiles: { type: 'bytes', id: 17 },
            orchId: { type: 'string', id: 18 },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);

export type NetMessageName = 'RegisterRequest' | 'NotifySegment' | 'SegData' | 'Capabilities';

export function netType(name: NetMessageName): protobuf.Type {
  return root.lookupType(`net.${name}`);
}

/** A decoded message as plain values: 64-bit integers as decimal strings, bytes as Uint8Array. */
export type PlainMessage = Record<string, unknown>;

export function decodePlain(name: NetMessageName, bytes: Uint8Array): PlainMessage {
  const type = netType(name);
  return type.toObject(type.decode(bytes), { longs: String, defaults: false, arrays: true }) as PlainMessage;
}

export function encodePlain(name: NetMessageName, message: PlainMessage): Uint8Array {
  const type = netType(name);
  return type.encode(type.fromObject(message)).finish();
}
