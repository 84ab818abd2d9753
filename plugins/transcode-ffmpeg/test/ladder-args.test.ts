import t from 'tap';
import { presetProfile, type TranscodeProfile } from '@lpx/sdk';
import { branchFilter, buildLadderJob, gopFrames } from '../src/ladder-args.js';

const preset = (name: string): TranscodeProfile => presetProfile(name)!;
const options = { preset: 'veryfast', threads: 0, sourceFps: [30, 1] as const };

t.test('a three-rendition ladder is one job: one split, one branch and one output per profile', async (t) => {
  const ladder = ['P720p30fps16x9', 'P360p30fps16x9', 'P240p30fps16x9'].map(preset);
  const { job, paths } = buildLadderJob('/in/seg.ts', ladder, '/out', options);
  t.equal(job.input, '/in/seg.ts');
  t.same(job.inputOptions, ['-copyts'], 'renditions keep the source timestamps');
  t.equal(job.complexFilter, [
    '[0:v:0]split=3[s0][s1][s2]',
    '[s0]fps=fps=30/1,scale=1280:720,format=yuv420p[v0]',
    '[s1]fps=fps=30/1,scale=640:360,format=yuv420p[v1]',
    '[s2]fps=fps=30/1,scale=426:240,format=yuv420p[v2]',
  ].join(';'));
  t.same(paths, ['/out/0-P720p30fps16x9.ts', '/out/1-P360p30fps16x9.ts', '/out/2-P240p30fps16x9.ts']);
  t.same(job.outputs.map((o) => o.path), paths, 'outputs in profile order');
  t.same(job.outputs[0]!.options, [
    '-map', '[v0]', '-map', '0:a:0?',
    '-c:v', 'libx264', '-preset', 'veryfast',
    '-b:v', '4000000', '-maxrate', '4000000', '-bufsize', '8000000',
    '-c:a', 'copy', '-muxdelay', '0', '-muxpreload', '0', '-f', 'mpegts',
  ]);
  t.same(job.outputs[2]!.options.slice(0, 4), ['-map', '[v2]', '-map', '0:a:0?'], 'each output maps its own branch and copies the audio');
});

t.test('fps 0 is passthrough: no fps filter, GOP from the source rate', async (t) => {
  const profile = { ...preset('P360p30fps16x9'), fps: 0, gopMs: 2000 };
  t.equal(branchFilter(profile), 'scale=640:360,format=yuv420p');
  t.equal(gopFrames(profile, [25, 1]), 50);
  t.equal(gopFrames(profile, [30000, 1001]), 60, '29.97 fps × 2 s rounds to 60');
});

t.test('GOP: ms × fps, -1 is intra (-g 1), 0 leaves the encoder default', async (t) => {
  const base = preset('P240p30fps16x9');
  t.equal(gopFrames({ ...base, gopMs: 1000 }, [30, 1]), 30);
  t.equal(gopFrames({ ...base, gopMs: 1000, fps: 15 }, [30, 1]), 15, 'the output rate, not the source rate');
  t.equal(gopFrames({ ...base, gopMs: 1000, fps: 60, fpsDen: 2 }, [30, 1]), 30, 'fpsDen divides');
  t.equal(gopFrames({ ...base, gopMs: -1 }, [30, 1]), 1);
  t.equal(gopFrames({ ...base, gopMs: 0 }, [30, 1]), undefined);
  t.equal(gopFrames({ ...base, gopMs: 10 }, [30, 1]), 1, 'never below one frame');
  const { job } = buildLadderJob('/i.ts', [{ ...base, gopMs: -1 }], '/o', options);
  t.match(job.outputs[0]!.options.join(' '), /-g 1 -keyint_min 1/);
});

t.test('H.264 profiles map to libx264 profiles; constrained-high is high without B-frames', async (t) => {
  const base = preset('P240p30fps16x9');
  const args = (profile: TranscodeProfile['profile']): string => buildLadderJob('/i.ts', [{ ...base, profile }], '/o', options).job.outputs[0]!.options.join(' ');
  t.notMatch(args('encoder-default'), /-profile:v/);
  t.match(args('baseline'), /-profile:v baseline/);
  t.match(args('main'), /-profile:v main/);
  t.match(args('high'), /-profile:v high/);
  t.notMatch(args('high'), /-bf 0/);
  t.match(args('constrained-high'), /-profile:v high -bf 0/);
});

t.test('quality turns the bitrate into a cap; threads and preset pass through', async (t) => {
  const base = preset('P360p30fps16x9');
  const opts = buildLadderJob('/i.ts', [{ ...base, quality: 23 }], '/o', { ...options, preset: 'ultrafast', threads: 2 }).job.outputs[0]!.options;
  t.match(opts.join(' '), /-preset ultrafast -crf 23 -maxrate 1200000 -bufsize 2400000 -threads 2/);
  t.notOk(opts.includes('-b:v'), 'no target bitrate with a quality');
});

t.test('mp4 outputs are fragmented; HEVC uses libx265 tagged hvc1', async (t) => {
  const base = preset('P240p30fps16x9');
  const { job, paths } = buildLadderJob('/i.ts', [{ ...base, format: 'mp4' }, { ...base, name: 'hevc', codec: 'HEVC', format: 'mp4', profile: 'high' }], '/o', options);
  t.same(paths, ['/o/0-P240p30fps16x9.mp4', '/o/1-hevc.mp4']);
  t.match(job.outputs[0]!.options.join(' '), /-f mp4 -movflags \+frag_keyframe\+empty_moov\+default_base_moof$/);
  t.notMatch(job.outputs[0]!.options.join(' '), /aac_adtstoasc/, 'no audio bitstream filter without AAC');
  const withAac = buildLadderJob('/i.ts', [{ ...base, format: 'mp4' }], '/o', { ...options, sourceAudioCodec: 'aac' }).job.outputs[0]!.options.join(' ');
  t.match(withAac, /-c:a copy -bsf:a aac_adtstoasc -f mp4/, 'ADTS AAC from TS is repackaged for MP4');
  const hevc = job.outputs[1]!.options.join(' ');
  t.match(hevc, /-c:v libx265/);
  t.match(hevc, /-tag:v hvc1/);
  t.notMatch(hevc, /-profile:v/, 'H.264 profile names are not x265 profiles');
});

t.test('profile names become safe, unique file names', async (t) => {
  const base = preset('P240p30fps16x9');
  const { paths } = buildLadderJob('/i.ts', [{ ...base, name: '../../etc/passwd' }, { ...base, name: 'a b' }], '/o', options);
  t.same(paths, ['/o/0-______etc_passwd.ts', '/o/1-a_b.ts']);
});
