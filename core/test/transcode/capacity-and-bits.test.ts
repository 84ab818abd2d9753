// What a node advertises comes from its live transcode backends: capacities
// add up across workers, the go-livepeer bits follow the codecs they list
// (a libx264 backend lands exactly on go-livepeer's software set), and the
// wire profile converts to the sdk's and back without loss.
import t from 'tap';
import type { TranscodeBackendStatus } from '@lpx/sdk';
import { CapabilityRegistry, capabilityIdsIn, SOFTWARE_TRANSCODE_CAPABILITY_IDS, toLivepeerCapabilities, transcodeBitsFor } from '../../src/capabilities/index.js';
import { fromWireProfile, toWireProfile } from '../../src/transcode/profile-convert.js';
import { combineOffers, type WorkerHeartbeat } from '../../src/transcode/worker-directory.js';
import { LADDER } from './helpers/media.js';

const status = (capacity: number, decode: string[], encode: string[], available = true): TranscodeBackendStatus =>
  ({ available, capacity, decode, encode, formats: ['mpegts', 'mp4'], ...(available ? {} : { reason: 'off' }) }) as TranscodeBackendStatus;
const beat = (workerId: string, backends: Record<string, TranscodeBackendStatus>): WorkerHeartbeat => ({ workerId, node: workerId, at: 0, backends });

t.test('live workers combine: capacities add, codecs unite, unavailable backends count for nothing', async (t) => {
  const offer = combineOffers([
    beat('w1', { ffmpeg: status(2, ['H264', 'VP8'], ['H264']), nvenc: status(0, [], [], false) }),
    beat('w2', { ffmpeg: status(3, ['H264', 'VP8'], ['H264']), nvenc: status(8, ['H264', 'HEVC'], ['H264', 'HEVC']) }),
    beat('w3', { netint: status(0, [], [], false) }),
  ]);
  t.same(offer, { capacity: 13, decode: ['H264', 'HEVC', 'VP8'], encode: ['H264', 'HEVC'], formats: ['mp4', 'mpegts'], workers: 2 });
  t.same(combineOffers([]), { capacity: 0, decode: [], encode: [], formats: [], workers: 0 });
});

t.test('bits from codecs', async (t) => {
  t.same(transcodeBitsFor({ decode: ['H264', 'VP8'], encode: ['H264'], formats: ['mpegts', 'mp4'] }), [...SOFTWARE_TRANSCODE_CAPABILITY_IDS], "libx264 + ffmpeg's decoders = go-livepeer's software set");
  const hevc = transcodeBitsFor({ decode: ['H264', 'HEVC'], encode: ['H264', 'HEVC'], formats: ['mpegts'] });
  t.ok(hevc.includes(15) && hevc.includes(16), 'HEVC decode (15) and encode (16) with a backend that lists HEVC');
  t.notOk(hevc.includes(2) || hevc.includes(17), 'no MP4 (2) or VP8 decode (17) when no backend lists them');
  t.same(transcodeBitsFor({ decode: [], encode: [], formats: [] }), [], 'no live backend: no transcode bits of its own');

  const registry = new CapabilityRegistry();
  registry.declare('kernel.transcode', { id: 'video/transcode', version: 1, mode: 'request-response', workUnit: 'pixel', priceUnit: 'wei/pixel', capacity: 0, constraints: { transcode: { decode: [], encode: [], formats: [] } } });
  registry.publish();
  const before = capabilityIdsIn(toLivepeerCapabilities(registry.list(), '0.9.1').bitstring);
  t.notOk(before.includes(17) || before.includes(21), 'before any worker: only the default bits every O sets');
  registry.setConstraint('video/transcode', 'transcode', { decode: ['H264', 'VP9'], encode: ['H264'], formats: ['mpegts'] });
  registry.setCapacity('video/transcode', 5);
  const message = toLivepeerCapabilities(registry.list(), '0.9.1');
  const after = capabilityIdsIn(message.bitstring);
  t.ok(after.includes(18) && after.includes(21), 'a runtime constraint change shows in the next OrchestratorInfo (VP9 decode, H.264 extras)');
  t.equal(message.capacities[18], 5, 'at the live capacity');
});

t.test('wire VideoProfile ⇄ TranscodeProfile', async (t) => {
  for (const wire of LADDER) t.same(toWireProfile(fromWireProfile(wire)), wire, `${wire.name} round-trips`);
  const sdk = fromWireProfile({ ...LADDER[0]!, format: 1, profile: 3, encoder: 1, gop: -1, fpsDen: 0 });
  t.match(sdk, { format: 'mp4', profile: 'high', codec: 'HEVC', gopMs: -1, fpsDen: 1 });
  t.throws(() => fromWireProfile({ ...LADDER[0]!, encoder: 9 }), { code: 'LPX_ERR_TRANSCODE_PROFILE_INVALID' });
});
