/**
 * The chosen runtime's status: probed once at start (bounded, never fatal),
 * re-probed while unavailable (dockerd may be installed or come back), each
 * change logged with its reason. `ready()` is what the facade waits on.
 */
import type { Logger } from 'pino';
import { isLpxError, type ContainerRuntime, type ContainerRuntimeStatus } from '@lpx/sdk';

export interface RuntimeMonitorOptions {
  readonly runtime: ContainerRuntime;
  readonly probeTimeoutMs: number;
  /** 0 disables re-probing. */
  readonly reprobeIntervalMs: number;
  readonly logger: Logger;
}

export class RuntimeMonitor {
  readonly #options: RuntimeMonitorOptions;
  readonly #closing = new AbortController();
  #status: ContainerRuntimeStatus | undefined;
  #first: Promise<ContainerRuntimeStatus> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reprobing = false;

  constructor(options: RuntimeMonitorOptions) {
    this.#options = options;
  }

  /** Undefined until the first probe finished. */
  get status(): ContainerRuntimeStatus | undefined {
    return this.#status;
  }

  /** Starts the first probe (once) and the re-probe timer; resolves with the first status. */
  start(): Promise<ContainerRuntimeStatus> {
    this.#first ??= (async () => {
      const status = await this.#probe();
      this.#record(status, 'probe');
      if (this.#options.reprobeIntervalMs > 0 && !this.#closing.signal.aborted) {
        this.#timer = setInterval(() => void this.#reprobe(), this.#options.reprobeIntervalMs);
        this.#timer.unref();
      }
      return status;
    })();
    return this.#first;
  }

  /** The current status once the first probe is done. */
  async ready(): Promise<ContainerRuntimeStatus> {
    await this.start();
    return this.#status!;
  }

  close(): void {
    this.#closing.abort();
    if (this.#timer) clearInterval(this.#timer);
  }

  async #reprobe(): Promise<void> {
    if (this.#reprobing || this.#status?.available !== false) return;
    this.#reprobing = true;
    try {
      const status = await this.#probe();
      if (!this.#closing.signal.aborted) this.#record(status, 'reprobe');
    } finally {
      this.#reprobing = false;
    }
  }

  async #probe(): Promise<ContainerRuntimeStatus> {
    const { runtime, probeTimeoutMs } = this.#options;
    const controller = new AbortController();
    const onClose = () => controller.abort(new Error('node stopping'));
    this.#closing.signal.addEventListener('abort', onClose, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<ContainerRuntimeStatus>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error('probe timeout'));
        resolve({ available: false, reason: `probe did not finish within ${probeTimeoutMs} ms` });
      }, probeTimeoutMs);
    });
    try {
      const probed = Promise.resolve()
        .then(() => runtime.probe(controller.signal))
        .then(normalize, (error: unknown) => ({ available: false, reason: `probe failed: ${isLpxError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error)}` }));
      return await Promise.race([probed, deadline]);
    } finally {
      clearTimeout(timer);
      this.#closing.signal.removeEventListener('abort', onClose);
    }
  }

  #record(status: ContainerRuntimeStatus, source: 'probe' | 'reprobe'): void {
    const previous = this.#status;
    this.#status = status;
    if (previous !== undefined && previous.available === status.available && previous.reason === status.reason) return;
    const fields = { runtime: this.#options.runtime.name, source, ...status };
    if (status.available) this.#options.logger.info(fields, `container runtime ${this.#options.runtime.name} available (engine ${status.version ?? 'unknown'} at ${status.endpoint ?? 'unknown'})`);
    else this.#options.logger.warn(fields, `container runtime ${this.#options.runtime.name} unavailable: ${status.reason}`);
  }
}

/** A probe answer that breaks the contract becomes "unavailable" with a reason. */
function normalize(status: unknown): ContainerRuntimeStatus {
  if (typeof status !== 'object' || status === null) return { available: false, reason: `probe returned ${JSON.stringify(status)} instead of a status` };
  const s = status as Partial<ContainerRuntimeStatus>;
  const extra = { ...(typeof s.version === 'string' ? { version: s.version } : {}), ...(typeof s.endpoint === 'string' ? { endpoint: s.endpoint } : {}) };
  if (s.available === true) return { available: true, ...extra };
  return { available: false, reason: typeof s.reason === 'string' && s.reason.trim() !== '' ? s.reason : 'the runtime reported itself unavailable without a reason', ...extra };
}
