import { transcodeErrors } from '../../errors/codes/transcode.js';
import type { TranscodeBackendStatus } from '../../extension-points/transcode-backends.js';
import type { TranscodeProfile } from '../profiles.js';

export interface Device {
  /** What the device is called on the command line (`-hwaccel_device 1`, `-enc 1`). */
  readonly id: string;
  readonly name: string;
}

export interface DeviceLoad extends Device {
  readonly capacity: number;
  /** Σ cost of the sessions on the device. */
  readonly load: number;
  readonly sessions: number;
}

export interface BalancerOptions {
  /** Sessions one device holds (hardware caps concurrent encoders, e.g. consumer NVENC drivers). */
  readonly sessionsPerDevice: number;
  /** A session with no segment for this long gives its place back (go-livepeer's transcode loop ends after 70 s). */
  readonly idleMs: number;
  readonly now?: () => number;
}

interface Session {
  readonly device: Device;
  readonly cost: number;
  running: number;
  lastUsed: number;
}

/**
 * go-livepeer's per-device load balancing idea (core/lb.go): a new session
 * goes to the least-loaded device, ties broken by scanning from a start index
 * that moves on with every new session, and the session then sticks to that
 * device, as a hardware decoder/encoder session does. On top of that, a
 * device holds at most `sessionsPerDevice` sessions, so capacity is what the
 * hardware holds rather than an unbounded queue.
 */
export class DeviceBalancer {
  readonly #devices: readonly Device[];
  readonly #options: BalancerOptions;
  readonly #now: () => number;
  readonly #sessions = new Map<string, Session>();
  #start = 0;
  #identity = '';

  constructor(devices: readonly Device[], options: BalancerOptions) {
    this.#devices = devices;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The balancer for what a (re-)probe found: the current one when the
   * devices (and `identity`, e.g. the hardware family) are the same, so the
   * sessions already placed keep their devices; a new one when they changed;
   * undefined when no device passed. The kernel re-probes; this keeps a
   * re-probe from scattering live sessions.
   */
  static afterProbe(current: DeviceBalancer | undefined, devices: readonly Device[], options: BalancerOptions, identity = ''): DeviceBalancer | undefined {
    if (devices.length === 0) return undefined;
    const key = `${identity}:${devices.map((d) => d.id).join(',')}`;
    if (current !== undefined && current.#identity === key) return current;
    const balancer = new DeviceBalancer(devices, options);
    balancer.#identity = key;
    return balancer;
  }

  get capacity(): number {
    return this.#devices.length * this.#options.sessionsPerDevice;
  }

  /** The device for one segment of `sessionId`; call `done` when the segment is finished. Throws NO_CAPACITY when every device is full. */
  acquire(sessionId: string, cost: number): Device {
    const existing = this.#sessions.get(sessionId);
    if (existing !== undefined) {
      existing.running += 1;
      existing.lastUsed = this.#now();
      return existing.device;
    }
    this.#expireIdle();
    const device = this.#leastLoaded();
    if (device === undefined) {
      throw transcodeErrors.NO_CAPACITY.create(`every device holds ${this.#options.sessionsPerDevice} sessions (${this.#devices.length} device(s))`, {
        details: { devices: this.#devices.length, sessionsPerDevice: this.#options.sessionsPerDevice },
      });
    }
    this.#sessions.set(sessionId, { device, cost, running: 1, lastUsed: this.#now() });
    this.#start = (this.#start + 1) % this.#devices.length;
    return device;
  }

  done(sessionId: string): void {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return;
    session.running = Math.max(0, session.running - 1);
    session.lastUsed = this.#now();
  }

  /** The session ended: its device place and load are free at once. */
  release(sessionId: string): void {
    this.#sessions.delete(sessionId);
  }

  sessionDevice(sessionId: string): Device | undefined {
    return this.#sessions.get(sessionId)?.device;
  }

  loads(): DeviceLoad[] {
    return this.#devices.map((device) => ({
      ...device,
      capacity: this.#options.sessionsPerDevice,
      load: this.#loadOf(device),
      sessions: this.#countOn(device),
    }));
  }

  /** A probe's status with each device's live session count as its load (what the kernel shows operators). */
  withLoads(status: TranscodeBackendStatus): TranscodeBackendStatus {
    return { ...status, devices: this.loads().map((d) => ({ id: d.id, name: d.name, capacity: d.capacity, load: d.sessions })) };
  }

  #leastLoaded(): Device | undefined {
    let best: Device | undefined;
    let bestLoad = Infinity;
    for (let i = 0; i < this.#devices.length; i++) {
      const device = this.#devices[(i + this.#start) % this.#devices.length]!;
      if (this.#countOn(device) >= this.#options.sessionsPerDevice) continue;
      const load = this.#loadOf(device);
      if (load < bestLoad) {
        best = device;
        bestLoad = load;
      }
    }
    return best;
  }

  #expireIdle(): void {
    const cutoff = this.#now() - this.#options.idleMs;
    for (const [id, session] of this.#sessions) {
      if (session.running === 0 && session.lastUsed <= cutoff) this.#sessions.delete(id);
    }
  }

  #loadOf(device: Device): number {
    let load = 0;
    for (const session of this.#sessions.values()) if (session.device === device) load += session.cost;
    return load;
  }

  #countOn(device: Device): number {
    let count = 0;
    for (const session of this.#sessions.values()) if (session.device === device) count += 1;
    return count;
  }
}

/** go-livepeer's calculateCost: Σ width × height × fps over the ladder, passthrough counted as 30 fps. */
export function sessionCost(profiles: readonly Pick<TranscodeProfile, 'width' | 'height' | 'fps' | 'fpsDen'>[]): number {
  let cost = 0;
  for (const p of profiles) {
    const fps = p.fps === 0 ? 30 : Math.floor(p.fps / Math.max(1, p.fpsDen));
    cost += p.width * p.height * fps;
  }
  return cost;
}
