import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { presetProfile, type TranscodeInput } from '@lpx/sdk';
import { generateTestMedia } from '@lpx/sdk/testing';
import { probeRendition, probeSource, readRenditions, renditionFileName } from '@lpx/sdk/transcode-kit';

const work = await mkdtemp(join(tmpdir(), 'lpx-kit-probe-'));
t.teardown(() => rm(work, { recursive: true, force: true }));
const signal = (): AbortSignal => new AbortController().signal;
const input = async (path: string): Promise<TranscodeInput> => ({ path, format: 'mpegts', sizeBytes: (await stat(path)).size, durationMs: 0 });

const clip = join(work, 'clip.ts');
await generateTestMedia(clip, { width: 320, height: 180, durationMs: 1000 });

t.test('REAL ffprobe: a source is read without decoding it twice', async (t) => {
  t.same(await probeSource('ffprobe', await input(clip), signal()), { codecName: 'h264', pixFmt: 'yuv420p', width: 320, height: 180, frames: 30 });
});

t.test('REAL ffprobe: bad sources are INPUT_INVALID, each with its cause', async (t) => {
  const code = 'LPX_ERR_TRANSCODE_INPUT_INVALID';
  const empty = join(work, 'empty.ts');
  await writeFile(empty, '');
  const junk = join(work, 'junk.ts');
  await writeFile(junk, Buffer.from('not a transport stream'.repeat(100)));
  const audioOnly = join(work, 'audio.ts');
  await generateTestMedia(audioOnly, { video: false, durationMs: 500 });
  await t.rejects(probeSource('ffprobe', { ...(await input(clip)), path: join(work, 'missing.ts') }, signal()), { code, message: /does not exist/ });
  await t.rejects(probeSource('ffprobe', await input(empty), signal()), { code, message: /empty/ });
  await t.rejects(probeSource('ffprobe', await input(junk), signal()), { code, message: /cannot be read/ });
  await t.rejects(probeSource('ffprobe', await input(audioOnly), signal()), { code, message: /no video stream/ });
  await t.rejects(probeSource('/nonexistent/ffprobe', await input(clip), signal()), { code, message: /\/nonexistent\/ffprobe not found/ });
  const aborted = new AbortController();
  aborted.abort();
  await t.rejects(probeSource('ffprobe', await input(clip), aborted.signal), { code: 'LPX_ERR_TRANSCODE_CANCELLED' });
});

t.test('REAL ffprobe: renditions are read back by decoding; a wrong size is RESULT_INVALID', async (t) => {
  t.same(await probeRendition('ffprobe', clip, signal()), { width: 320, height: 180, frames: 30 });
  await t.rejects(probeRendition('ffprobe', join(work, 'missing.ts'), signal()), { code: 'LPX_ERR_TRANSCODE_RESULT_INVALID' });
  const profile = { ...presetProfile('P240p30fps16x9')!, name: 'r', width: 320, height: 180 };
  t.same(await readRenditions('ffprobe', [profile], [clip], signal()), [{ profile: 'r', path: clip, width: 320, height: 180, frames: 30, pixels: 320n * 180n * 30n }]);
  await t.rejects(readRenditions('ffprobe', [{ ...profile, width: 256, height: 144 }], [clip], signal()), { code: 'LPX_ERR_TRANSCODE_RESULT_INVALID', message: /is 320x180, the profile asks for 256x144/ });
});

t.test('rendition file names are safe and unique by index', async (t) => {
  const p = presetProfile('P240p30fps16x9')!;
  t.equal(renditionFileName({ ...p, name: '../etc/passwd' }, 0), '0-___etc_passwd.ts');
  t.equal(renditionFileName({ ...p, name: 'hd', format: 'mp4' }, 3), '3-hd.mp4');
});
