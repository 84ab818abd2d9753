/**
 * go-livepeer's trickle subscriber: `GET {channel}/{seq}` with the following
 * segment preconnected as soon as one starts, so the next one's first byte
 * arrives without a round trip. A preconnect with no headers for 20 s is
 * re-opened; 470 jumps to the live edge; `Lp-Trickle-Closed` is end of stream.
 */
import type { IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { errors } from '../../errors/catalogue.js';
import { TrickleAgent, refusalOf, responseOf, type TrickleHttpOptions } from './http.js';
import { HEADER_LATEST, HEADER_SEQ, intHeader, isClosedReply, MAX_PRECONNECT_ERRORS, PRECONNECT_REFRESH_MS, READ_RETRY_DELAY_MS, SEQ_NEXT, STATUS_SEQUENCE_NONEXISTENT } from './protocol.js';

export interface TrickleSubscriberOptions extends TrickleHttpOptions {
  /** First index (default -1: the next segment written; -2: the one being written). */
  readonly start?: number;
  /** On 470 (the segment left the window) continue at `Lp-Trickle-Latest` (default true); false: read() rejects with SEQUENCE_NONEXISTENT. */
  readonly jumpToLatest?: boolean;
  /** Ends the subscription: pending reads reject with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Re-open a preconnect that got no headers after this long (default 20 s). */
  readonly preconnectRefreshMs?: number;
  /** Wait between retries of a failed connect (default 300 ms). */
  readonly retryDelayMs?: number;
}

/** One segment as it streams in. */
export interface TrickleSegment extends AsyncIterable<Buffer> {
  readonly seq: number;
  /** `Lp-Trickle-Latest` when the server sent it (the channel's next write index). */
  readonly latest: number | undefined;
  readonly contentType: string | undefined;
  /** The response body (a Readable). */
  readonly body: IncomingMessage;
  /** The whole segment, once the publisher ended it. */
  bytes(): Promise<Buffer>;
}

function segmentOf(res: IncomingMessage, seq: number): TrickleSegment {
  return {
    seq,
    latest: intHeader(res.headers, HEADER_LATEST),
    contentType: res.headers['content-type'],
    body: res,
    [Symbol.asyncIterator]: () => res[Symbol.asyncIterator]() as AsyncIterator<Buffer>,
    async bytes() {
      const chunks: Buffer[] = [];
      for await (const chunk of res) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
  };
}

export class TrickleSubscriber {
  readonly #base: string;
  readonly #agent: TrickleAgent;
  readonly #options: TrickleSubscriberOptions;
  readonly #stop = new AbortController();
  #index: number;
  #pending: Promise<IncomingMessage> | undefined;
  #eos = false;

  constructor(url: string, options: TrickleSubscriberOptions = {}) {
    this.#base = url.replace(/\/+$/, '');
    this.#agent = new TrickleAgent(this.#base, options);
    this.#options = options;
    this.#index = options.start ?? SEQ_NEXT;
    options.signal?.addEventListener('abort', () => this.close(), { once: true });
  }

  get url(): string {
    return this.#base;
  }

  /** The index the next read asks for. */
  get seq(): number {
    return this.#index;
  }

  /** Moves the subscription (drops the preconnect). */
  setSeq(seq: number): void {
    this.#drop();
    this.#index = seq;
    this.#eos = false;
  }

  /**
   * The next segment, streaming; undefined at end of stream. Rejects with
   * CHANNEL_NOT_FOUND (404), SEQUENCE_NONEXISTENT (470 with jumpToLatest off)
   * or the transport error after the retries.
   */
  async read(): Promise<TrickleSegment | undefined> {
    let failures = 0;
    for (;;) {
      if (this.#eos) return undefined;
      this.#checkOpen();
      let res: IncomingMessage;
      try {
        res = await (this.#pending ?? this.#connect());
      } catch (err) {
        this.#pending = undefined;
        this.#checkOpen();
        if (++failures > MAX_PRECONNECT_ERRORS) throw err;
        await sleep(this.#options.retryDelayMs ?? READ_RETRY_DELAY_MS, undefined, { signal: this.#stop.signal }).catch(() => undefined);
        continue;
      }
      this.#pending = undefined;
      if (isClosedReply(res.headers)) {
        res.resume();
        this.#eos = true;
        return undefined;
      }
      if (res.statusCode === STATUS_SEQUENCE_NONEXISTENT && this.#options.jumpToLatest !== false) {
        res.resume();
        const latest = intHeader(res.headers, HEADER_LATEST);
        // go-livepeer: an unreadable latest means "the server's live edge".
        this.#index = latest ?? SEQ_NEXT;
        continue;
      }
      if (res.statusCode !== 200) throw await refusalOf(res, `${this.#base}/${this.#index}`);
      const seq = intHeader(res.headers, HEADER_SEQ);
      if (seq === undefined) {
        res.resume();
        throw errors.trickle.PROTOCOL_ERROR.create(`trickle server served ${this.#base}/${this.#index} without an Lp-Trickle-Seq header`, { details: { url: this.#base } });
      }
      this.#index = seq + 1;
      this.#pending = this.#connect();
      // Failures of the preconnect are counted by the read that consumes it.
      this.#pending.catch(() => undefined);
      return segmentOf(res, seq);
    }
  }

  /** Segments until end of stream. */
  async *[Symbol.asyncIterator](): AsyncIterator<TrickleSegment> {
    for (;;) {
      const segment = await this.read();
      if (segment === undefined) return;
      yield segment;
    }
  }

  /** Stops: the preconnect is cut and later reads reject. */
  close(): void {
    if (this.#stop.signal.aborted) return;
    this.#stop.abort(errors.trickle.CLOSED.create(`trickle subscriber for ${this.#base} was closed`, { details: { url: this.#base } }));
    this.#drop();
    this.#agent.destroy();
  }

  #checkOpen(): void {
    if (this.#stop.signal.aborted) throw this.#stop.signal.reason;
  }

  #drop(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    // An unread preconnect holds a response (or will): free its socket.
    pending?.then((res) => res.destroy(), () => undefined);
    const attempt = this.#refresh;
    this.#refresh = undefined;
    attempt?.abort();
  }

  #refresh: AbortController | undefined;

  /** GET {base}/{index}, re-opened while it waits for headers longer than the refresh period. */
  async #connect(): Promise<IncomingMessage> {
    const url = `${this.#base}/${this.#index}`;
    const refreshMs = this.#options.preconnectRefreshMs ?? PRECONNECT_REFRESH_MS;
    for (;;) {
      this.#checkOpen();
      const attempt = new AbortController();
      this.#refresh = attempt;
      const onStop = (): void => attempt.abort(this.#stop.signal.reason);
      this.#stop.signal.addEventListener('abort', onStop, { once: true });
      const timer = setTimeout(() => attempt.abort(new Error('preconnect refresh')), refreshMs);
      try {
        return await this.#agent.send('GET', url, attempt.signal);
      } catch (err) {
        if (!attempt.signal.aborted || this.#stop.signal.aborted || this.#refresh !== attempt) throw err;
        // The refresh timer fired: open the same GET again.
      } finally {
        clearTimeout(timer);
        this.#stop.signal.removeEventListener('abort', onStop);
      }
    }
  }
}
