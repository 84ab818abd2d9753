/**
 * `net.RegisterAIWorkerRequest` and `net.NotifyAIJob` (go-livepeer's
 * lp_rpc.proto, the two messages of RegisterAIWorker) as a protobufjs JSON
 * descriptor, so the plugin ships no .proto file. Field numbers are
 * go-livepeer's; names are ours (only numbers travel). Both directions are
 * here so tests can read the stream with the code the orchestrator writes it.
 */
import protobuf from 'protobufjs';
import { errors } from '@lpx/sdk';

const descriptor = {
  nested: {
    net: {
      nested: {
        Capabilities: {
          fields: {
            bitstring: { rule: 'repeated', type: 'uint64', id: 1 },
            mandatories: { rule: 'repeated', type: 'uint64', id: 2 },
            capacities: { keyType: 'uint32', type: 'uint32', id: 3 },
            version: { type: 'string', id: 4 },
            constraints: { type: 'Constraints', id: 5 },
          },
          nested: {
            Constraints: {
              fields: { minVersion: { type: 'string', id: 1 }, perCapability: { keyType: 'uint32', type: 'CapabilityConstraints', id: 2 } },
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
        GPUComputeInfo: {
          fields: {
            id: { type: 'string', id: 1 },
            name: { type: 'string', id: 2 },
            major: { type: 'uint32', id: 4 },
            minor: { type: 'uint32', id: 5 },
            memoryFree: { type: 'int64', id: 6 },
            memoryTotal: { type: 'int64', id: 7 },
          },
        },
        HardwareInformation: {
          fields: { pipeline: { type: 'string', id: 1 }, modelId: { type: 'string', id: 2 }, gpuInfo: { keyType: 'string', type: 'GPUComputeInfo', id: 3 } },
        },
        RegisterAIWorkerRequest: {
          fields: { secret: { type: 'string', id: 1 }, capabilities: { type: 'Capabilities', id: 2 }, hardware: { rule: 'repeated', type: 'HardwareInformation', id: 3 } },
        },
        AIJobData: { fields: { pipeline: { type: 'string', id: 1 }, requestData: { type: 'bytes', id: 2 } } },
        NotifyAIJob: { fields: { aiJobData: { type: 'AIJobData', id: 1 }, taskId: { type: 'int64', id: 2 } } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(descriptor);
const registerType = root.lookupType('net.RegisterAIWorkerRequest');
const notifyType = root.lookupType('net.NotifyAIJob');

/** One model a worker serves, from its capability constraints. */
export interface WorkerModelConstraint {
  readonly warm: boolean;
  readonly capacity: number;
  readonly runnerVersion: string;
}

/** A GPU as the worker reports it (OrchestratorInfo.hardware in go-livepeer). */
export interface WorkerHardware {
  readonly pipeline: string;
  readonly modelId: string;
  readonly gpus: readonly { readonly id: string; readonly name: string; readonly memoryTotal: string }[];
}

export interface RegisterAIWorkerRequest {
  readonly secret: string;
  /** Absent: a legacy worker (go-livepeer substitutes its defaults, which hold no AI models). */
  readonly capabilities?: {
    readonly version: string;
    /** go-livepeer capability id → model id → constraint. */
    readonly perCapability: ReadonlyMap<number, ReadonlyMap<string, WorkerModelConstraint>>;
  };
  readonly hardware: readonly WorkerHardware[];
}

export interface NotifyAIJob {
  readonly taskId: bigint;
  readonly pipeline: string;
  /** JSON `{"input_url": ..., "request": ...}`. */
  readonly requestData: Uint8Array;
}

type Plain = Record<string, unknown>;

const obj = (value: unknown): Plain => (value !== null && typeof value === 'object' && !(value instanceof Uint8Array) ? (value as Plain) : {});
const str = (msg: Plain, field: string): string => (typeof msg[field] === 'string' ? (msg[field] as string) : '');

function decodeWith(type: protobuf.Type, bytes: Uint8Array): Plain {
  try {
    return type.toObject(type.decode(bytes), { longs: String, defaults: false, arrays: true, objects: true }) as Plain;
  } catch (cause) {
    throw errors.aiWorker.REQUEST_INVALID.create(`${type.name} is not a valid protobuf message: ${(cause as Error).message}`, { cause });
  }
}

function decodeCapabilities(caps: Plain): NonNullable<RegisterAIWorkerRequest['capabilities']> {
  const perCapability = new Map<number, Map<string, WorkerModelConstraint>>();
  for (const [rawId, constraints] of Object.entries(obj(obj(caps['constraints'])['perCapability']))) {
    const models = new Map<string, WorkerModelConstraint>();
    for (const [modelId, model] of Object.entries(obj(obj(constraints)['models']))) {
      const m = obj(model);
      models.set(modelId, { warm: m['warm'] === true, capacity: typeof m['capacity'] === 'number' ? m['capacity'] : 0, runnerVersion: str(m, 'runnerVersion') });
    }
    perCapability.set(Number(rawId), models);
  }
  return { version: str(caps, 'version'), perCapability };
}

export function decodeRegisterAIWorkerRequest(bytes: Uint8Array): RegisterAIWorkerRequest {
  const msg = decodeWith(registerType, bytes);
  const hardware = (Array.isArray(msg['hardware']) ? msg['hardware'] : []).map((entry): WorkerHardware => {
    const h = obj(entry);
    const gpus = Object.values(obj(h['gpuInfo'])).map((gpu) => ({ id: str(obj(gpu), 'id'), name: str(obj(gpu), 'name'), memoryTotal: String(obj(gpu)['memoryTotal'] ?? '0') }));
    return { pipeline: str(h, 'pipeline'), modelId: str(h, 'modelId'), gpus };
  });
  const caps = msg['capabilities'];
  return { secret: str(msg, 'secret'), hardware, ...(caps !== undefined ? { capabilities: decodeCapabilities(obj(caps)) } : {}) };
}

export function encodeRegisterAIWorkerRequest(request: RegisterAIWorkerRequest): Uint8Array {
  const msg: Plain = { secret: request.secret };
  if (request.capabilities !== undefined) {
    const perCapability: Plain = {};
    for (const [id, models] of request.capabilities.perCapability) perCapability[String(id)] = { models: Object.fromEntries(models) };
    msg['capabilities'] = { version: request.capabilities.version, constraints: { perCapability } };
  }
  msg['hardware'] = request.hardware.map((h) => ({ pipeline: h.pipeline, modelId: h.modelId, gpuInfo: Object.fromEntries(h.gpus.map((g, i) => [String(i), g])) }));
  return registerType.encode(registerType.fromObject(msg)).finish();
}

export function encodeNotifyAIJob(notify: NotifyAIJob): Uint8Array {
  const msg: Plain = { aiJobData: { pipeline: notify.pipeline, requestData: notify.requestData } };
  // proto3 leaves defaults out, as Go's marshaller does.
  if (notify.taskId !== 0n) msg['taskId'] = notify.taskId.toString();
  return notifyType.encode(notifyType.fromObject(msg)).finish();
}

export function decodeNotifyAIJob(bytes: Uint8Array): NotifyAIJob {
  const msg = decodeWith(notifyType, bytes);
  const data = obj(msg['aiJobData']);
  const requestData = data['requestData'] instanceof Uint8Array ? (data['requestData'] as Uint8Array) : new Uint8Array(0);
  return { taskId: BigInt(String(msg['taskId'] ?? '0')), pipeline: str(data, 'pipeline'), requestData };
}
