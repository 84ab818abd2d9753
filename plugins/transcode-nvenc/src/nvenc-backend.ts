import { join } from 'node:path';
import { errors, type TranscodeBackend, type TranscodeBackendStatus, type TranscodeOutput, type TranscodeTask } from '@lpx/sdk';
import { checkProfiles, DeviceBalancer, probeSource, readRenditions, renditionFileName, runProcess, sessionCost, transcodeProcessError } from '@lpx/sdk/transcode-kit';
import type { NvencOptions } from './config.js';
import { NVENC_LIMITS, nvencTranscodeArgs } from './nvenc-args.js';
import { probeNvenc } from './probe.js';

/** What NVDEC decodes through `-hwaccel cuda`, by ffprobe codec name; and the 4:2:0 layouts the hardware path takes (as lpms requires). */
const DECODABLE = new Set(['h264', 'hevc']);
const PIX_FMTS_420 = new Set(['yuv420p', 'yuvj420p', 'nv12']);

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

  constructor(options: NvencOptions) {
    this.#options = options;
  }

  async probe(signal: AbortSignal): Promise<TranscodeBackendStatus> {
    const { status, devices } = await probeNvenc(this.#options, signal);
    this.#balancer = DeviceBalancer.afterProbe(this.#balancer, devices, { sessionsPerDevice: this.#options.sessionsPerGpu, idleMs: this.#options.sessionIdleMs });
    this.#status = status;
    return status;
  }

  /** The probe's status with the live per-GPU load. */
  status(): TranscodeBackendStatus | undefined {
    if (this.#status === undefined || this.#balancer === undefined) return this.#status;
    return this.#balancer.withLoads(this.#status);
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
      const failure = transcodeProcessError(result, { command: this.#options.ffmpegPath, where: `GPU ${device.id}`, details: { backend: this.name, device: device.id } });
      if (failure !== undefined) throw failure;
      const renditions = await readRenditions(this.#options.ffprobePath, task.profiles, outputs, task.signal);
      return { renditions, decodedPixels: BigInt(source.width) * BigInt(source.height) * BigInt(source.frames) };
    } finally {
      balancer.done(task.sessionId);
    }
  }

  endSession(sessionId: string): void {
    this.#balancer?.release(sessionId);
  }
}
