import { join } from 'node:path';
import { errors, type TranscodeBackend, type TranscodeBackendStatus, type TranscodeOutput, type TranscodeTask } from '@lpx/sdk';
import { checkProfiles, DeviceBalancer, probeSource, readRenditions, renditionFileName, runProcess, sessionCost, transcodeProcessError } from '@lpx/sdk/transcode-kit';
import type { NetintOptions } from './config.js';
import { netintTranscodeArgs } from './netint-args.js';
import { NETINT_LIMITS, SOURCE_CODECS, type NetintFamily } from './netint-family.js';
import { probeNetint } from './probe.js';

/** The 4:2:0 layouts Netint decoders take (8 and 10 bit). */
const PIX_FMTS_420 = new Set(['yuv420p', 'yuvj420p', 'nv12', 'yuv420p10le']);

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

  constructor(options: NetintOptions) {
    this.#options = options;
  }

  async probe(signal: AbortSignal): Promise<TranscodeBackendStatus> {
    const { status, family, devices } = await probeNetint(this.#options, signal);
    // The family is part of the devices' identity: the same indices on another card line are other devices.
    this.#balancer = DeviceBalancer.afterProbe(this.#balancer, devices, { sessionsPerDevice: this.#options.sessionsPerDevice, idleMs: this.#options.sessionIdleMs }, family?.name);
    this.#family = family;
    this.#status = status;
    return status;
  }

  /** The probe's status with the live per-device load. */
  status(): TranscodeBackendStatus | undefined {
    if (this.#status === undefined || this.#balancer === undefined) return this.#status;
    return this.#balancer.withLoads(this.#status);
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
      const failure = transcodeProcessError(result, { command: this.#options.ffmpegPath, where: `Netint device ${device.id}`, details: { backend: this.name, device: device.id } });
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
