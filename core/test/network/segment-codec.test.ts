// The Livepeer-Segment codec, the segment signature message and the
// TranscodeResult / PaymentResult bodies, against hand-written wire bytes and
// go-livepeer's TestSegmentFlatten vector.
import t from 'tap';
import { errors } from '@lpx/sdk';
import { jobCapabilitiesForTranscode } from '../../src/capabilities/index.js';
import { keccak256, toHex } from '../../src/payments/index.js';
import {
  decodePaymentResult,
  decodeSegDataHeader,
  decodeTranscodeResult,
  emptySegData,
  encodePaymentResult,
  encodeSegData,
  encodeSegDataHeader,
  encodeTranscodeResult,
  profileIdsHex,
  renditionSignatureMessage,
  SEG_DATA_LIMITS,
  segmentSignatureMessage,
  VIDEO_FORMAT,
  type SegData,
  type VideoProfile,
} from '../../src/network/segment/index.js';
import type { OrchestratorInfo } from '../../src/network/index.js';

const profile = (over: Partial<VideoProfile> = {}): VideoProfile => ({
  name: 'P240p30fps16x9',
  width: 426,
  height: 240,
  bitrate: 600_000,
  fps: 30,
  format: VIDEO_FORMAT.MPEGTS,
  fpsDen: 1,
  profile: 0,
  gop: -1,
  encoder: 0,
  colorDepth: 8,
  chromaFormat: 0,
  quality: 23,
  ...over,
});

function header(bytes: number[]): string {
  return Buffer.from(bytes).toString('base64');
}

t.test('round trip of every field', async (t) => {
  const seg: SegData = {
    manifestId: 'stream-α',
    seq: 9_007_199_254_740_993n,
    hash: keccak256(new TextEncoder().encode('segment')),
    profiles: new TextEncoder().encode('invalid'),
    sig: new Uint8Array(65).fill(7),
    duration: 2_500,
    capabilities: jobCapabilitiesForTranscode({ profiles: [{ format: 'mp4' }] }),
    authToken: { token: new Uint8Array(32).fill(1), sessionId: 'abcd1234', expiration: 1_900_000_000n },
    calcPerceptualHash: true,
    storage: [{ storageType: 'S3', s3info: { host: 'h', key: 'k', policy: 'p', signature: 's', credential: 'c', xAmzDate: 'd' } }],
    fullProfiles: [profile({ name: 'one' })],
    fullProfiles2: [profile({ name: 'two', format: VIDEO_FORMAT.MP4 })],
    fullProfiles3: [profile({ name: 'three', fpsDen: 1001, profile: 3, encoder: 1, chromaFormat: 2 }), profile({ name: '', gop: 2000 })],
    segmentParameters: { from: 1_000n, to: 18_446_744_073_709_551_615n },
    forceSessionReinit: true,
  };
  const decoded = decodeSegDataHeader(encodeSegDataHeader(seg));
  const { manifestIdBytes, ...rest } = decoded;
  t.same(rest, seg, 'every field survives');
  t.same(manifestIdBytes, new TextEncoder().encode('stream-α'), 'raw manifest id bytes kept');
  t.equal(typeof decoded.seq, 'bigint');

  const empty = decodeSegDataHeader('');
  t.same({ ...empty, manifestIdBytes: undefined }, { ...emptySegData(), manifestIdBytes: undefined }, 'an empty header is an empty SegData');
});

t.test('hand-written wire bytes decode to the right fields', async (t) => {
  const bytes = [
    0x0a, 0x03, 0x61, 0x62, 0x63, // 1 manifestId "abc"
    0x10, 0x05, // 2 seq 5
    0x30, 0xd0, 0x0f, // 6 duration 2000
    0x42, 0x0a, 0x12, 0x08, ...Buffer.from('feedbeef'), // 8 auth_token { 2 session_id }
    0x50, 0x01, // 10 calc_perceptual_hash
    0x9a, 0x02, 0x07, 0x82, 0x01, 0x01, 0x78, 0xa8, 0x01, 0x07, // 35 fullProfiles3 [{ 16 name "x", 21 format 7 }]
    0xaa, 0x02, 0x04, 0x08, 0x0a, 0x10, 0x14, // 37 segment_parameters { from 10, to 20 }
    0xb0, 0x02, 0x01, // 38 ForceSessionReinit
  ];
  const seg = decodeSegDataHeader(header(bytes));
  t.equal(seg.manifestId, 'abc');
  t.equal(seg.seq, 5n);
  t.equal(seg.duration, 2000);
  t.equal(seg.authToken?.sessionId, 'feedbeef');
  t.equal(seg.authToken?.expiration, 0n);
  t.equal(seg.calcPerceptualHash, true);
  t.equal(seg.fullProfiles3.length, 1);
  t.equal(seg.fullProfiles3[0]!.name, 'x');
  t.equal(seg.fullProfiles3[0]!.format, 7, 'an unknown enum value is kept for the credential check');
  t.same(seg.segmentParameters, { from: 10n, to: 20n });
  t.equal(seg.forceSessionReinit, true);

  t.same([...encodeSegData({ ...emptySegData(), seq: 5n })], [0x10, 0x05], 'encoding writes only non-default fields');
  t.same([...encodeSegData({ ...emptySegData(), forceSessionReinit: true })], [0xb0, 0x02, 0x01], 'field 38 varint');
});

