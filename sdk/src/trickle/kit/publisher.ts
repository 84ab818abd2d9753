/**
 * go-livepeer's trickle publisher: one POST is always preconnected (headers
 * sent, body open) for the next index, so a segment's first byte leaves the
 * moment it exists; `next()` hands that POST out and preconnects the one after.
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { errors } from '../../errors/catalogue.js';
import { TrickleAgent, refusalOf, responseOf, bodyText, type TrickleHttpOptions } from './http.js';
import { DEFAULT_PUBLISH_MIME_TYPE, HEADER_RESET, HEADER_SEQ, intHeader, isClosedReply } from './protocol.js';

export interface TricklePublisherOptions extends TrickleHttpOptions {
  /** Content-Type of every segment (default `video/MP2T`, as go-livepeer). */
  readonly mimeType?: string;
  /** First index to publish (default 0). */
  readonly start?: number;
  /** Send `Lp-Trickle-Reset` on the first POST: a restarted publisher asks the server to close earlier segments. */
  readonly reset?: boolean;
}

export type SegmentData = Uint8Array | string | AsyncIterable<Uint8Array | string>;

/** One segment being published; bytes reach subscribers as they are written. */
export class TrickleSegmentWriter {
  readonly #req: ClientRequest;
  readonly #response: Promise<IncomingMessage>;
  readonly #url: string;
  readonly #agent: TrickleAgent;
  #answer: IncomingMessage | undefined;
  #failed = false;
  #written = false;
  #ended = false;

