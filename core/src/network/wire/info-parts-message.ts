/**
 * The smaller parts of OrchestratorInfo (auth token, worker hardware, external
 * storage) between protobufjs objects and our decoded types.
 */
import type { ProtoObject } from './net-proto.js';
import { bytesField, int64Field, mapEntries, messageField, stringField, uint32Field } from './proto-fields.js';
import type { AuthToken, GpuComputeInfo, HardwareInformation, OSInfo, StorageType } from './types.js';

export function authTokenToMessage(token: AuthToken): ProtoObject {
  return { token: token.token, sessionId: token.sessionId, expiration: token.expiration.toString() };
}

export function authTokenFromMessage(msg: ProtoObject): AuthToken {
  return { token: bytesField(msg, 'token'), sessionId: stringField(msg, 'sessionId'), expiration: int64Field(msg, 'expiration') };
}

function gpuToMessage(gpu: GpuComputeInfo): ProtoObject {
  return {
    id: gpu.id,
    name: gpu.name,
    major: gpu.major,
    minor: gpu.minor,
    memoryFree: gpu.memoryFree.toString(),
    memoryTotal: gpu.memoryTotal.toString(),
  };
}

function gpuFromMessage(msg: ProtoObject): GpuComputeInfo {
  return {
    id: stringField(msg, 'id'),
    name: stringField(msg, 'name'),
    major: uint32Field(msg, 'major'),
    minor: uint32Field(msg, 'minor'),
    memoryFree: int64Field(msg, 'memoryFree'),
    memoryTotal: int64Field(msg, 'memoryTotal'),
  };
}

export function hardwareToMessage(hardware: HardwareInformation): ProtoObject {
  const gpuInfo: Record<string, ProtoObject> = {};
  for (const [key, gpu] of Object.entries(hardware.gpuInfo)) gpuInfo[key] = gpuToMessage(gpu);
  return { pipeline: hardware.pipeline, modelId: hardware.modelId, gpuInfo };
}

export function hardwareFromMessage(msg: ProtoObject): HardwareInformation {
  const gpuInfo: Record<string, GpuComputeInfo> = {};
  for (const [key, gpu] of mapEntries(msg, 'gpuInfo')) gpuInfo[key] = gpuFromMessage((gpu ?? {}) as ProtoObject);
  return { pipeline: stringField(msg, 'pipeline'), modelId: stringField(msg, 'modelId'), gpuInfo };
}

const STORAGE_TYPES: readonly StorageType[] = ['DIRECT', 'S3', 'GOOGLE'];

export function osInfoToMessage(info: OSInfo): ProtoObject {
  const msg: ProtoObject = { storageType: STORAGE_TYPES.indexOf(info.storageType) };
  if (info.s3info !== undefined) msg['s3info'] = { ...info.s3info };
  return msg;
}

export function osInfoFromMessage(msg: ProtoObject): OSInfo {
  const raw = msg['storageType'];
  // An enum value we do not know (a newer peer) is kept as DIRECT, the proto3 default.
  const storageType = typeof raw === 'number' ? (STORAGE_TYPES[raw] ?? 'DIRECT') : 'DIRECT';
  const s3 = messageField(msg, 's3info');
  if (s3 === undefined) return { storageType };
  const s3info = {
    host: stringField(s3, 'host'),
    key: stringField(s3, 'key'),
    policy: stringField(s3, 'policy'),
    signature: stringField(s3, 'signature'),
    credential: stringField(s3, 'credential'),
    xAmzDate: stringField(s3, 'xAmzDate'),
  };
  return { storageType, s3info };
}
