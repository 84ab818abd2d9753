/**
 * Bytes ↔ decoded types for the `net.Orchestrator` service messages. The gRPC
 * service definition uses these as its (de)serializers, so everything that
 * crosses the wire goes through one place and a malformed body is one coded
 * error.
 */
import type { LivepeerCapabilityPrice } from '../../capabilities/index.js';
import { priceInfoFromMessage, priceInfoToMessage, ticketParamsFromMessage, ticketParamsToMessage } from '../../payments/index.js';
import { capabilitiesFromMessage, capabilitiesToMessage } from './capabilities-message.js';
import { authTokenFromMessage, authTokenToMessage, hardwareFromMessage, hardwareToMessage, osInfoFromMessage, osInfoToMessage } from './info-parts-message.js';
import { decodeNetMessage, encodeNetMessage, type ProtoObject } from './net-proto.js';
import { boolField, bytesField, int64Field, listField, messageField, stringField, uint32Field } from './proto-fields.js';
import type { AuthToken, OrchestratorInfo, OrchestratorRequest } from './types.js';



function capabilityPriceToMessage(price: LivepeerCapabilityPrice): ProtoObject {
  return priceInfoToMessage({ pricePerUnit: price.pricePerUnit, pixelsPerUnit: price.pixelsPerUnit, capability: price.capability, constraint: price.constraint });
}

function capabilityPriceFromMessage(msg: ProtoObject): LivepeerCapabilityPrice {
  return {
    capability: uint32Field(msg, 'capability'),
    constraint: stringField(msg, 'constraint'),
    pricePerUnit: int64Field(msg, 'pricePerUnit'),
    pixelsPerUnit: int64Field(msg, 'pixelsPerUnit'),
  };
}

export function orchestratorInfoToMessage(info: OrchestratorInfo): ProtoObject {
  const msg: ProtoObject = {
    transcoder: info.transcoder,
    address: info.address,
    hardware: info.hardware.map(hardwareToMessage),
    storage: info.storage.map(osInfoToMessage),
    capabilitiesPrices: info.capabilitiesPrices.map(capabilityPriceToMessage),
    nodes: [...info.nodes],
  };
  // An orchestrator hands out params with their expiration params inside (field 2.7).
  if (info.ticketParams !== undefined) msg['ticketParams'] = ticketParamsToMessage(info.ticketParams, true);
  if (info.priceInfo !== undefined) msg['priceInfo'] = priceInfoToMessage(info.priceInfo);
  if (info.capabilities !== undefined) msg['capabilities'] = capabilitiesToMessage(info.capabilities);
  if (info.authToken !== undefined) msg['authToken'] = authTokenToMessage(info.authToken);
  return msg;
}

export function orchestratorInfoFromMessage(msg: ProtoObject): OrchestratorInfo {
  const ticketParams = messageField(msg, 'ticketParams');
  const priceInfo = messageField(msg, 'priceInfo');
  const capabilities = messageField(msg, 'capabilities');
  const authToken = messageField(msg, 'authToken');
  return {
    transcoder: stringField(msg, 'transcoder'),
    ...(ticketParams !== undefined ? { ticketParams: ticketParamsFromMessage(ticketParams) } : {}),
    ...(priceInfo !== undefined ? { priceInfo: priceInfoFromMessage(priceInfo) } : {}),
    address: bytesField(msg, 'address'),
    ...(capabilities !== undefined ? { capabilities: capabilitiesFromMessage(capabilities) } : {}),
    ...(authToken !== undefined ? { authToken: authTokenFromMessage(authToken) } : {}),
    hardware: listField(msg, 'hardware').map((h) => hardwareFromMessage(h as ProtoObject)),
    storage: listField(msg, 'storage').map((s) => osInfoFromMessage(s as ProtoObject)),
    capabilitiesPrices: listField(msg, 'capabilitiesPrices').map((p) => capabilityPriceFromMessage(p as ProtoObject)),
    nodes: listField(msg, 'nodes').filter((n): n is string => typeof n === 'string'),
  };
}

export function encodeOrchestratorInfo(info: OrchestratorInfo): Uint8Array {
  return encodeNetMessage('OrchestratorInfo', orchestratorInfoToMessage(info));
}

export function decodeOrchestratorInfo(bytes: Uint8Array): OrchestratorInfo {
  return orchestratorInfoFromMessage(decodeNetMessage('OrchestratorInfo', bytes));
}

export function encodeOrchestratorRequest(request: OrchestratorRequest): Uint8Array {
  const msg: ProtoObject = { address: request.address, sig: request.sig, ignoreCapacityCheck: request.ignoreCapacityCheck };
  if (request.capabilities !== undefined) msg['capabilities'] = capabilitiesToMessage(request.capabilities);
  return encodeNetMessage('OrchestratorRequest', msg);
}

/** Lenient like go-livepeer: sizes are judged by the signature check, not here. */
export function decodeOrchestratorRequest(bytes: Uint8Array): OrchestratorRequest {
  const msg = decodeNetMessage('OrchestratorRequest', bytes);
  const capabilities = messageField(msg, 'capabilities');
  return {
    address: bytesField(msg, 'address'),
    sig: bytesField(msg, 'sig'),
    ...(capabilities !== undefined ? { capabilities: capabilitiesFromMessage(capabilities) } : {}),
    ignoreCapacityCheck: boolField(msg, 'ignoreCapacityCheck'),
  };
}

export function encodePingPong(value: Uint8Array): Uint8Array {
  return encodeNetMessage('PingPong', { value });
}

export function decodePingPong(bytes: Uint8Array): Uint8Array {
  return bytesField(decodeNetMessage('PingPong', bytes), 'value');
}

export function encodeEndSessionRequest(authToken: AuthToken | undefined): Uint8Array {
  return encodeNetMessage('EndTranscodingSessionRequest', authToken === undefined ? {} : { authToken: authTokenToMessage(authToken) });
}

export function decodeEndSessionRequest(bytes: Uint8Array): AuthToken | undefined {
  const token = messageField(decodeNetMessage('EndTranscodingSessionRequest', bytes), 'authToken');
  return token === undefined ? undefined : authTokenFromMessage(token);
}

/** The response has no fields; any bytes a peer sends back are ignored, as proto3 does. */
export function encodeEndSessionResponse(): Uint8Array {
  return new Uint8Array(0);
}
