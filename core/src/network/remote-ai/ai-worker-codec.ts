/**
 * Bytes ↔ decoded types for the `net.AIWorker` messages. Both directions are
 * here so the service definition can serve as client and server, and tests
 * can speak the protocol with the same code the orchestrator uses.
 */
import { capabilitiesFromMessage, capabilitiesToMessage } from '../wire/capabilities-message.js';
import { hardwareFromMessage, hardwareToMessage } from '../wire/info-parts-message.js';
import { netProtoType, type NetMessageName, type ProtoObject } from '../wire/net-proto.js';
import { bytesField, int64Field, listField, messageField, stringField } from '../wire/proto-fields.js';
import type { HardwareInformation } from '../wire/types.js';
import type { LivepeerCapabilities } from '../../capabilities/index.js';
import { networkErrors } from '../network-errors.js';

export interface RegisterAIWorkerRequest {
  readonly secret: string;
  /** Absent on the wire means "a legacy worker": go-livepeer substitutes its default capabilities. */
  readonly capabilities?: LivepeerCapabilities;
  readonly hardware: readonly HardwareInformation[];
}

export interface AIJobData {
  readonly pipeline: string;
  /** JSON `{"input_url": ..., "request": ...}`. */
  readonly requestData: Uint8Array;
}

export interface NotifyAIJob {
  readonly taskId: bigint;
  readonly aiJobData?: AIJobData;
}

function decodeMessage(name: NetMessageName, bytes: Uint8Array): ProtoObject {
  try {
    return netProtoType(name).decode(bytes) as unknown as ProtoObject;
  } catch (cause) {
    throw networkErrors.MALFORMED_MESSAGE.create(`${name} is not a valid protobuf message: ${(cause as Error).message}`, { cause, details: { message: name } });
  }
}

function encodeMessage(name: NetMessageName, msg: ProtoObject): Uint8Array {
  return netProtoType(name).encode(msg).finish();
}

export function encodeRegisterAIWorkerRequest(request: RegisterAIWorkerRequest): Uint8Array {
  const msg: ProtoObject = { secret: request.secret, hardware: request.hardware.map(hardwareToMessage) };
  if (request.capabilities !== undefined) msg['capabilities'] = capabilitiesToMessage(request.capabilities);
  return encodeMessage('RegisterAIWorkerRequest', msg);
}

export function decodeRegisterAIWorkerRequest(bytes: Uint8Array): RegisterAIWorkerRequest {
  const msg = decodeMessage('RegisterAIWorkerRequest', bytes);
  const caps = messageField(msg, 'capabilities');
  const hardware = listField(msg, 'hardware').map((entry) => hardwareFromMessage((entry ?? {}) as ProtoObject));
  return { secret: stringField(msg, 'secret'), hardware, ...(caps !== undefined ? { capabilities: capabilitiesFromMessage(caps) } : {}) };
}

export function encodeNotifyAIJob(notify: NotifyAIJob): Uint8Array {
  const msg: ProtoObject = { taskId: notify.taskId.toString() };
  if (notify.aiJobData !== undefined) msg['AIJobData'] = { pipeline: notify.aiJobData.pipeline, requestData: notify.aiJobData.requestData };
  return encodeMessage('NotifyAIJob', msg);
}

export function decodeNotifyAIJob(bytes: Uint8Array): NotifyAIJob {
  const msg = decodeMessage('NotifyAIJob', bytes);
  const data = messageField(msg, 'AIJobData');
  const taskId = int64Field(msg, 'taskId');
  if (data === undefined) return { taskId };
  return { taskId, aiJobData: { pipeline: stringField(data, 'pipeline'), requestData: bytesField(data, 'requestData') } };
}
