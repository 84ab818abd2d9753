/**
 * The orchestrator-to-runner channel of a dynamic runner (go-livepeer's
 * `o2r`): JSON messages on a trickle channel only the runner knows the name
 * of, `{"keep":"alive"}` every ten seconds and `reserved` / `released`
 * session events. Writes are serialised so events keep their order.
 */
import type { TrickleChannel, TrickleService } from '@lpx/sdk';

export const O2R_KEEPALIVE = '{"keep":"alive"}';

export class O2RChannel {
  readonly #trickle: TrickleService;
  readonly #timer: NodeJS.Timeout;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(
    readonly channel: TrickleChannel,
    trickle: TrickleService,
    intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.#trickle = trickle;
    this.#timer = setInterval(() => this.#write(O2R_KEEPALIVE), intervalMs);
    this.#timer.unref();
  }

  static async open(trickle: TrickleService, name: string, intervalMs: number, onError: (error: unknown) => void): Promise<O2RChannel> {
    const channel = await trickle.create({ name, mimeType: 'application/json', keepIdle: true });
    return new O2RChannel(channel, trickle, intervalMs, onError);
  }

  sessionEvent(event: 'reserved' | 'released', sessionId: string): void {
    this.#write(JSON.stringify({ event, session: sessionId, timestamp: new Date().toISOString() }));
  }

  #write(message: string): void {
    if (this.#closed) return;
    this.#queue = this.#queue.then(() => this.#trickle.local(this.channel.name).publish(message)).catch(this.onError);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#queue;
    await this.#trickle.remove(this.channel.name).catch(this.onError);
  }
}
