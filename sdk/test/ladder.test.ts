import t from 'tap';
import { DEFAULT_LADDER, LADDER_LIMITS, parseJsonProfile, parseLadder, parseLadderEntries, presetProfile } from '../src/index.js';

const code = 'LPX_ERR_TRANSCODE_PROFILE_INVALID';

t.test('preset names: comma-separated like -transcodingOptions, spaces trimmed, order kept', async (t) => {
  const ladder = parseLadder(' P240p30fps16x9, P360p30fps16x9 ');
  t.same(ladder.map((p) => p.name), ['P240p30fps16x9', 'P360p30fps16x9']);
  t.same(ladder[0], presetProfile('P240p30fps16x9'));
  t.same(parseLadder([...DEFAULT_LADDER]).map((p) => [p.width, p.height, p.bitrate]), [[426, 240, 600_000], [640, 360, 1_200_000]]);
  t.same(parseLadder(''), [], 'an empty list is an empty ladder (source only)');
  t.equal(parseLadder('P720p30fps16x9', 'mp4')[0]?.format, 'mp4', 'the output format follows the input');
});

t.test('unknown preset names are refused (go-livepeer drops them silently)', async (t) => {
  t.throws(() => parseLadder('P240p30fps16x9,P999p'), { code, details: { index: 1, name: 'P999p', reason: 'unknown-preset' } });
  t.throws(() => parseLadder('P144p25fps16x9'), { code }, 'absent from lpms lookup, absent here');
});

t.test('JSON profiles: lpms field names and defaults', async (t) => {
  const [p] = parseLadder('[{"width":320,"height":240,"bitrate":500000}]');
  t.same(p, { name: 'custom_320x240_500000', width: 320, height: 240, bitrate: 500_000, fps: 0, fpsDen: 1, gopMs: 0, codec: 'H264', profile: 'encoder-default', format: 'mpegts', quality: 0 });
  const full = parseJsonProfile({ name: 'hi', width: 1280, height: 720, bitrate: 3_000_000, fps: 30000, fpsDen: 1001, profile: 'h264HIGH', gop: '2.5', encoder: 'HEVC', quality: 23, colorDepth: 8, chromaFormat: 0 });
  t.match(full, { name: 'hi', fps: 30000, fpsDen: 1001, profile: 'high', gopMs: 2500, codec: 'HEVC', quality: 23 });
  t.equal(parseJsonProfile({ width: 2, height: 2, bitrate: 1, gop: 'intra' }).gopMs, -1);
  t.equal(parseJsonProfile({ width: 2, height: 2, bitrate: 1, gop: '0' }).gopMs, 0);
  t.equal(parseJsonProfile({ width: 2, height: 2, bitrate: 1, profile: 'None' }).profile, 'encoder-default');
  t.same(parseLadder('{"profiles":[{"name":"a","width":2,"height":2,"bitrate":1}]}').map((p) => p.name), ['a'], 'the header/webhook object form');
  t.same(parseLadderEntries(['P240p30fps16x9', { name: 'x', width: 4, height: 4, bitrate: 9 }]).map((p) => p.name), ['P240p30fps16x9', 'x'], 'presets and profiles mix');
});

const bad: [string, unknown, Record<string, unknown>][] = [
  ['zero width', { width: 0, height: 240, bitrate: 1 }, { reason: 'resolution' }],
  ['odd height', { width: 320, height: 241, bitrate: 1 }, { reason: 'resolution' }],
  ['oversized', { width: 8194, height: 4320, bitrate: 1 }, { reason: 'resolution' }],
  ['too many pixels', { width: 8192, height: 8192, bitrate: 1 }, { reason: 'resolution' }],
  ['zero bitrate', { width: 320, height: 240, bitrate: 0 }, { reason: 'bitrate' }],
  ['negative bitrate', { width: 320, height: 240, bitrate: -5 }, { reason: 'type' }],
  ['string width', { width: '320', height: 240, bitrate: 1 }, { field: 'width', reason: 'type' }],
  ['unknown profile', { width: 320, height: 240, bitrate: 1, profile: 'H264Extreme' }, { field: 'profile' }],
  ['unknown encoder', { width: 320, height: 240, bitrate: 1, encoder: 'AV1' }, { field: 'encoder' }],
  ['negative gop', { width: 320, height: 240, bitrate: 1, gop: '-0.001' }, { field: 'gop' }],
  ['non-numeric gop', { width: 320, height: 240, bitrate: 1, gop: ' 1 ' }, { field: 'gop' }],
  ['10-bit', { width: 320, height: 240, bitrate: 1, colorDepth: 10 }, { field: 'colorDepth' }],
  ['4:4:4', { width: 320, height: 240, bitrate: 1, chromaFormat: 2 }, { field: 'chromaFormat' }],
  ['a name with a slash', { name: '../x', width: 320, height: 240, bitrate: 1 }, { field: 'name' }],
  ['fps too high', { width: 320, height: 240, bitrate: 1, fps: 1000 }, { field: 'fps' }],
  ['quality too high', { width: 320, height: 240, bitrate: 1, quality: 64 }, { field: 'quality' }],
  ['not an object', 42, { reason: 'shape' }],
];
for (const [name, profile, details] of bad) {
  t.test(`refused: ${name}`, async (t) => {
    t.throws(() => parseLadderEntries([profile]), { code, details });
  });
}

t.test('ladder-level refusals: duplicates, size, malformed JSON', async (t) => {
  t.throws(() => parseLadder('P240p30fps16x9,P240p30fps16x9'), { code, details: { reason: 'duplicate-name', index: 1 } });
  t.throws(() => parseLadderEntries(['P240p30fps16x9', { name: 'P240p30fps16x9', width: 2, height: 2, bitrate: 1 }]), { code, details: { reason: 'duplicate-name' } });
  t.throws(() => parseLadderEntries(Array.from({ length: LADDER_LIMITS.maxProfiles + 1 }, (_, i) => ({ name: `p${i}`, width: 2, height: 2, bitrate: 1 }))), { code, details: { reason: 'too-many' } });
  t.throws(() => parseLadder('[{"width":'), { code, details: { reason: 'json' } });
  t.throws(() => parseLadder('{"presets":["P240p30fps16x9"]}'), { code, details: { reason: 'json' } });
});
