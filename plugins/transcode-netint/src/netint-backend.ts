import { join } from 'node:path';
import { errors, type Rendition, type TranscodeBackend, type TranscodeBackendStatus, type TranscodeOutput, type TranscodeProfile, type TranscodeTask } from '@lpx/sdk';
import type { NetintOptions } from './config.js';
import { DeviceBalancer, sessionCost } from './device-balancer.js';
import { probeRendition, probeSource } from './media-probe.js';
import { netintTranscodeArgs } from './netint-args.js';
import { SOURCE_CODECS, type NetintFamily } from './netint-family.js';
import { probeNetint } from './probe.js';
import { checkProfiles, NETINT_LIMITS } from './profile-check.js';
import { runProcess } from './run-process.js';
import { stderrReason } from './stderr-reason.js';

/** The 4:2:0 layouts Netint decoders take (8 and 10 bit). */
const PIX_FMTS_420 = new Set(['yuv420p', 'yuvj420p', 'nv12', 'yuv420p10le']);

export function renditionFileName(profile: TranscodeProfile, index: number): string {
  const safe = profile.name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return `${index}-${safe}.${profile.format === 'mp4' ? 'mp4' : 'ts'}`;
}

/**
 * Netint VPUs through Netint's ffmpeg build: one process per segment decodes
 * on the card, splits and scales (on the card for Quadra), and encodes each
 * rendition with the card's encoder. Sessions stick to a card.
 */
export class NetintBackend implements TranscodeBackend {
  readonly name = 'netint';
  readonly #options: NetintOptions;
  #status: TranscodeBackendStatus | undefined;
  #family: NetintFamily | undefined;
  #balancer: DeviceBalancer | undefined;
  #deviceKey = '';

  constructor(options: NetintOptions) {
    this.#options = options;
  }

  async probe(signal: AbortSignal): Promise<TranscodeBackendStatus> {
    const { status, family, devices } = await probeNetint(this.#options, signal);
    const key = `${family?.name ?? ''}:${devices.map((d) => d.id).join(',')}`;
    // A re-probe that finds the same devices keeps the sessions already placed on them.
    if (key !== this.#deviceKey || this.#balancer === undefined) {
      this.#balancer = devices.length === 0 ? undefined : new DeviceBalancer(devices, { sessionsPerDevice: this.#options.sessionsPerDevice, idleMs: this.#options.sessionIdleMs });
      this.#deviceKey = key;
    }
    this.#family = family;
    this.#status = status;
    return status;
  }

  /** The probe's status with the live per-device load. */
  status(): TranscodeBackendStatus | undefined {
    if (this.#status === undefined || this.#balancer === undefined) return this.#status;
    return { ...this.#status, devices: this.#balancer.loads().map((d) => ({ id: d.id, name: d.name, capacity: d.capacity, load: d.sessions })) };
  }

  async transcode(task: TranscodeTask): Promise<TranscodeOutput> {
    const status = this.#status ?? await this.probe(task.signal);
    const balancer = this.#balancer;
    const family = this.#family;
    if (!status.available || balancer === undefined || family === undefined) {
      throw errors.transcode.BACKEND_UNAVAILABLE.create(`netint is unavailable: ${status.reason ?? 'not probed'}`, { details: { backend: this.name, reason: status.reason } });
    }
    if (task.signal.aborted) throw errors.transcode.CANCELLED.create('the task was aborted before it started');
    checkProfiles(task.profiles, status.encode, NETINT_LIMITS);
    const source = await probeSource(this.#options.ffprobePath, task.input, task.signal);
    const sourceCodec = SOURCE_CODECS[source.codecName];
    if (sourceCodec === undefined || !status.decode.includes(sourceCodec)) {
      throw errors.transcode.INPUT_INVALID.create(`source codec ${source.codecName} has no Netint ${family.name} decoder here (${status.decode.join(', ')})`);
    }
    if (!PIX_FMTS_420.has(source.pixFmt)) throw errors.transcode.INPUT_INVALID.create(`source pixel format ${source.pixFmt} is not 4:2:0, which Netint decoders require`);

    const device = balancer.acquire(task.sessionId, sessionCost(task.profiles));
    try {
      const outputs = task.profiles.map((p, i) => join(task.outputDir, renditionFileName(p, i)));
      const args = netintTranscodeArgs({ family, input: task.input.path, sourceCodec, device: device.id, profiles: task.profiles, outputs });
      const result = await runProcess(this.#options.ffmpegPath, args, { signal: task.signal });
      if (result.aborted) throw errors.transcode.CANCELLED.create(`the task was aborted; ffmpeg on Netint device ${device.id} was killed`);
      if (result.notFound) throw errors.transcode.FAILED.create(`ffmpeg not found at ${this.#options.ffmpegPath}`);
      if (result.code !== 0) {
        throw errors.transcode.FAILED.create(`ffmpeg on Netint device ${device.id} exited with ${result.code ?? 'a signal'}: ${stderrReason(result.stderr)}`, { details: { backend: this.name, device: device.id } });
      }
      const renditions: Rendition[] = [];
      for (const [i, profile] of task.profiles.entries()) {
        const video = await probeRendition(this.#options.ffprobePath, outputs[i]!, task.signal);
        if (video.width !== profile.width || video.height !== profile.height) {
          throw errors.transcode.RESULT_INVALID.create(`rendition ${profile.name} is ${video.width}x${video.height}, the profile asks for ${profile.width}x${profile.height}`);
        }
        renditions.push({ profile: profile.name, path: outputs[i]!, width: video.width, height: video.height, frames: video.frames, pixels: BigInt(video.width) * BigInt(video.height) * BigInt(video.frames) });
      }
      return { renditions, decodedPixels: BigInt(source.width) * BigInt(source.height) * BigInt(source.frames) };
    } finally {
      balancer.done(task.sessionId);
    }
  }

  endSession(sessionId: string): void {
    this.#balancer?.release(sessionId);
  }
}
