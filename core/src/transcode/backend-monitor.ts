/**
 * Keeps every backend's status on a worker node: probed at start (bounded,
 * never fatal), re-probed while unavailable (a driver may come back), and
 * updated by backends that watch their own capacity (remote transcoders
 * connecting). Each change is logged with its reason and told to listeners.
 */
import type { Logger } from 'pino';
import type { TranscodeBackend, TranscodeBackendStatus } from '@lpx/sdk';
import { normalizeStatus, probeBackend } from './backend-status.js';
import type { TranscodeMetrics } from './transcode-metrics.js';

export interface BackendMonitorOptions {
  readonly backends: readonly TranscodeBackend[];
  readonly probeTimeoutMs: number;
  /** Unavailable backends are probed again this often; 0 disables. */
  readonly reprobeIntervalMs: number;
  readonly logger: Logger;
  readonly metrics: TranscodeMetrics;
}

export type StatusListener = (statuses: ReadonlyMap<string, TranscodeBackendStatus>) => void;

export class BackendMonitor {
  readonly #options: BackendMonitorOptions;
  readonly #statuses = new Map<string, TranscodeBackendStatus>();
  readonly #listeners = new Set<StatusListener>();
  readonly #unwatch: (() => void)[] = [];
  readonly #closing = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #reprobing = false;

  constructor(options: BackendMonitorOptions) {
    this.#options = options;
  }

  get statuses(): ReadonlyMap<string, TranscodeBackendStatus> {
    return this.#statuses;
  }

  /** Summed capacity of the available backends. */
  get capacity(): number {
    let sum = 0;
    for (const status of this.#statuses.values()) if (status.available) sum += status.capacity;
    return sum;
  }

  onChange(listener: StatusListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Probes all backends in parallel, then subscribes to those that watch themselves. */
  async start(): Promise<void> {
    const { backends, probeTimeoutMs } = this.#options;
    const probed = await Promise.all(backends.map(async (backend) => [backend, await probeBackend(backend, probeTimeoutMs, this.#closing.signal)] as const));
    for (const [backend, status] of probed) this.#record(backend.name, status, 'probe');
    this.#notify();
    for (const backend of backends) {
      if (backend.watch === undefined) continue;
      try {
        this.#unwatch.push(
          backend.watch((status) => {
            if (this.#closing.signal.aborted) return;
            this.#record(backend.name, normalizeStatus(status), 'watch');
            this.#notify();
          }),
        );
      } catch (error) {
        this.#options.logger.warn({ backend: backend.name, err: error }, 'transcode backend watch failed; its probed status stays');
      }
    }
    if (this.#options.reprobeIntervalMs > 0) {
      this.#timer = setInterval(() => void this.#reprobe(), this.#options.reprobeIntervalMs);
      this.#timer.unref();
    }
  }

  close(): void {
    this.#closing.abort();
    if (this.#timer) clearInterval(this.#timer);
    for (const unwatch of this.#unwatch.splice(0)) {
      try {
        unwatch();
      } catch {
        // a backend failing to unsubscribe must not stop the shutdown
      }
    }
  }

  async #reprobe(): Promise<void> {
    if (this.#reprobing) return;
    this.#reprobing = true;
    try {
      let changed = false;
      for (const backend of this.#options.backends) {
        if (this.#statuses.get(backend.name)?.available !== false || backend.watch !== undefined) continue;
        const status = await probeBackend(backend, this.#options.probeTimeoutMs, this.#closing.signal);
        if (this.#closing.signal.aborted) return;
        changed = this.#record(backend.name, status, 'reprobe') || changed;
      }
      if (changed) this.#notify();
    } finally {
      this.#reprobing = false;
    }
  }

  /** true when the status differs from the previous one. */
  #record(name: string, status: TranscodeBackendStatus, source: 'probe' | 'watch' | 'reprobe'): boolean {
    const previous = this.#statuses.get(name);
    this.#statuses.set(name, status);
    this.#options.metrics.capacity(name, status.capacity);
    const same = previous !== undefined && previous.available === status.available && previous.capacity === status.capacity && previous.reason === status.reason;
    if (same) return false;
    const fields = { backend: name, source, available: status.available, capacity: status.capacity, encode: status.encode, decode: status.decode, formats: status.formats, reason: status.reason };
    if (status.available) this.#options.logger.info(fields, `transcode backend ${name} available (capacity ${status.capacity})`);
    else this.#options.logger.warn(fields, `transcode backend ${name} unavailable: ${status.reason ?? 'no reason given'}`);
    return true;
  }

  #notify(): void {
    for (const listener of this.#listeners) listener(this.#statuses);
  }
}
