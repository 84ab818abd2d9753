import t from 'tap';
import { presetProfile } from '@lpx/sdk';
import { filterGraph, LOGAN, netintTestEncodeArgs, netintTranscodeArgs, parseMonitorEncoders, QUADRA, xcoderParams } from '../src/index.js';

const p240 = presetProfile('P240p30fps16x9')!;
const p360 = presetProfile('P360p30fps16x9')!;
const p720 = presetProfile('P720p30fps16x9')!;
const after = (args: readonly string[], flag: string, from = 0): string | undefined => {
  const i = args.indexOf(flag, from);
  return i < 0 ? undefined : args[i + 1];
};

t.test('Quadra, 3 renditions on device 1: VPU decoder with hardware frames, ni_quadra_split, ni_quadra_scale, the Quadra encoder on the same device', async (t) => {
  const outputs = ['/o/0.ts', '/o/1.ts', '/o/2.ts'];
  const args = netintTranscodeArgs({ family: QUADRA, input: '/in/seg.ts', sourceCodec: 'H264', device: '1', profiles: [p240, p360, p720], outputs });
  t.same(args.slice(0, 15), ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-c:v', 'h264_ni_quadra_dec', '-dec', '1', '-xcoder-params', 'out=hw', '-copyts', '-i', '/in/seg.ts', '-filter_complex']);
  t.equal(
    after(args, '-filter_complex'),
    '[0:v:0]ni_quadra_split=output0=3[s0][s1][s2];[s0]fps=30/1,ni_quadra_scale=w=426:h=240[v0];[s1]fps=30/1,ni_quadra_scale=w=640:h=360[v1];[s2]fps=30/1,ni_quadra_scale=w=1280:h=720[v2]',
  );
  for (const [i, output] of outputs.entries()) {
    const own = args.slice(args.indexOf(`[v${i}]`) - 1, args.indexOf(output) + 1);
    t.equal(after(own, '-c:v'), 'h264_ni_quadra_enc');
    t.equal(after(own, '-enc'), '1', 'encoded on the device that decoded');
    t.equal(after(own, '-b:v'), String([p240, p360, p720][i]!.bitrate));
    t.equal(after(own, '-xcoder-params'), 'RcEnable=1');
    t.equal(after(own, '-c:a'), 'copy');
    t.same([after(own, '-muxdelay'), after(own, '-muxpreload')], ['0', '0'], 'no TS mux delay: with -copyts the rendition keeps the source timeline');
  }
});

t.test('an HEVC source picks the HEVC decoder; an HEVC rendition the HEVC encoder', async (t) => {
  const args = netintTranscodeArgs({ family: QUADRA, input: 'in.ts', sourceCodec: 'HEVC', device: '0', profiles: [{ ...p240, codec: 'HEVC' }], outputs: ['o.ts'] });
  t.equal(after(args, '-c:v'), 'h265_ni_quadra_dec');
  t.equal(after(args, '-c:v', args.indexOf('-map')), 'h265_ni_quadra_enc');
});

t.test('Logan: its own codec names, frames back to the CPU for scale and split, no out=hw', async (t) => {
  const args = netintTranscodeArgs({ family: LOGAN, input: 'in.ts', sourceCodec: 'H264', device: '2', profiles: [p240, p360], outputs: ['a.ts', 'b.ts'] });
  t.same(args.slice(5, 9), ['-c:v', 'h264_ni_logan_dec', '-dec', '2']);
  t.notOk(args.includes('out=hw'));
  t.equal(after(args, '-filter_complex'), '[0:v:0]split=2[s0][s1];[s0]fps=30/1,scale=w=426:h=240[v0];[s1]fps=30/1,scale=w=640:h=360[v1]');
  t.equal(args.filter((a) => a === 'h264_ni_logan_enc').length, 2);
});

t.test('one rendition has no ni_quadra_split (it needs two outputs)', async (t) => {
  t.equal(filterGraph(QUADRA, [p240]), '[0:v:0]fps=30/1,ni_quadra_scale=w=426:h=240[v0]');
});

t.test('xcoder-params: rate control, GOP presets and intra period, profile', async (t) => {
  t.equal(xcoderParams(p240), 'RcEnable=1');
  t.equal(xcoderParams({ ...p240, quality: 23 }), 'crf=23');
  t.equal(xcoderParams({ ...p240, gopMs: -1 }), 'RcEnable=1:gopPresetIdx=1', 'intra only');
  t.equal(xcoderParams({ ...p240, gopMs: 2000 }), 'RcEnable=1:intraPeriod=60');
  t.equal(xcoderParams({ ...p240, profile: 'baseline' }), 'RcEnable=1:gopPresetIdx=2:profile=1', 'baseline: no B-frames');
  t.equal(xcoderParams({ ...p240, profile: 'high' }), 'RcEnable=1:profile=4');
  t.equal(xcoderParams({ ...p240, profile: 'constrained-high' }), 'RcEnable=1:gopPresetIdx=2:profile=4');
  const passthrough = netintTranscodeArgs({ family: QUADRA, input: 'in', sourceCodec: 'H264', device: '0', profiles: [{ ...p240, fps: 0, gopMs: 2000 }], outputs: ['o'] });
  t.equal(after(passthrough, '-force_key_frames'), 'expr:gte(t,n_forced*2)', 'passthrough rate: key frames by time');
});

t.test('the test encode: one synthetic frame into the encoder on the given device', async (t) => {
  const args = netintTestEncodeArgs('h264_ni_quadra_enc', '3');
  t.equal(after(args, '-c:v'), 'h264_ni_quadra_enc');
  t.equal(after(args, '-enc'), '3');
  t.equal(after(args, '-frames:v'), '1');
  t.same(args.slice(-3), ['-f', 'null', '-']);
});

t.test('ni_rsrc_mon text output: the encoder section, index and device', async (t) => {
  const out = ['Num decoders: 1', 'INDEX LOAD MODEL_LOAD INST MEM  SHARE_MEM P2P_MEM DEVICE', '0 0 0 0 0 0 0 /dev/nvme9n1', 'Num encoders: 2', 'INDEX LOAD MODEL_LOAD INST MEM  SHARE_MEM P2P_MEM DEVICE', '0     12   0          1    0    0         0       /dev/nvme0n1', '1     0    0          0    0    0         0       /dev/nvme1n1', 'Num scalers: 1', '0 0 0 0 0 0 0 /dev/nvme7n1'].join('\n');
  t.same(parseMonitorEncoders(out), [{ index: 0, device: '/dev/nvme0n1' }, { index: 1, device: '/dev/nvme1n1' }]);
  t.same(parseMonitorEncoders('ERROR: no device found'), []);
  // An older column layout: the device token is still found.
  t.same(parseMonitorEncoders('Num encoders: 1\nINDEX LOAD INST MAX_INST DEVICE L_FL2V\n0 0 0 32 /dev/nvme2n1 abc'), [{ index: 0, device: '/dev/nvme2n1' }]);
});
