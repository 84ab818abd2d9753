/**
 * `net.RegisterRequest` and `net.NotifySegment` codecs: the two messages of
 * RegisterTranscoder. Both directions are here so our own tests (and a future
 * lpx transcoder) read the stream with the same code the orchestrator writes it.
 * Defaults are left out on encode, as Go's proto3 marshaller does.
 */
import type { LivepeerCapabilities } from '../../capabilities/index.js';
import { segDataFromMessage, segDataToMessage } from '../segment/seg-data-codec.js';
import type { DecodedSegData, SegData } from '../segment/seg-data-types.js';
import { capabilitiesFromMessage, capabilitiesToMessage } from '../wire/capabilities-message.js';
import { decodeNetMessage, netProtoType, type ProtoObject } from '../wire/net-proto.js';
import { bytesField, int64Field, messageField, stringField } from '../wire/proto-fields.js';

export interface RegisterRequest {
  readonly secret: string;
  /** int64 on the wire; the orchestrator refuses ≤ 0. */
  readonly capacity: bigint;
  /** Absent for legacy transcoders that advertise nothing. */
  readonly capabilities?: LivepeerCapabilities;
}

/** The session-teardown signal carries a SegData holding nothing but the session id. */
export interface TeardownSegData {
  readonly teardownSessionId: string;
}

export interface NotifySegment {
  /** Empty together with a session id in segData: tear the session down. */
  readonly url: string;
  readonly segData?: SegData | TeardownSegData;
  readonly taskId: bigint;
  readonly orchId: string;
  readonly profiles: Uint8Array;
}

export interface DecodedNotifySegment extends Omit<NotifySegment, 'segData'> {
  readonly segData?: DecodedSegData;
}


export function encodeRegisterRequest(request: RegisterRequest): Uint8Array {
  const msg: ProtoObject = {};
  if (request.secret !== '') msg['secret'] = request.secret;
  if (request.capacity !== 0n) msg['capacity'] = request.capacity.toString();
  if (request.capabilities !== undefined) msg['capabilities'] = capabilitiesToMessage(request.capabilities);
  return netProtoType('RegisterRequest').encode(msg).finish();
}

export function decodeRegisterRequest(bytes: Uint8Array): RegisterRequest {
  const msg = decodeNetMessage('RegisterRequest', bytes);
  const capabilities = messageField(msg, 'capabilities');
  return {
    secret: stringField(msg, 'secret'),
    capacity: int64Field(msg, 'capacity'),
    ...(capabilities !== undefined ? { capabilities: capabilitiesFromMessage(capabilities) } : {}),
  };
}

function segDataMessage(segData: SegData | TeardownSegData): ProtoObject {
  if ('teardownSessionId' in segData) return { authToken: { sessionId: segData.teardownSessionId } };
  return segDataToMessage(segData);
}

export function encodeNotifySegment(notify: NotifySegment): Uint8Array {
  const msg: ProtoObject = {};
  if (notify.url !== '') msg['url'] = notify.url;
  if (notify.segData !== undefined) msg['segData'] = segDataMessage(notify.segData);
  if (notify.taskId !== 0n) msg['taskId'] = notify.taskId.toString();
  if (notify.profiles.length > 0) msg['profiles'] = notify.profiles;
  if (notify.orchId !== '') msg['orchId'] = notify.orchId;
  return netProtoType('NotifySegment').encode(msg).finish();
}

export function decodeNotifySegment(bytes: Uint8Array): DecodedNotifySegment {
  const msg = decodeNetMessage('NotifySegment', bytes);
  const segData = messageField(msg, 'segData');
  return {
    url: stringField(msg, 'url'),
    ...(segData !== undefined ? { segData: segDataFromMessage(segData) } : {}),
    taskId: int64Field(msg, 'taskId'),
    orchId: stringField(msg, 'orchId'),
    profiles: bytesField(msg, 'profiles'),
  };
}