t.test('envelope errors carry go-livepeer texts and SEGMENT codes', async (t) => {
  t.throws(() => decodeSegDataHeader('not base64!'), { code: errors.segment.HEADER_ENCODING.code, message: 'ErrorSegEncoding' });
  t.throws(() => decodeSegDataHeader('QUJD'.slice(0, 3)), { message: 'ErrorSegEncoding' }, 'unpadded');
  t.throws(() => decodeSegDataHeader(header([0x0a, 0x05, 0x61])), { code: errors.segment.MALFORMED.code, message: 'proto: cannot parse invalid wire-format data' });
  t.throws(() => decodeSegDataHeader('A'.repeat(SEG_DATA_LIMITS.maxHeaderChars + 4)), { code: errors.segment.HEADER_TOO_LARGE.code });
  const many = { ...emptySegData(), fullProfiles3: Array.from({ length: SEG_DATA_LIMITS.maxProfiles + 1 }, () => profile()) };
  t.throws(() => decodeSegDataHeader(encodeSegDataHeader(many)), { code: errors.segment.HEADER_TOO_LARGE.code });
});

t.test('segment signature message: go-livepeer TestSegmentFlatten', async (t) => {
  const hash = new Uint8Array(32);
  hash.set(new TextEncoder().encode('browns'));
  t.equal(profileIdsHex(['P144p30fps16x9', 'P240p30fps16x9']), 'fca40bf9c0a6517a');
  const message = segmentSignatureMessage({ manifestId: 'abcdef', seq: 1234n, hash, profileNames: ['P144p30fps16x9', 'P240p30fps16x9'] });
  t.equal(toHex(message), '0x08a398e7e7a5a545b0b07d9e7e1eab52b4131e0df1621bd53ee6e7550a15465b');

  const r0 = new Uint8Array([1, 2]);
  const r1 = new Uint8Array([3]);
  t.same(renditionSignatureMessage([r0, r1]), keccak256(Buffer.concat([keccak256(r0), keccak256(r1)])));
});

t.test('TranscodeResult and PaymentResult bodies', async (t) => {
  // protobufjs hands bytes back as Buffers.
  const info: OrchestratorInfo = { transcoder: 'https://o:8935', address: Buffer.alloc(20, 9), hardware: [], storage: [], capabilitiesPrices: [], nodes: [] };
  const ok = { seq: 7n, data: { segments: [{ url: 'https://o/a.ts', pixels: 12_345_678_901n }, { url: 'https://o/b.ts', pixels: 0n, perceptualHashUrl: 'https://o/b.phash' }], sig: Buffer.alloc(65, 2) }, info };
  t.same(decodeTranscodeResult(encodeTranscodeResult(ok)), ok);
  const failed = { seq: 8n, error: 'OrchestratorBusy' };
  t.same(decodeTranscodeResult(encodeTranscodeResult(failed)), failed);

  // seq 1, error "E" (field 2), info { 1 transcoder "u", 4 address 0x09 } (field 16).
  const small = { ...info, address: Buffer.from([9]), transcoder: 'u' };
  const infoBytes = [0x82, 0x01, 0x06, 0x0a, 0x01, 0x75, 0x22, 0x01, 0x09];
  t.same([...encodeTranscodeResult({ seq: 1n, error: 'E', info: small })], [0x08, 0x01, 0x12, 0x01, 0x45, ...infoBytes]);
  t.same([...encodePaymentResult(small)], infoBytes);
  t.same(decodePaymentResult(encodePaymentResult(info)), info);
});
