import t from 'tap';
import type { CapabilityDeclaration } from '@lpx/sdk';
import {
  CapabilityRegistry,
  DEFAULT_CAPABILITY_IDS,
  SOFTWARE_TRANSCODE_CAPABILITY_IDS,
  bitstringOf,
  capabilityIdsIn,
  fromLivepeerCapabilities,
  jobCapabilitiesForTranscode,
  livepeerCompatibleWith,
  toLivepeerCapabilities,
} from '../../src/capabilities/index.js';

const base = { version: 1, workUnit: 'pixel', priceUnit: 'wei/pixel' } as const;
const declarations: CapabilityDeclaration[] = [
  { ...base, id: 'video/transcode', mode: 'stream', capacity: 4 },
  { ...base, id: 'ai/text-to-image', mode: 'request-response', constraints: { models: { 'sdxl-turbo': { warm: true, capacity: 2, runnerVersion: '0.13.5' }, 'sd-1.5': { warm: false } } } },
  { ...base, id: 'ai/live-video-to-video', mode: 'live', constraints: { models: { comfyui: { warm: true, capacity: 3 } } } },
  { ...base, id: 'ai/upscale', mode: 'request-response' },
  { ...base, id: 'byoc/echo', mode: 'request-response', capacity: 5 },
  { ...base, id: 'custom/not-on-the-wire', mode: 'request-response' },
];

function registryWith(list = declarations): CapabilityRegistry {
  const registry = new CapabilityRegistry();
  for (const declaration of list) registry.declare('p', declaration);
  return registry;
}

t.test('toLivepeerCapabilities builds the O message', async (t) => {
  const registry = registryWith();
  const message = toLivepeerCapabilities(registry.list(), '0.8.7', { minVersion: '0.8.0' });
  const ids = capabilityIdsIn(message.bitstring);
  t.same(ids, [...new Set([...SOFTWARE_TRANSCODE_CAPABILITY_IDS, 27, 30, 35])].sort((a, b) => a - b));
  t.equal(message.version, '0.8.7');
  t.same(message.mandatories, [], 'Os send empty mandatories');
  t.equal(message.constraints.minVersion, '0.8.0');
  t.equal(message.capacities[0], 4, 'transcode bits carry the transcode capacity');
  t.equal(message.capacities[27], 3);
  t.equal(message.capacities[30], 1);
  t.same(message.constraints.perCapability[27], {
    models: {
      'sdxl-turbo': { warm: true, capacity: 2, runnerVersion: '0.13.5', capacityInUse: 0 },
      'sd-1.5': { warm: false, capacity: 3, runnerVersion: '', capacityInUse: 0 },
    },
  });
  t.equal(message.constraints.perCapability[30], undefined, 'no models, no constraints');
  t.notOk(ids.includes(37), 'BYOC is not in the bitstring by default');
});

t.test('advertised capacity follows reservations when usage is given', async (t) => {
  const registry = registryWith();
  registry.reserve('ai/text-to-image', 'sdxl-turbo');
  registry.reserve('ai/live-video-to-video', 'comfyui');
  const message = toLivepeerCapabilities(registry.list(), '0.8.7', { usage: registry });
  t.equal(message.capacities[27], 2);
  t.equal(message.constraints.perCapability[27]?.models['sdxl-turbo']?.capacity, 1);
  t.equal(message.constraints.perCapability[27]?.models['sdxl-turbo']?.capacityInUse, 0, 'batch pipelines do not report in-use');
  t.same(message.constraints.perCapability[35]?.models['comfyui'], { warm: true, capacity: 2, runnerVersion: '', capacityInUse: 1 });
});

t.test('without transcoding: Default bits only, capacity 1; options', async (t) => {
  const message = toLivepeerCapabilities([], '1.0.0');
  t.same(message.bitstring, bitstringOf(DEFAULT_CAPABILITY_IDS));
  t.ok(Object.values(message.capacities).every((c) => c === 1));
  const registry = registryWith();
  const hw = toLivepeerCapabilities(registry.list(), '1.0.0', { transcodeIds: [...SOFTWARE_TRANSCODE_CAPABILITY_IDS, 15, 16], advertiseByoc: true });
  const ids = capabilityIdsIn(hw.bitstring);
  t.ok(ids.includes(15) && ids.includes(16), 'hardware-tested bits');
  t.ok(ids.includes(37));
  t.equal(hw.capacities[37], 5);
  t.same(hw.constraints.perCapability[37]?.models['echo'], { warm: true, capacity: 5, runnerVersion: '', capacityInUse: 0 });
});

