import { stat } from 'node:fs/promises';
import {
  errors,
  type LoggerService,
  type Rendition,
  type TranscodeBackend,
  type TranscodeBackendStatus,
  type TranscodeOutput,
  type TranscodeTask,
} from '@lpx/sdk';
import { FfmpegAbortedError, FfmpegExitError, type FfmpegRunner, type ProbedStream } from './ffmpeg-runner.js';
import { parseFinalStats } from './final-stats.js';
import { buildLadderJob } from './ladder-args.js';
import { probeFfmpeg } from './probe-ffmpeg.js';
import { validateProfiles } from './profile-validation.js';

export interface FfmpegBackendOptions {
  readonly runner: FfmpegRunner;
  readonly capacity: number;
  readonly preset: string;
  readonly threads: number;
  readonly logger?: LoggerService;
}

function cancelled(task: TranscodeTask): Error {
  return errors.transcode.CANCELLED.create(`transcode of ${task.sessionId}/${task.seq} was cancelled`, { details: { sessionId: task.sessionId, seq: task.seq } });
}

type Source = { readonly video: ProbedStream; readonly audioCodec: string | undefined };
type Encoded = { readonly source: Source; readonly paths: readonly string[]; readonly log: readonly string[] };

/** Outputs whose arguments depend on the source: MP4 (its audio filter) and a GOP at the source's own rate. */
function needsSourceFacts(task: TranscodeTask): boolean {
  return task.profiles.some((profile) => profile.format === 'mp4' || (profile.fps === 0 && profile.gopMs > 0));
}

function parseRate(rate: string): [number, number] {
  const [num = 0, den = 1] = rate.split('/').map(Number);
  return num > 0 && den > 0 ? [num, den] : [30, 1];
}

/**
 * libx264 on the CPU, one ffmpeg process per segment for the whole ladder.
 * Pixels are counted from the packets ffmpeg muxed into each file (its final
 * stats; one packet per frame for H.264/HEVC), i.e. the frames a verifier
 * will decode — the conformance suite checks exactly that.
 */
export class FfmpegTranscodeBackend implements TranscodeBackend {
  readonly name = 'ffmpeg';
  private status: Promise<TranscodeBackendStatus> | undefined;
  private running = 0;
  /** Aborted by close(): every task's signal is chained to it. */
  private readonly closing = new AbortController();

  constructor(private readonly options: FfmpegBackendOptions) {}

  async probe(signal: AbortSignal): Promise<TranscodeBackendStatus> {
    const status = await probeFfmpeg(this.options.runner, this.options.capacity, signal);
    // An aborted probe says nothing about ffmpeg: keep the last real answer instead.
    if (!signal.aborted) this.status = Promise.resolve(status);
    return status;
  }