  /** @internal */
  constructor(agent: TrickleAgent, url: string, readonly seq: number, headers: Record<string, string>) {
    this.#agent = agent;
    this.#url = url;
    this.#req = agent.open('POST', url, headers);
    this.#req.flushHeaders();
    this.#response = responseOf(this.#req);
    // An early answer (404, end of stream) must not be an unhandled rejection before anyone writes.
    this.#response.then(
      (res) => (this.#answer = res),
      () => (this.#failed = true),
    );
  }

  /**
   * A preconnect that ended before anything was written for a reason other
   * than the channel's (not 404, not closed): the server timed the idle POST
   * out (Node's front door cuts a request after 5 min), or the connection
   * dropped. The protocol lets the publisher open the same index again.
   * @internal
   */
  get stale(): boolean {
    if (this.#written || this.#ended) return false;
    if (this.#failed) return true;
    const res = this.#answer;
    return res !== undefined && res.statusCode !== 404 && !isClosedReply(res.headers);
  }

  /** Writes one chunk, waiting while the connection is backed up; rejects with the server's refusal if it already answered. */
  async write(chunk: Uint8Array | string): Promise<void> {
    if (this.#answer !== undefined) throw await this.#refusal();
    if (this.#ended) throw errors.trickle.PROTOCOL_ERROR.create(`trickle segment ${this.#url} was already ended`);
    this.#written = true;
    const flushed = this.#req.write(chunk);
    if (!flushed) {
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error): void => {
          this.#req.off('drain', done);
          this.#req.off('error', done);
          if (err !== undefined) reject(err);
          else resolve();
        };
        this.#req.once('drain', done);
        this.#req.once('error', done);
      }).catch(async (err: unknown) => {
        throw (await this.#settledRefusal()) ?? err;
      });
    }
  }

  /** Ends the segment; resolves with the index the server wrote (`Lp-Trickle-Seq`). */
  async end(chunk?: Uint8Array | string): Promise<number> {
    if (chunk !== undefined) await this.write(chunk);
    this.#ended = true;
    this.#req.end();
    const res = await this.#response;
    if (isClosedReply(res.headers)) {
      res.resume();
      throw errors.trickle.CLOSED.create(`trickle channel ${this.#url} was closed`, { details: { url: this.#url } });
    }
    if (res.statusCode !== 200) throw await refusalOf(res, this.#url);
    await bodyText(res);
    const seq = intHeader(res.headers, HEADER_SEQ);
    if (seq === undefined) throw errors.trickle.PROTOCOL_ERROR.create(`trickle server wrote ${this.#url} without an Lp-Trickle-Seq header`, { details: { url: this.#url } });
    return seq;
  }

  /** Writes all of `data` and ends the segment. */
  async send(data: SegmentData): Promise<number> {
    if (typeof data === 'string' || data instanceof Uint8Array) return this.end(data);
    for await (const chunk of data) await this.write(chunk);
    return this.end();
  }

  /** Drops the segment: the POST is cut and `DELETE {channel}/{seq}` tells waiting subscribers (go-livepeer's polite close). */
  async abort(): Promise<void> {
    this.#ended = true;
    this.#req.destroy();
    const res = await this.#agent.send('DELETE', this.#url);
    const text = await bodyText(res);
    if (res.statusCode !== 200 && res.statusCode !== 400 && res.statusCode !== 404) {
      throw errors.trickle.PROTOCOL_ERROR.create(`trickle server refused DELETE ${this.#url}: ${res.statusCode ?? '?'} ${text.trim()}`, { details: { url: this.#url } });
    }
  }

  /** Cuts the POST without telling anyone (the publisher is closing). */
  destroy(): void {
    this.#ended = true;
    this.#req.destroy();
  }

  async #refusal(): Promise<Error> {
    return (await this.#settledRefusal()) ?? errors.trickle.PROTOCOL_ERROR.create(`trickle server answered ${this.#url} before the segment ended`);
  }

  /** The server's answer as an error, when it answered with anything but a 200 still reading. */
  async #settledRefusal(): Promise<Error | undefined> {
    const res = this.#answer ?? (await Promise.race([this.#response.catch(() => undefined), new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined)))]));
    if (res === undefined) return undefined;
    if (isClosedReply(res.headers)) {
      res.resume();
      return errors.trickle.CLOSED.create(`trickle channel ${this.#url} was closed`, { details: { url: this.#url } });
    }
    if (res.statusCode === 200) {
      res.resume();
      return errors.trickle.PROTOCOL_ERROR.create(`trickle server ended ${this.#url} before the publisher did`, { details: { url: this.#url } });
    }
    return refusalOf(res, this.#url);
  }
}

export class TricklePublisher {
  readonly #base: string;
  readonly #agent: TrickleAgent;
  readonly #mimeType: string;
  #index: number;
  #reset: boolean;
  #pending: TrickleSegmentWriter | undefined;
  #closed = false;

  /** Preconnects the first segment at once, as go-livepeer's publisher does. */
  constructor(url: string, options: TricklePublisherOptions = {}) {
    this.#base = url.replace(/\/+$/, '');
    this.#agent = new TrickleAgent(this.#base, options);
    this.#mimeType = options.mimeType ?? DEFAULT_PUBLISH_MIME_TYPE;
    this.#index = options.start ?? 0;
    this.#reset = options.reset === true;
    this.#pending = this.#preconnect();
  }

  get url(): string {
    return this.#base;
  }

  /** The segment to write now (the preconnected POST); the following one is preconnected before this returns. */
  next(): TrickleSegmentWriter {
    if (this.#closed) throw errors.trickle.CLOSED.create(`trickle publisher for ${this.#base} is closed`, { details: { url: this.#base } });
    let segment = this.#pending ?? this.#preconnect();
    if (segment.stale) {
      segment.destroy();
      segment = this.#preconnect(segment.seq);
    }
    this.#pending = this.#preconnect();
    return segment;
  }

  /** Publishes one whole segment; resolves with its index. */
  write(data: SegmentData): Promise<number> {
    return this.next().send(data);
  }

  /** `DELETE {channel}`: closes and removes the channel for everyone, then drops the preconnected POST. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      const res = await this.#agent.send('DELETE', this.#base);
      const text = await bodyText(res);
      if (res.statusCode === 404 || (res.statusCode === 400 && /invalid stream/i.test(text))) {
        throw errors.trickle.CHANNEL_NOT_FOUND.create(`trickle channel ${this.#base} does not exist`, { details: { url: this.#base } });
      }
      if (res.statusCode !== 200) throw errors.trickle.PROTOCOL_ERROR.create(`trickle server refused DELETE ${this.#base}: ${res.statusCode ?? '?'} ${text.trim()}`, { details: { url: this.#base } });
    } finally {
      this.#pending?.destroy();
      this.#pending = undefined;
      this.#agent.destroy();
    }
  }

  /** Opens the POST of the next index, or of `again` when an idle preconnect is replaced. */
  #preconnect(again?: number): TrickleSegmentWriter {
    const index = again ?? this.#index++;
    const headers: Record<string, string> = { 'content-type': this.#mimeType };
    if (this.#reset) {
      headers[HEADER_RESET] = '1';
      this.#reset = false;
    }
    return new TrickleSegmentWriter(this.#agent, `${this.#base}/${index}`, index, headers);
  }
}
