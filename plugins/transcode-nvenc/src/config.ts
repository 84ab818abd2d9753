import { errors } from '@lpx/sdk';

export interface NvencOptions {
  /** `all` (every GPU nvidia-smi lists) or GPU indices, like go-livepeer's `-nvidia`. */
  readonly devices: 'all' | readonly number[];
  /** Transcode sessions (streams) one GPU holds. Each running segment opens one NVENC encoder per rendition. */
  readonly sessionsPerGpu: number;
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  readonly nvidiaSmiPath: string;
  /** Ceiling on each probe step (one tool run); a wedged driver must not hang the node's start. */
  readonly probeTimeoutMs: number;
  /** A session without a segment for this long frees its GPU place (go-livepeer's transcode loop timeout). */
  readonly sessionIdleMs: number;
}

export const NVENC_DEFAULTS: NvencOptions = Object.freeze({
  devices: 'all',
  // Recent GeForce drivers allow 8 concurrent NVENC encoders per system; 4 two-rendition sessions fit. Data-center cards have no such cap: raise it.
  sessionsPerGpu: 4,
  ffmpegPath: 'ffmpeg',
  ffprobePath: 'ffprobe',
  nvidiaSmiPath: 'nvidia-smi',
  probeTimeoutMs: 10_000,
  sessionIdleMs: 70_000,
});

export interface NvencConfig extends Omit<Partial<NvencOptions>, 'devices'> {
  readonly devices?: string | readonly number[];
}

/** Accepts go-livepeer's `-nvidia` spelling (`all`, `0,2,4`) or a list of indices. */
export function parseDevices(devices: string | readonly number[] | undefined): 'all' | number[] {
  if (devices === undefined || devices === 'all') return 'all';
  const list = typeof devices === 'string' ? devices.split(',').map((d) => d.trim()) : devices.map(String);
  if (list.length === 0 || !list.every((d) => /^\d+$/.test(d))) {
    throw errors.config.INVALID.create(`devices must be "all" or GPU indices such as "0,1" or [0, 1], got ${JSON.stringify(devices)}`);
  }
  const indices = list.map(Number);
  if (new Set(indices).size !== indices.length) throw errors.config.INVALID.create(`devices lists a GPU twice: ${JSON.stringify(devices)}`);
  return indices;
}

export function nvencOptions(config: NvencConfig = {}): NvencOptions {
  const options: NvencOptions = { ...NVENC_DEFAULTS, ...config, devices: parseDevices(config.devices) };
  if (!Number.isInteger(options.sessionsPerGpu) || options.sessionsPerGpu < 1) {
    throw errors.config.INVALID.create(`sessionsPerGpu must be an integer ≥ 1, got ${String(options.sessionsPerGpu)}`);
  }
  return options;
}
