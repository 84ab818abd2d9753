import t from 'tap';
import { join } from 'node:path';
import { presetProfile } from '@lpx/sdk';
import { generateTestMedia, probeMedia } from '@lpx/sdk/testing';
import { createFfmpegBackend } from '../src/index.js';
import { makeTask, tempDir } from './helpers.js';

t.test('a 1080p30 2 s segment into the 720p/360p/240p ladder, read back by ffprobe', async (t) => {
  const dir = await tempDir(t);
  const source = join(dir, 'source-1080p.ts');
  await generateTestMedia(source, { width: 1920, height: 1080, fps: 30, durationMs: 2000 });
  const ladder = ['P720p30fps16x9', 'P360p30fps16x9', 'P240p30fps16x9'].map((name) => presetProfile(name)!);
  const backend = createFfmpegBackend(); // the shipped defaults: veryfast, one session per core
  const status = await backend.probe(new AbortController().signal);
  t.equal(status.available, true, status.reason ?? 'available');

  const output = await backend.transcode(await makeTask(source, ladder, dir));
  t.equal(output.decodedPixels, 1920n * 1080n * 60n, 'the source decoded: 60 frames of 1080p');
  t.same(output.renditions.map((r) => r.profile), ladder.map((p) => p.name), 'one rendition per profile, in order');
  for (const [i, profile] of ladder.entries()) {
    const rendition = output.renditions[i]!;
    const probed = await probeMedia(rendition.path);
    t.equal(probed.formatName, 'mpegts', `${profile.name}: MPEG-TS`);
    t.same([probed.video?.width, probed.video?.height], [profile.width, profile.height], `${profile.name}: ffprobe size`);
    t.equal(probed.video?.codec, 'H264', `${profile.name}: H.264`);
    t.equal(probed.video?.frames, 60, `${profile.name}: 2 s at 30 fps`);
    t.equal(rendition.frames, 60);
    t.equal(rendition.pixels, BigInt(profile.width * profile.height * 60), `${profile.name}: pixels = w × h × frames`);
    t.same(probed.audioCodecs, ['aac'], `${profile.name}: the audio is copied through`);
  }
});
