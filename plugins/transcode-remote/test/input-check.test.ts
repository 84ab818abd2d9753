// The backend's own source check (no ffmpeg on the orchestrator): real media
// made by ffmpeg — MPEG-TS and MP4, with and without video — and junk.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { presetProfile } from '@lpx/sdk';
import { checkInput, checkProfiles } from '../src/input-check.js';

const PROFILES = [presetProfile('P144p30fps16x9')!, presetProfile('P240p30fps16x9')!];

const run = promisify(execFile);

t.test('a video stream is found in real MPEG-TS and MP4; audio-only and junk are INPUT_INVALID', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-input-check-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const make = async (name: string, args: string[]): Promise<Buffer> => {
    const path = join(dir, name);
    await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', ...args, '-t', '0.5', path]);
    return readFile(path);
  };
  const video = ['-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=10', '-f', 'lavfi', '-i', 'sine', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac'];
  const audio = ['-f', 'lavfi', '-i', 'sine', '-c:a', 'aac'];
  const ts = await make('av.ts', [...video, '-f', 'mpegts']);
  const mp4 = await make('av.mp4', [...video, '-f', 'mp4']);
  const audioTs = await make('a.ts', [...audio, '-f', 'mpegts']);
  const audioMp4 = await make('a.mp4', [...audio, '-f', 'mp4']);
  t.doesNotThrow(() => checkInput(ts, 'mpegts'), 'H.264 + AAC in MPEG-TS');
  t.doesNotThrow(() => checkInput(mp4, 'mp4'), 'H.264 + AAC in MP4');
  t.throws(() => checkInput(audioTs, 'mpegts'), { code: 'LPX_ERR_TRANSCODE_INPUT_INVALID', message: 'the segment has no video stream' });
  t.throws(() => checkInput(audioMp4, 'mp4'), { code: 'LPX_ERR_TRANSCODE_INPUT_INVALID', message: 'the segment has no video track' });
  t.throws(() => checkInput(ts, 'mp4'), { message: /no ftyp box/ }, 'MPEG-TS bytes said to be MP4');
  t.throws(() => checkInput(Buffer.alloc(0), 'mpegts'), { message: 'the segment is empty' });
  t.throws(() => checkInput(mp4, 'mpegts'), { message: /no sync byte/ }, 'MP4 bytes said to be MPEG-TS');
  t.throws(() => checkInput(ts.subarray(0, 100), 'mpegts'), { message: /less than one MPEG-TS packet/ });
});

t.test('profile sizes must be positive and even', async (t) => {
  t.doesNotThrow(() => checkProfiles(PROFILES));
  for (const bad of [{ width: 0 }, { height: 145 }, { width: -2 }, { width: 2.5 }]) {
    t.throws(() => checkProfiles([{ ...PROFILES[0]!, ...bad }]), { code: 'LPX_ERR_TRANSCODE_PROFILE_INVALID' }, JSON.stringify(bad));
  }
  t.throws(() => checkProfiles([]), { code: 'LPX_ERR_TRANSCODE_PROFILE_INVALID' }, 'an empty ladder');
});