t.test('a go-livepeer AI job matches what we advertise', async (t) => {
  const message = toLivepeerCapabilities(registryWith().list(), '0.8.7');
  const aiJob = {
    bitstring: bitstringOf([...DEFAULT_CAPABILITY_IDS, 27]),
    constraints: { minVersion: '0.8.0', perCapability: { 27: { models: { 'sdxl-turbo': { warm: true, runnerVersion: '0.13.0' } } } } },
  };
  t.ok(livepeerCompatibleWith(aiJob, message));
  t.notOk(livepeerCompatibleWith({ ...aiJob, constraints: { perCapability: { 27: { models: { 'sd-1.5': { warm: true } } } } } }, message), 'cold model, warm wanted');
  t.notOk(livepeerCompatibleWith({ ...aiJob, bitstring: bitstringOf([...DEFAULT_CAPABILITY_IDS, 28]) }, message), 'pipeline not served');
  const transcodeJob = jobCapabilitiesForTranscode({ profiles: [{ format: 'mp4', profile: 'high', gop: 2 }], storage: 's3' });
  t.ok(livepeerCompatibleWith(transcodeJob, message));
  t.ok(livepeerCompatibleWith(transcodeJob, toLivepeerCapabilities([], '0.8.7')), 'the Default bits alone cover it: an AI-only O looks like a transcoder, as in go-livepeer');
});

t.test('fromLivepeerCapabilities reads a peer into canonical ids', async (t) => {
  const sent = toLivepeerCapabilities(registryWith().list(), '0.8.7', { minVersion: '0.8.0', advertiseByoc: true });
  const view = fromLivepeerCapabilities(sent);
  t.equal(view.version, '0.8.7');
  t.equal(view.minVersion, '0.8.0');
  t.same(view.mandatoryIds, []);
  t.same(
    view.capabilities.map((c) => c.id),
    ['video/transcode', 'ai/text-to-image', 'ai/upscale', 'ai/live-video-to-video', 'byoc/echo'],
  );
  const transcode = view.capabilities[0];
  t.same(transcode?.livepeerIds, SOFTWARE_TRANSCODE_CAPABILITY_IDS);
  t.equal(transcode?.capacity, 4);
  t.same(view.capabilities[1]?.models['sdxl-turbo'], { warm: true, capacity: 2, runnerVersion: '0.13.5', capacityInUse: 0 });
  t.equal(view.capabilities[4]?.capacity, 5);
  t.same(view.unmappedIds, []);
});

t.test('fromLivepeerCapabilities fills go-livepeer defaults for old or sparse peers', async (t) => {
  const view = fromLivepeerCapabilities({ bitstring: bitstringOf([0, 12, 13, 33, 37, 70]), constraints: { perCapability: { 33: { models: { llama: {} } } } } });
  t.same(view.capacities, { 0: 1, 12: 1, 13: 1, 33: 1, 37: 1, 70: 1 }, 'no capacities → 1 per set bit');
  t.same(view.unmappedIds, [13, 70]);
  t.same(view.capabilities.map((c) => c.id), ['video/transcode', 'ai/llm'], 'a bare BYOC bit names nothing');
  t.same(view.capabilities[1]?.models['llama'], { warm: false, capacity: 0, runnerVersion: '', capacityInUse: 0 });
  const empty = fromLivepeerCapabilities({});
  t.same([empty.version, empty.minVersion, empty.livepeerIds, empty.capabilities], ['', '', [], []]);
  const aiOnly = fromLivepeerCapabilities({ bitstring: bitstringOf([12, 27]), capacities: { 27: 2 } });
  t.same(aiOnly.capabilities.map((c) => [c.id, c.capacity]), [['ai/text-to-image', 2]], 'without H.264 there is no transcode');
});
