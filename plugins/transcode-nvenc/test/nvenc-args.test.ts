import t from 'tap';
import { presetProfile, type TranscodeProfile } from '@lpx/sdk';
import { filterGraph, nvencOutputArgs, nvencTestEncodeArgs, nvencTranscodeArgs } from '../src/index.js';

const p240 = presetProfile('P240p30fps16x9')!;
const p360 = presetProfile('P360p30fps16x9')!;
const p720 = presetProfile('P720p30fps16x9')!;

/** The value following `flag` in an argument list. */
const after = (args: readonly string[], flag: string, from = 0): string | undefined => {
  const i = args.indexOf(flag, from);
  return i < 0 ? undefined : args[i + 1];
};

t.test('a 3-rendition ladder on GPU 1: CUDA decode on that GPU, one split, scale_cuda per rendition, h264_nvenc per output', async (t) => {
  const outputs = ['/o/0.ts', '/o/1.ts', '/o/2.ts'];
  const args = nvencTranscodeArgs({ input: '/in/seg.ts', gpu: '1', profiles: [p240, p360, p720], outputs });
  t.same(args.slice(0, 13), ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-hwaccel', 'cuda', '-hwaccel_output_format', 'cuda', '-hwaccel_device', '1', '-copyts', '-i']);
  t.equal(after(args, '-i'), '/in/seg.ts');
  t.equal(
    after(args, '-filter_complex'),
    '[0:v:0]split=3[s0][s1][s2];[s0]fps=30/1,scale_cuda=w=426:h=240[v0];[s1]fps=30/1,scale_cuda=w=640:h=360[v1];[s2]fps=30/1,scale_cuda=w=1280:h=720[v2]',
  );
  for (const [i, output] of outputs.entries()) {
    const at = args.indexOf(`[v${i}]`);
    const end = args.indexOf(output);
    t.ok(at > 0 && end > at, `output ${i} is mapped from its own filter branch`);
    const own = args.slice(at - 1, end + 1);
    t.equal(after(own, '-c:v'), 'h264_nvenc');
    t.equal(after(own, '-b:v'), String([p240, p360, p720][i]!.bitrate));
    t.equal(after(own, '-c:a'), 'copy', 'audio is copied, as go-livepeer does');
    t.equal(after(own, '-f'), 'mpegts');
    t.same([after(own, '-muxdelay'), after(own, '-muxpreload')], ['0', '0'], 'no TS mux delay: with -copyts the rendition keeps the source timeline');
  }
  t.equal(args.filter((a) => a === '-i').length, 1, 'one input: decoded once');
});

t.test('one rendition needs no split', async (t) => {
  t.equal(filterGraph([p240], 'scale_cuda'), '[0:v:0]fps=30/1,scale_cuda=w=426:h=240[v0]');
  t.equal(filterGraph([{ ...p240, fps: 0 }], 'scale_cuda'), '[0:v:0]scale_cuda=w=426:h=240[v0]', 'passthrough rate adds no fps filter');
  t.equal(filterGraph([{ ...p240, fps: 30000, fpsDen: 1001 }], 'scale_cuda'), '[0:v:0]fps=30000/1001,scale_cuda=w=426:h=240[v0]');
});

t.test('encoder settings follow lpms: GOP in frames, intra as g 0, CQ = CRF + 7, profile and B-frames', async (t) => {
  const base: TranscodeProfile = { ...p360 };
  t.same(nvencOutputArgs(base), ['-c:v', 'h264_nvenc', '-b:v', '1200000', '-bf', '0'], 'encoder default: no B-frames on NVENC');
  t.match(nvencOutputArgs({ ...base, gopMs: 2000 }).join(' '), /-g 60\b/, '2 s at 30 fps is 60 frames');
  t.match(nvencOutputArgs({ ...base, gopMs: -1 }).join(' '), /-g 0\b/, 'intra only');
  t.match(nvencOutputArgs({ ...base, fps: 0, gopMs: 2000 }).join(' '), /-force_key_frames expr:gte\(t,n_forced\*2\) -forced-idr 1/, 'passthrough rate: key frames by time');
  t.match(nvencOutputArgs({ ...base, quality: 23 }).join(' '), /-rc vbr -cq 30 -b:v 0 -maxrate 1200000/, 'quality with the bitrate as a cap');
  t.match(nvencOutputArgs({ ...base, profile: 'high' }).join(' '), /-profile:v high -bf 3/);
  t.match(nvencOutputArgs({ ...base, profile: 'constrained-high' }).join(' '), /-profile:v high -bf 0/, 'constrained high: high without B-frames');
  t.match(nvencOutputArgs({ ...base, profile: 'high', fps: 0 }).join(' '), /-bf 0/, 'no B-frames on passthrough timestamps');
  t.same(nvencOutputArgs({ ...base, codec: 'HEVC', profile: 'high' }).slice(0, 2), ['-c:v', 'hevc_nvenc']);
  t.notMatch(nvencOutputArgs({ ...base, codec: 'HEVC', profile: 'high' }).join(' '), /-profile:v/, 'H.264 profiles are not given to HEVC');
});

t.test('mp4 renditions get faststart', async (t) => {
  const args = nvencTranscodeArgs({ input: 'in.ts', gpu: '0', profiles: [{ ...p240, format: 'mp4' }], outputs: ['/o/0.mp4'] });
  t.same(args.slice(-5), ['-f', 'mp4', '-movflags', 'faststart', '/o/0.mp4']);
});

t.test('the test encode runs one frame through the device path of the given GPU', async (t) => {
  const args = nvencTestEncodeArgs('3', 'hevc_nvenc');
  t.equal(after(args, '-init_hw_device'), 'cuda=gpu:3');
  t.equal(after(args, '-frames:v'), '1');
  t.match(after(args, '-vf'), /hwupload_cuda,scale_cuda=/);
  t.equal(after(args, '-c:v'), 'hevc_nvenc');
  t.same(args.slice(-3), ['-f', 'null', '-']);
});
