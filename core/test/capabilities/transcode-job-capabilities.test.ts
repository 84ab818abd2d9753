import t from 'tap';
import { capabilityIdsIn, jobCapabilitiesForTranscode, type TranscodeJobParams } from '../../src/capabilities/index.js';

const ids = (params: TranscodeJobParams): number[] => capabilityIdsIn(jobCapabilitiesForTranscode(params).bitstring);

t.test('the minimum: AuthToken, H.264 in, MPEG-TS + H.264 out', async (t) => {
  t.same(ids({ profiles: [{}] }), [0, 1, 12]);
  t.same(ids({ profiles: [] }), [0, 12], 'no outputs still needs the input decoder');
  const message = jobCapabilitiesForTranscode({ profiles: [] });
  t.same([message.version, message.mandatories, message.capacities], ['', [], {}], 'a job carries only its bitstring');
});

t.test('each parameter adds its bit', async (t) => {
  t.same(ids({ profiles: [], verificationFreq: 1 }), [0, 12, 14]);
  t.same(ids({ profiles: [], segmentSlicing: true }), [0, 12, 26]);
  t.same(ids({ profiles: [{ format: 'mpegts' }] }), [0, 1, 12]);
  t.same(ids({ profiles: [{ format: 'mp4' }] }), [0, 2, 12]);
  t.same(ids({ profiles: [{ fpsDen: 1001 }] }), [0, 1, 3, 12]);
  t.same(ids({ profiles: [{ profile: 'baseline' }, { profile: 'main' }, { profile: 'high' }, { profile: 'constrained-high' }] }), [0, 1, 7, 8, 9, 10, 12]);
  t.same(ids({ profiles: [{ gop: 2 }] }), [0, 1, 11, 12]);
  t.same(ids({ profiles: [{ gop: -1 }] }), [0, 1, 11, 12], 'intra-only marker counts as a GOP');
  t.same(ids({ profiles: [], storage: 'direct' }), [0, 4, 12]);
  t.same(ids({ profiles: [], storage: 's3' }), [0, 5, 12]);
  t.same(ids({ profiles: [], storage: 'gcs' }), [0, 6, 12]);
});

t.test('codecs in and out', async (t) => {
  t.same(ids({ inputCodec: 'hevc', profiles: [] }), [12, 15]);
  t.same(ids({ inputCodec: 'vp8', profiles: [] }), [12, 17]);
  t.same(ids({ inputCodec: 'vp9', profiles: [] }), [12, 18]);
  t.same(ids({ inputCodec: 'vp9', profiles: [{ encoder: 'hevc' }, { encoder: 'vp8' }, { encoder: 'vp9' }] }), [1, 12, 16, 18, 19, 20]);
});

t.test('H.264 pixel formats', async (t) => {
  t.same(ids({ profiles: [], pixelFormat: { chroma: 420, bitDepth: 8 } }), [0, 12]);
  t.same(ids({ profiles: [], pixelFormat: { chroma: 444, bitDepth: 8 } }), [0, 12, 21]);
  t.same(ids({ profiles: [], pixelFormat: { chroma: 422, bitDepth: 8 } }), [0, 12, 22]);
  t.same(ids({ profiles: [], pixelFormat: { chroma: 444, bitDepth: 10 } }), [0, 12, 23]);
  t.same(ids({ profiles: [], pixelFormat: { chroma: 422, bitDepth: 10 } }), [0, 12, 24]);
  t.same(ids({ profiles: [], pixelFormat: { chroma: 420, bitDepth: 10 } }), [0, 12, 25]);
  t.same(ids({ inputCodec: 'hevc', profiles: [], pixelFormat: { chroma: 444, bitDepth: 10 } }), [12, 15], 'only checked for H.264 input');
  const odd = { chroma: 411, bitDepth: 8 } as unknown as TranscodeJobParams['pixelFormat'];
  t.throws(() => jobCapabilitiesForTranscode({ profiles: [], ...(odd ? { pixelFormat: odd } : {}) }), { code: 'LPX_ERR_CAPABILITY_UNSUPPORTED_MEDIA' });
});

t.test('unknown values are coded errors', async (t) => {
  const bad = (params: unknown): void => void jobCapabilitiesForTranscode(params as TranscodeJobParams);
  t.throws(() => bad({ inputCodec: 'av1', profiles: [] }), { code: 'LPX_ERR_CAPABILITY_UNSUPPORTED_MEDIA' });
  t.throws(() => bad({ profiles: [{ encoder: 'av1' }] }), { code: 'LPX_ERR_CAPABILITY_UNSUPPORTED_MEDIA' });
  t.throws(() => bad({ profiles: [{ format: 'webm' }] }), { code: 'LPX_ERR_CAPABILITY_UNSUPPORTED_MEDIA' });
  t.throws(() => bad({ profiles: [{ profile: 'hevc-main' }] }), { code: 'LPX_ERR_CAPABILITY_UNSUPPORTED_MEDIA' });
  t.throws(() => bad({ profiles: [], storage: 'ipfs' }), { code: 'LPX_ERR_CAPABILITY_UNSUPPORTED_MEDIA' });
});
