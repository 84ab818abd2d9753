/**
 * `net.Capabilities` ↔ the capability registry's plain-object form
 * (LivepeerCapabilities). The registry decides *what* to advertise; this only
 * moves the values between protobufjs objects and that form.
 */
import { emptyLivepeerCapabilities, type LivepeerCapabilities, type LivepeerCapabilityConstraints } from '../../capabilities/index.js';
import type { ProtoObject } from './net-proto.js';
import { boolField, listField, mapEntries, messageField, stringField, toBigInt, uint32Field } from './proto-fields.js';

const UINT32_KEY = /^(0|[1-9][0-9]{0,9})$/;

function uint32Key(key: string): number | undefined {
  if (!UINT32_KEY.test(key)) return undefined;
  const value = Number(key);
  return value <= 0xffffffff ? value : undefined;
}

/** uint64 words go to protobufjs as decimal strings: exact, and accepted for any uint64. */
export function capabilitiesToMessage(caps: LivepeerCapabilities): ProtoObject {
  const perCapability: Record<string, ProtoObject> = {};
  for (const [id, constraints] of Object.entries(caps.constraints.perCapability)) {
    const models: Record<string, ProtoObject> = {};
    for (const [modelId, model] of Object.entries((constraints as LivepeerCapabilityConstraints).models)) {
      models[modelId] = { warm: model.warm, capacity: model.capacity, runnerVersion: model.runnerVersion, capacityInUse: model.capacityInUse };
    }
    perCapability[id] = { models };
  }
  return {
    bitstring: caps.bitstring.map((word) => word.toString()),
    mandatories: caps.mandatories.map((word) => word.toString()),
    capacities: { ...caps.capacities },
    version: caps.version,
    constraints: { minVersion: caps.constraints.minVersion, PerCapability: perCapability },
  };
}

function constraintsFromMessage(msg: ProtoObject | undefined): LivepeerCapabilities['constraints'] {
  const out: LivepeerCapabilities['constraints'] = { minVersion: '', perCapability: {} };
  if (msg === undefined) return out;
  out.minVersion = stringField(msg, 'minVersion');
  for (const [key, value] of mapEntries(msg, 'PerCapability')) {
    const id = uint32Key(key);
    if (id === undefined || value === null || typeof value !== 'object') continue;
    const models: LivepeerCapabilityConstraints['models'] = {};
    for (const [modelId, model] of mapEntries(value as ProtoObject, 'models')) {
      const m = (model ?? {}) as ProtoObject;
      models[modelId] = {
        warm: boolField(m, 'warm'),
        capacity: uint32Field(m, 'capacity'),
        runnerVersion: stringField(m, 'runnerVersion'),
        capacityInUse: uint32Field(m, 'capacityInUse'),
      };
    }
    out.perCapability[id] = { models };
  }
  return out;
}

export function capabilitiesFromMessage(msg: ProtoObject): LivepeerCapabilities {
  const caps = emptyLivepeerCapabilities(stringField(msg, 'version'));
  caps.bitstring = listField(msg, 'bitstring').map(toBigInt);
  caps.mandatories = listField(msg, 'mandatories').map(toBigInt);
  for (const [key, value] of mapEntries(msg, 'capacities')) {
    const id = uint32Key(key);
    if (id !== undefined && typeof value === 'number') caps.capacities[id] = value >>> 0;
  }
  caps.constraints = constraintsFromMessage(messageField(msg, 'constraints'));
  return caps;
}
