import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TranscodeProfile, TranscodeTask } from '@lpx/sdk';

const run = promisify(execFile);

/** A temp dir removed when the test ends. */
export async function tempDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-transcode-ffmpeg-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function makeTask(input: string, profiles: readonly TranscodeProfile[], outputDir: string, signal = new AbortController().signal): Promise<TranscodeTask> {
  const { stat } = await import('node:fs/promises');
  return { sessionId: 'test-session', seq: 1, input: { path: input, format: 'mpegts', sizeBytes: (await stat(input)).size, durationMs: 0 }, profiles, outputDir, signal };
}

/** ffprobe fields the sdk's probeMedia does not expose: encoder profile, keyframe flags. */
export async function videoDetails(path: string): Promise<{ profile: string; codec: string; keyframes: number; packets: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=profile,codec_name:packet=flags', '-of', 'json', path]);
  const json = JSON.parse(stdout) as { streams: { profile: string; codec_name: string }[]; packets: { flags: string }[] };
  return { profile: json.streams[0]?.profile ?? '', codec: json.streams[0]?.codec_name ?? '', keyframes: json.packets.filter((p) => p.flags.startsWith('K')).length, packets: json.packets.length };
}

/** The container start time in seconds, as ffprobe reads it. */
export async function startTime(path: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=start_time', '-of', 'csv=p=0', path]);
  return Number(stdout.trim());
}

/** Rewrites a TS file to start `seconds` later, as segment n of a stream does. */
export async function shiftTimeline(input: string, output: string, seconds: number): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-c', 'copy', '-output_ts_offset', String(seconds), '-f', 'mpegts', output]);
}
