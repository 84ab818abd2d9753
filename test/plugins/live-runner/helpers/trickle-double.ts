// A test double of the `trickle.channels` service (the real provider, the
// `trickle` plugin, is built in parallel): channels live in memory, local
// publishers append whole segments and subscribers read them in order. It
// keeps what the live-runner plugin relies on — create / remove / exists /
// local publish — and records what happened so tests can assert on it.
import { coreServices, definePlugin, trickleServiceRef, type TrickleChannel, type TrickleService } from '@lpx/sdk';

export interface DoubleChannel {
  readonly channel: TrickleChannel;
  readonly segments: string[];
  closed: boolean;
}

export class TrickleDouble implements TrickleService {
  readonly enabled = true;
  readonly channels = new Map<string, DoubleChannel>();
  readonly removed: string[] = [];
  readonly #waiters = new Set<() => void>();

  constructor(private readonly uris: { serviceUri: () => string | undefined; internalUri: () => string | undefined }) {}

  async create(options: { name?: string; mimeType?: string } = {}): Promise<TrickleChannel> {
    const name = options.name ?? `double-${Math.random().toString(36).slice(2)}`;
    const existing = this.channels.get(name);
    if (existing !== undefined) return existing.channel;
    const channel = { name, mimeType: options.mimeType ?? 'application/octet-stream', url: `${this.uris.serviceUri()}/ai/trickle/${name}`, internalUrl: `${this.uris.internalUri()}/ai/trickle/${name}` };
    this.channels.set(name, { channel, segments: [], closed: false });
    return channel;
  }

  async remove(name: string): Promise<void> {
    const entry = this.channels.get(name);
    if (entry === undefined) return;
    entry.closed = true;
    this.channels.delete(name);
    this.removed.push(name);
    this.#notify();
  }

  exists(name: string): boolean {
    return this.channels.has(name);
  }

  local(name: string) {
    const double = this;
    return {
      async publish(data: Uint8Array | string): Promise<number> {
        const entry = double.channels.get(name);
        if (entry === undefined) throw new Error(`trickle double: no channel ${name}`);
        entry.segments.push(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
        double.#notify();
        return entry.segments.length - 1;
      },
      async *subscribe(): AsyncIterable<{ seq: number; data: Uint8Array }> {
        throw new Error('trickle double: subscribe is not used by the live-runner plugin');
      },
      async close(): Promise<void> {
        await double.remove(name);
      },
    };
  }

  onRemoved(): () => void {
    return () => undefined;
  }

  /** Resolves once `predicate` holds (re-checked on every publish and remove). */
  async until<T>(predicate: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          resolve();
        };
        this.#waiters.add(wake);
        setTimeout(wake, 200);
      });
    }
  }

  #notify(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}

/** The double as a plugin providing `trickle.channels`; `instance()` is the one the node got. */
export function trickleDoublePlugin() {
  let double: TrickleDouble | undefined;
  const plugin = definePlugin({
    manifest: {
      id: 'trickle-double',
      version: '0.1.0',
      host: '^0.1.0',
      requires: { services: ['core.orchestrator-wire'] },
      provides: { services: ['trickle.channels'] },
    },
    register(reg) {
      reg.registerInit({
        deps: { wire: coreServices.orchestratorWire },
        init({ wire }) {
          double = new TrickleDouble({ serviceUri: () => wire.serviceUri(), internalUri: () => wire.internalUri() });
        },
      });
      reg.registerService(trickleServiceRef, { deps: {}, factory: () => double! });
    },
  });
  return { plugin, instance: () => double! };
}
