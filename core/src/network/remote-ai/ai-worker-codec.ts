/**
 * Bytes ↔ decoded types for the `net.AIWorker` messages. Both directions are
 * here so the service definition can serve as client and server, and tests
 * can speak the protocol with the same code the orchestrator uses.
 */
import { capabilitiesFromMessage, capabilitiesToMessage } from '../wire/capabilities-message.js';
import { hardwareFromMessage, hardwareToMessage } from '../wire/info-parts-message.js';
import { decodeNetMessage, encodeNetMessage, type ProtoObject } from '../wire/net-proto.js';
import { bytesField, int64Field, listField, messageField, stringField } from '../wire/proto-fields.js';
import type { HardwareInformation } from '../wire/types.js';
import type { LivepeerCapabilities } from '../../capabilities/index.js';

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



export function encodeRegisterAIWorkerRequest(request: RegisterAIWorkerRequest): Uint8Array {
  const msg: ProtoObject = { secret: request.secret, hardware: request.hardware.map(hardwareToMessage) };
  if (request.capabilities !== undefined) msg['capabilities'] = capabilitiesToMessage(request.capabilities);
  return encodeNetMessage('RegisterAIWorkerRequest', msg);
}

export function decodeRegisterAIWorkerRequest(bytes: Uint8Array): RegisterAIWorkerRequest {
  const msg = decodeNetMessage('RegisterAIWorkerRequest', bytes);
  const caps = messageField(msg, 'capabilities');
  const hardware = listField(msg, 'hardware').map((entry) => hardwareFromMessage((entry ?? {}) as ProtoObject));
  return { secret: stringField(msg, 'secret'), hardware, ...(caps !== undefined ? { capabilities: capabilitiesFromMessage(caps) } : {}) };
}

export function encodeNotifyAIJob(notify: NotifyAIJob): Uint8Array {
  const msg: ProtoObject = { taskId: notify.taskId.toString() };
  if (notify.aiJobData !== undefined) msg['AIJobData'] = { pipeline: notify.aiJobData.pipeline, requestData: notify.aiJobData.requestData };
  return encodeNetMessage('NotifyAIJob', msg);
}

export function decodeNotifyAIJob(bytes: Uint8Array): NotifyAIJob {
  const msg = decodeNetMessage('NotifyAIJob', bytes);
  const data = messageField(msg, 'AIJobData');
  const taskId = int64Field(msg, 'taskId');
  if (data === undefined) return { taskId };
  return { taskId, aiJobData: { pipeline: stringField(data, 'pipeline'), requestData: bytesField(data, 'requestData') } };
}
