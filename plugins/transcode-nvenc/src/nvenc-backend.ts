import { join } from 'node:path';
import { errors, type Rendition, type TranscodeBackend, type TranscodeBackendStatus, type TranscodeOutput, type TranscodeProfile, type TranscodeTask } from '@lpx/sdk';
import type { NvencOptions } from './config.js';
import { DeviceBalancer, sessionCost } from './device-balancer.js';
import { probeRendition, probeSource } from './media-probe.js';
import { nvencTranscodeArgs } from './nvenc-args.js';
import { probeNvenc } from './probe.js';
import { checkProfiles, NVENC_LIMITS } from './profile-check.js';
import { runProcess } from './run-process.js';
import { stderrReason } from './stderr-reason.js';

/** What NVDEC decodes through `-hwaccel cuda`, by ffprobe codec name; and the 4:2:0 layouts the hardware path takes (as lpms requires). */
const DECODABLE = new Set(['h264', 'hevc']);
const PIX_FMTS_420 = new Set(['yuv420p', 'yuvj420p', 'nv12']);

export function renditionFileName(profile: TranscodeProfile, index: number): string {
  const safe = profile.name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return `${index}-${safe}.${profile.format === 'mp4' ? 'mp4' : 'ts'}`;
}

/**
 * NVENC through ffmpeg: one process per segment decodes on the GPU, splits,
 * scales each rendition with scale_cuda and encodes it with h264_nvenc or
 * hevc_nvenc. Sessions are placed on GPUs by a DeviceBalancer and stay there.
 */
export class NvencBackend implements TranscodeBackend {
  readonly name = 'nvenc';
  readonly #options: NvencOptions;
  #status: TranscodeBackendStatus | undefined;
  #balancer: DeviceBalancer | undefined;
  #deviceKey = '';

  constructor(options: NvencOptions) {
    this.#options = options;
  }

  async probe(signal: AbortSignal): Promise<TranscodeBackendStatus> {
    const { status, devices } = await probeNvenc(this.#options, signal);
    const key = devices.map((d) => d.id).join(',');
    // A re-probe that finds the same GPUs keeps the sessions already placed on them.
    if (key !== this.#deviceKey || this.#balancer === undefined) {
      this.#balancer = devices.length === 0 ? undefined : new DeviceBalancer(devices, { sessionsPerDevice: this.#options.sessionsPerGpu, idleMs: this.#options.sessionIdleMs });
      this.#deviceKey = key;
    }
    this.#status = status;
    return status;
  }

  /** The probe's status with the live per-GPU load. */
  status(): TranscodeBackendStatus | undefined {
    if (this.#status === undefined || this.#balancer === undefined) return this.#status;
    return { ...this.#status, devices: this.#balancer.loads().map((d) => ({ id: d.id, name: d.name, capacity: d.capacity, load: d.sessions })) };
  }

  async transcode(task: TranscodeTask): Promise<TranscodeOutput> {
    const status = this.#status ?? await this.probe(task.signal);
    const balancer = this.#balancer;
    if (!status.available || balancer === undefined) {
      throw errors.transcode.BACKEND_UNAVAILABLE.create(`nvenc is unavailable: ${status.reason ?? 'not probed'}`, { details: { backend: this.name, reason: status.reason } });
    }
    if (task.signal.aborted) throw errors.transcode.CANCELLED.create('the task was aborted before it started');
    checkProfiles(task.profiles, status.encode, NVENC_LIMITS);
    const source = await probeSource(this.#options.ffprobePath, task.input, task.signal);
    if (!DECODABLE.has(source.codecName)) throw errors.transcode.INPUT_INVALID.create(`source codec ${source.codecName} is not decoded on the GPU here (h264, hevc)`);
    if (!PIX_FMTS_420.has(source.pixFmt)) throw errors.transcode.INPUT_INVALID.create(`source pixel format ${source.pixFmt} is not 4:2:0, which the GPU decode path requires`);

    const device = balancer.acquire(task.sessionId, sessionCost(task.profiles));
    try {
      const outputs = task.profiles.map((p, i) => join(task.outputDir, renditionFileName(p, i)));
      const args = nvencTranscodeArgs({ input: task.input.path, gpu: device.id, profiles: task.profiles, outputs });
      const result = await runProcess(this.#options.ffmpegPath, args, { signal: task.signal });
      if (result.aborted) throw errors.transcode.CANCELLED.create(`the task was aborted; ffmpeg on GPU ${device.id} was killed`);
      if (result.notFound) throw errors.transcode.FAILED.create(`ffmpeg not found at ${this.#options.ffmpegPath}`);
      if (result.code !== 0) {
        throw errors.transcode.FAILED.create(`ffmpeg on GPU ${device.id} exited with ${result.code ?? 'a signal'}: ${stderrReason(result.stderr)}`, { details: { backend: this.name, device: device.id } });
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
