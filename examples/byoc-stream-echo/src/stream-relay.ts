/**
 * One running stream: reads input segments from the orchestrator's
 * `subscribe_url`, writes each one echoed to `publish_url` and a JSON line to
 * `data_url`, with @lpx/sdk/trickle-kit. The orchestrator's TLS door has a
 * self-signed certificate (as go-livepeer's does), hence `insecure`.
 */
import { TricklePublisher, TrickleSubscriber } from '@lpx/sdk/trickle-kit';
import { echoSegment } from './echo.js';

export interface StreamChannels {
  readonly subscribe_url?: string;
  readonly publish_url?: string;
  readonly data_url?: string;
}

export class StreamRelay {
  params: unknown;
  segments = 0;
  readonly #stop = new AbortController();
  readonly done: Promise<void>;

  constructor(
    readonly id: string,
    channels: StreamChannels,
    params: unknown,
    private readonly log: (line: string) => void,
  ) {
    this.params = params;
    this.done = this.#run(channels);
  }

  stop(): Promise<void> {
    this.#stop.abort();
    return this.done;
  }

  async #run(channels: StreamChannels): Promise<void> {
    if (channels.subscribe_url === undefined) return; // no input asked for: nothing to echo
    const tls = { insecure: true } as const;
    const input = new TrickleSubscriber(channels.subscribe_url, { ...tls, signal: this.#stop.signal });
    const output = channels.publish_url === undefined ? undefined : new TricklePublisher(channels.publish_url, { ...tls, mimeType: 'video/MP2T' });
    const data = channels.data_url === undefined ? undefined : new TricklePublisher(channels.data_url, { ...tls, mimeType: 'application/jsonl' });
    try {
      for (;;) {
        const segment = await input.read();
        if (segment === undefined) break;
        const echoed = echoSegment(segment.seq, await segment.bytes(), this.params);
        await output?.write(echoed.segment);
        await data?.write(echoed.dataLine);
        this.segments++;
      }
    } catch (error) {
      // The orchestrator removes the channels when the stream stops; anything else is worth a line.
      if (!this.#stop.signal.aborted) this.log(`stream ${this.id}: ${(error as Error).message}`);
    } finally {
      await Promise.all([input.close(), output?.close(), data?.close()].map((p) => Promise.resolve(p).catch(() => undefined)));
    }
  }
}
