import { errors } from '@lpx/sdk';
import type { NetintFamilyName } from './netint-family.js';

export interface NetintOptions {
  /** `auto` takes Quadra when its encoders are listed, else Logan. */
  readonly family: 'auto' | NetintFamilyName;
  /**
   * `all` (every encoder the resource monitor lists) or device indices, as
   * Netint's ffmpeg selects them (`-dec <n>`, `-enc <n>`). go-livepeer's
   * `-netint` takes a list and has no `all`; ours reads it from the monitor.
   */
  readonly devices: 'all' | readonly number[];
  /** Transcode sessions (streams) one card holds. */
  readonly sessionsPerDevice: number;
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  /** The resource monitor; default by family (`ni_rsrc_mon`, `ni_rsrc_mon_logan`). */
  readonly monitorPath: string | undefined;
  readonly probeTimeoutMs: number;
  readonly sessionIdleMs: number;
}

export const NETINT_DEFAULTS: NetintOptions = Object.freeze({
  family: 'auto',
  devices: 'all',
  // An operator's estimate: a Quadra T1 card is rated for tens of 1080p30 streams; 8 ladders is a conservative start.
  sessionsPerDevice: 8,
  ffmpegPath: 'ffmpeg',
  ffprobePath: 'ffprobe',
  monitorPath: undefined,
  probeTimeoutMs: 10_000,
  sessionIdleMs: 70_000,
});

export interface NetintConfig extends Omit<Partial<NetintOptions>, 'devices'> {
  readonly devices?: string | readonly number[];
}

/** `all`, `0,1` or [0, 1]. */
export function parseDevices(devices: string | readonly number[] | undefined): 'all' | number[] {
  if (devices === undefined || devices === 'all') return 'all';
  const list = typeof devices === 'string' ? devices.split(',').map((d) => d.trim()) : devices.map(String);
  if (list.length === 0 || !list.every((d) => /^\d+$/.test(d))) {
    throw errors.config.INVALID.create(`devices must be "all" or Netint device indices such as "0,1" or [0, 1], got ${JSON.stringify(devices)}`);
  }
  const indices = list.map(Number);
  if (new Set(indices).size !== indices.length) throw errors.config.INVALID.create(`devices lists a device twice: ${JSON.stringify(devices)}`);
  return indices;
}

export function netintOptions(config: NetintConfig = {}): NetintOptions {
  const options: NetintOptions = { ...NETINT_DEFAULTS, ...config, devices: parseDevices(config.devices) };
  if (!['auto', 'quadra', 'logan'].includes(options.family)) throw errors.config.INVALID.create(`family must be auto, quadra or logan, got ${String(options.family)}`);
  if (!Number.isInteger(options.sessionsPerDevice) || options.sessionsPerDevice < 1) {
    throw errors.config.INVALID.create(`sessionsPerDevice must be an integer ≥ 1, got ${String(options.sessionsPerDevice)}`);
  }
  return options;
}