  async transcode(task: TranscodeTask): Promise<TranscodeOutput> {
    if (task.signal.aborted) throw cancelled(task);
    const status = await (this.status ??= probeFfmpeg(this.options.runner, this.options.capacity, new AbortController().signal));
    if (!status.available) throw errors.transcode.BACKEND_UNAVAILABLE.create(`ffmpeg backend unavailable: ${status.reason ?? 'unknown'}`, { details: { backend: this.name, reason: status.reason } });
    validateProfiles(task.profiles, status.encode);
    if (this.running >= status.capacity) throw errors.transcode.NO_CAPACITY.create(`ffmpeg backend is running ${this.running} of ${status.capacity} sessions`);
    this.running += 1;
    const signal = AbortSignal.any([task.signal, this.closing.signal]);
    try {
      return await this.run(task, signal);
    } finally {
      this.running -= 1;
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
  }

  private async run(task: TranscodeTask, signal: AbortSignal): Promise<TranscodeOutput> {
    const { source, log, paths } = needsSourceFacts(task) ? await this.validateThenEncode(task, signal) : await this.encodeWhileValidating(task, signal);
    const stats = parseFinalStats(log, paths.length);
    const renditions = await Promise.all(task.profiles.map(async (profile, i): Promise<Rendition> => {
      const path = paths[i]!;
      // ffmpeg's own muxed-packet count; a build that prints no final stats costs one ffprobe per rendition instead.
      const frames = stats.outputVideoPackets[i] ?? (await this.countFrames(path));
      // Decodable source, no frame out: the source has a video stream with nothing in it.
      if (frames === 0) throw errors.transcode.INPUT_INVALID.create(`no video frame could be produced for ${profile.name}: the source has no decodable frames`);
      return { profile: profile.name, path, width: profile.width, height: profile.height, frames, pixels: BigInt(profile.width) * BigInt(profile.height) * BigInt(frames) };
    }));
    // The caller left while we counted: it will not read these files.
    if (signal.aborted) throw cancelled(task);
    if (stats.decodedFrames === undefined) return { renditions };
    return { renditions, decodedPixels: BigInt(source.video.width) * BigInt(source.video.height) * BigInt(stats.decodedFrames) };
  }

  /** The source's frame rate or audio codec shape the arguments: ffprobe first, then the encode. */
  private async validateThenEncode(task: TranscodeTask, signal: AbortSignal): Promise<Encoded> {
    const source = await this.validateInput(task);
    if (signal.aborted) throw cancelled(task);
    const { job, paths } = buildLadderJob(task.input.path, task.profiles, task.outputDir, this.ladderOptions(source));
    try {
      return { source, paths, ...(await this.options.runner.run(job, signal)) };
    } catch (error) {
      throw this.encodeError(task, error);
    }
  }

  /**
   * The common case (fixed output rates, MPEG-TS out) needs nothing from the source to build the
   * command, so the ffprobe check runs next to the encode instead of before it — it costs a process
   * start (~200 ms a segment here, bench/transcode-ffmpeg.ts). An invalid source kills the encode
   * and is still reported as INPUT_INVALID, never as an encoder failure; renditions of a source
   * that did not validate are never returned.
   */
  private async encodeWhileValidating(task: TranscodeTask, signal: AbortSignal): Promise<Encoded> {
    const size = await stat(task.input.path).then((s) => s.size, () => -1);
    if (size <= 0) return this.validateThenEncode(task, signal);
    const refused = new AbortController();
    const validation = this.validateInput(task).then(
      (source) => ({ source }),
      (error: unknown) => {
        refused.abort();
        return { error };
      },
    );
    const { job, paths } = buildLadderJob(task.input.path, task.profiles, task.outputDir, this.ladderOptions(undefined));
    const encoded = await this.options.runner.run(job, AbortSignal.any([signal, refused.signal])).then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    const checked = await validation;
    if ('error' in checked) throw checked.error;
    if ('error' in encoded) throw this.encodeError(task, encoded.error);
    if (signal.aborted) throw cancelled(task);
    return { source: checked.source, paths, ...encoded.result };
  }

  private ladderOptions(source: Source | undefined) {
    return {
      preset: this.options.preset,
      threads: this.options.threads,
      // Only passthrough-rate GOPs read it (needsSourceFacts sends those through validateThenEncode).
      sourceFps: source === undefined ? ([30, 1] as [number, number]) : parseRate(source.video.frameRate),
      sourceAudioCodec: source?.audioCodec,
    };
  }

  private encodeError(task: TranscodeTask, error: unknown): Error {
    if (error instanceof FfmpegAbortedError) return cancelled(task);
    const stderr = error instanceof FfmpegExitError ? error.stderrTail : [];
    this.options.logger?.warn({ sessionId: task.sessionId, seq: task.seq, stderr }, 'ffmpeg failed');
    return errors.transcode.FAILED.create(`ffmpeg failed on ${task.sessionId}/${task.seq}: ${(error as Error).message}`, { cause: error, details: { stderr } });
  }

  /** ffprobe: empty, unreadable and video-less inputs are the caller's fault (4xx), not ours. */
  private async validateInput(task: TranscodeTask): Promise<Source> {
    const { path } = task.input;
    const invalid = (why: string, details: Record<string, unknown> = {}): Error =>
      errors.transcode.INPUT_INVALID.create(`source of ${task.sessionId}/${task.seq}: ${why}`, { details: { path, ...details } });
    const size = await stat(path).then((s) => s.size, () => -1);
    if (size < 0) throw invalid('file not found');
    if (size === 0) throw invalid('zero bytes');
    let video: ProbedStream | undefined;
    let audioCodec: string | undefined;
    try {
      const probed = await this.options.runner.probe(path);
      video = probed.streams.find((s) => s.type === 'video');
      audioCodec = probed.streams.find((s) => s.type === 'audio')?.codec;
    } catch (error) {
      throw invalid('not a readable MPEG-TS/MP4 file', { ffprobe: error instanceof FfmpegExitError ? error.stderrTail : String(error) });
    }
    if (video === undefined) throw invalid('no video stream');
    if (video.width <= 0 || video.height <= 0) throw invalid('the video stream has no picture size');
    return { video, audioCodec };
  }

  private async countFrames(path: string): Promise<number> {
    try {
      const probed = await this.options.runner.probe(path, { countPackets: true });
      return probed.streams.find((s) => s.type === 'video')?.packets ?? 0;
    } catch (error) {
      throw errors.transcode.FAILED.create(`ffmpeg exited cleanly but ${path} is unreadable`, { cause: error });
    }
  }
}
