/**
 * The ingest itself, with no HTTP in it: streams opened (auth webhook,
 * ladder), segments transcoded through the gateway's routing, the HLS window
 * kept under a global byte cap, replays answered from memory, idle streams
 * ended. It takes a GatewayService so it runs the same against the kernel's
 * routing and against a test double of it.
 */
import { createHash } from 'node:crypto';
import { errors, isLpxError, type GatewayService, type LoggerService, type OutputFormat, type TranscodedSegment } from '@lpx/sdk';
import { authenticateStream } from './auth-webhook.js';
import type { VideoIngestConfig } from './ingest-config.js';
import { noMetrics, type IngestMetrics } from './ingest-metrics.js';
import { LiveStream, SOURCE_RENDITION, type PushOutcome, type StoredSegment } from './live-stream.js';
import { ladderOf, sameProfiles, type StreamSettings } from './stream-settings.js';

export interface PushInput {
  readonly pushId: string;
  readonly seq: number;
  readonly format: OutputFormat;
  readonly body: Buffer;
  readonly durationMs: number;
  /** From the Livepeer-Transcode-Configuration header; applied when the push opens the stream. */
  readonly settings?: StreamSettings;
  /** The push URL as the auth webhook is told it. */
  readonly pushUrl: string;
  /** Content-Resolution, `WIDTHxHEIGHT`. */
  readonly resolution?: string;
}

export interface VideoIngestOptions {
  readonly config: VideoIngestConfig;
  readonly gateway: GatewayService;
  readonly logger: Pick<LoggerService, 'info' | 'warn' | 'error'>;
  readonly metrics?: IngestMetrics;
  /** Clock for idle cleanup; tests pass their own. */
  readonly now?: () => number;
  /**
   * Aborts routing and webhook calls: the node's shutdown. Not the pusher
   * leaving — ffmpeg's segment muxer hangs up without waiting for the answer,
   * and the segment is still wanted for HLS (go-livepeer carries on too).
   */
  readonly signal?: AbortSignal;
}

export class VideoIngest {
  readonly #options: VideoIngestOptions;
  readonly #now: () => number;
  readonly #metrics: IngestMetrics;
  readonly #byPushId = new Map<string, LiveStream>();
  readonly #byStreamId = new Map<string, LiveStream>();
  readonly #opening = new Map<string, Promise<LiveStream>>();
  #bytes = 0;
  #stamp = 0;

  constructor(options: VideoIngestOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#metrics = options.metrics ?? noMetrics;
  }

  get bufferedBytes(): number {
    return this.#bytes;
  }

  /** The stream HLS serves under `streamId`, if live. */
  stream(streamId: string): LiveStream | undefined {
    return this.#byStreamId.get(streamId);
  }

  async push(input: PushInput): Promise<PushOutcome> {
    try {
      if (input.body.length === 0) throw errors.transcode.INPUT_INVALID.create(`segment ${input.pushId}/${input.seq} is empty`);
      const stream = await this.#open(input);
      stream.lastPushAt = this.#now();
      const hash = createHash('sha256').update(input.body).digest('hex');
      const outcome = this.#replay(stream, input.seq, hash) ?? this.#transcode(stream, input, hash);
      const result = await outcome;
      stream.lastPushAt = this.#now();
      return result;
    } catch (error) {
      const code = isLpxError(error) ? error.code : 'unknown';
      this.#metrics.failure(code);
      this.#metrics.segmentIn(isLpxError(error) && error.status < 500 ? 'refused' : 'failed');
      throw error;
    }
  }

  /** Ends streams with no push for idleTimeoutMs (none while a segment is in flight). */
  async sweep(): Promise<string[]> {
    const now = this.#now();
    const idle = [...this.#byPushId.values()].filter((stream) => !stream.busy && now - stream.lastPushAt >= this.#options.config.idleTimeoutMs);
    await Promise.all(idle.map((stream) => this.#end(stream, 'idle')));
    return idle.map((stream) => stream.streamId);
  }

  /** Ends every stream (shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.#byPushId.values()].map((stream) => this.#end(stream, 'shutdown')));
  }

  /** A replay: the same seq in flight or already held. Undefined = transcode it. */
  #replay(stream: LiveStream, seq: number, hash: string): Promise<PushOutcome> | undefined {
    const inFlight = stream.inFlight(seq);
    if (inFlight !== undefined) {
      if (inFlight.hash !== hash) throw replayed(stream, seq, 'is being transcoded from other bytes');
      // Concurrent pushes of one seq share one transcode (and one payment).
      return inFlight.outcome.then((outcome) => (this.#metrics.segmentIn('replayed'), { ...outcome, replayed: true }));
    }
    const seen = stream.seenHash(seq);
    if (seen === undefined) return undefined;
    if (seen !== hash) throw replayed(stream, seq, 'was already transcoded from other bytes');
    const stored = stream.stored(seq);
    if (stored === undefined) throw replayed(stream, seq, 'was already transcoded and its renditions are no longer held (out of the window)');
    this.#metrics.segmentIn('replayed');
    const renditions = stream.ladder.map((profile) => ({ name: profile.name, data: stored.renditions.get(profile.name)! }));
    return Promise.resolve({ seq, renditions, replayed: true });
  }

  /**
   * Transcodes, answers as soon as the renditions are back, and publishes in
   * seq order: a segment waits for the lower seqs already in flight (they may
   * finish later on a slower orchestrator) so none of them lands mid-window.
   */
  #transcode(stream: LiveStream, input: PushInput, hash: string): Promise<PushOutcome> {
    const earlier = stream.pendingBefore(input.seq);
    const transcoded = (async () => {
      try {
        return await this.#transcodeOnce(stream, input, hash);
      } catch (error) {
        const coded = isLpxError(error) ? error : errors.ingest.TRANSCODE_FAILED.create(`segment ${stream.streamId}/${input.seq}: ${(error as Error).message}`, { cause: error });
        this.#options.logger.warn({ code: coded.code, stream: stream.streamId, seq: input.seq }, `segment not transcoded: ${coded.message}`);
        throw coded;
      }
    })();
    const settled = transcoded.then(
      async (segment) => {
        // With nothing earlier in flight the commit runs before the answer resolves, so the pusher's next request sees it.
        if (earlier.length > 0) await Promise.allSettled(earlier);
        const published = stream.commit(segment, (input.body.length * 8) / (segment.durationMs / 1000));
        // A stream ended while this segment was in flight holds nothing any more.
        if (published && this.#byPushId.get(stream.pushId) === stream) this.#account(stream, segment.bytes);
      },
      () => undefined,
    );
    const outcome = transcoded.then((segment): PushOutcome => ({ seq: input.seq, renditions: stream.ladder.map((p) => ({ name: p.name, data: segment.renditions.get(p.name)! })), replayed: false }));
    stream.track(input.seq, hash, outcome, settled);
    return outcome;
  }

  async #transcodeOnce(stream: LiveStream, input: PushInput, hash: string): Promise<StoredSegment> {
    const ladder = stream.ladder.map((profile) => ({ ...profile, format: input.format }));
    const result: TranscodedSegment | undefined =
      ladder.length === 0
        ? undefined
        : await this.#options.gateway.transcodeSegment({
            streamId: stream.streamId,
            seq: input.seq,
            data: input.body,
            format: input.format,
            durationMs: input.durationMs,
            profiles: ladder,
            ...(this.#options.config.tenant ? { tenant: this.#options.config.tenant } : {}),
            ...(this.#options.signal ? { signal: this.#options.signal } : {}),
          });
    const renditions = checkRenditions(stream, input.seq, result);
    const held = new Map(renditions.map((r) => [r.name, r.data]));
    if (stream.keepSource) held.set(SOURCE_RENDITION, input.body);
    const bytes = [...held.values()].reduce((sum, data) => sum + data.length, 0);
    this.#metrics.segmentIn('transcoded');
    this.#metrics.renditionsOut(renditions.length);
    return { seq: input.seq, durationMs: input.durationMs || 2000, hash, renditions: held, bytes, stamp: ++this.#stamp };
  }

  async #open(input: PushInput): Promise<LiveStream> {
    const live = this.#byPushId.get(input.pushId);
    if (live !== undefined) return live;
    // Concurrent first pushes of a stream share one webhook call.
    let opening = this.#opening.get(input.pushId);
    if (opening === undefined) {
      opening = this.#create(input).finally(() => this.#opening.delete(input.pushId));
      this.#opening.set(input.pushId, opening);
    }
    return opening;
  }

  async #create(input: PushInput): Promise<LiveStream> {
    const { config } = this.#options;
    if (this.#byPushId.size + this.#opening.size >= config.maxStreams) {
      throw errors.ingest.STREAM_LIMIT.create(`the gateway already ingests ${this.#byPushId.size} streams (maxStreams ${config.maxStreams})`, { details: { maxStreams: config.maxStreams } });
    }
    const webhook = config.authWebhookUrl === undefined ? undefined : await authenticateStream(config.authWebhookUrl, input.pushUrl, config.authTimeoutMs, this.#options.signal);
    if (webhook?.profiles !== undefined && input.settings?.profiles !== undefined && !sameProfiles(webhook, input.settings)) {
      throw errors.ingest.AUTH_REFUSED.create(`stream ${input.pushId}: the Livepeer-Transcode-Configuration profiles differ from those the auth webhook set`);
    }
    // As in go-livepeer, the header's settings win over the webhook's.
    const settings = input.settings ?? webhook;
    const ladder = ladderOf(settings, config.ladder, input.format);
    if (config.keepSource && ladder.some((profile) => profile.name === SOURCE_RENDITION)) {
      throw errors.transcode.PROFILE_INVALID.create(`profile name "${SOURCE_RENDITION}" is the pushed segment's own rendition`, { details: { name: SOURCE_RENDITION, reason: 'duplicate-name' } });
    }
    const streamId = input.settings?.manifestId ?? webhook?.manifestId ?? input.pushId;
    const stream = new LiveStream({ pushId: input.pushId, streamId, ladder, format: input.format, keepSource: config.keepSource, ...(input.resolution ? { sourceResolution: input.resolution } : {}), now: this.#now() });
    // A new push id mapped to a live stream id replaces the old stream, as go-livepeer does.
    const previous = this.#byStreamId.get(streamId);
    if (previous !== undefined) await this.#end(previous, 'replaced');
    this.#byPushId.set(input.pushId, stream);
    this.#byStreamId.set(streamId, stream);
    this.#metrics.streams(this.#byPushId.size);
    this.#options.logger.info({ stream: streamId, push: input.pushId, ladder: ladder.map((p) => p.name) }, 'ingest stream opened');
    return stream;
  }

  /** Window size per stream, then the global byte cap, oldest segment first. */
  #account(stream: LiveStream, added: number): void {
    this.#bytes += added;
    while (stream.window.length > this.#options.config.windowSize) this.#bytes -= stream.evictOldest()!.bytes;
    while (this.#bytes > this.#options.config.maxBufferBytes) {
      let oldest: LiveStream | undefined;
      for (const candidate of this.#byPushId.values()) {
        const head = candidate.window[0];
        // Keep each stream's newest segment: a playlist never goes empty under memory pressure.
        if (head !== undefined && candidate.window.length > 1 && (oldest === undefined || head.stamp < oldest.window[0]!.stamp)) oldest = candidate;
      }
      if (oldest === undefined) break;
      this.#bytes -= oldest.evictOldest()!.bytes;
    }
    this.#metrics.bufferBytes(this.#bytes);
  }

  async #end(stream: LiveStream, why: 'idle' | 'replaced' | 'shutdown'): Promise<void> {
    if (this.#byPushId.get(stream.pushId) !== stream) return;
    this.#byPushId.delete(stream.pushId);
    if (this.#byStreamId.get(stream.streamId) === stream) this.#byStreamId.delete(stream.streamId);
    this.#bytes -= stream.bytes;
    this.#metrics.streams(this.#byPushId.size);
    this.#metrics.bufferBytes(this.#bytes);
    this.#options.logger.info({ stream: stream.streamId, why }, 'ingest stream ended');
    try {
      await this.#options.gateway.endStream(stream.streamId);
    } catch (error) {
      this.#options.logger.warn({ code: (error as { code?: string }).code, stream: stream.streamId }, `ending the stream's orchestrator sessions failed: ${(error as Error).message}`);
    }
  }
}

/** Every profile back, in order, non-empty: otherwise nothing is published or answered. */
function checkRenditions(stream: LiveStream, seq: number, result: TranscodedSegment | undefined): { name: string; data: Buffer }[] {
  if (result === undefined) return [];
  const names = stream.ladder.map((profile) => profile.name);
  const got = result.renditions.map((rendition) => rendition.profile);
  if (got.length !== names.length || got.some((name, index) => name !== names[index]) || result.renditions.some((rendition) => rendition.data.length === 0)) {
    throw errors.transcode.RESULT_INVALID.create(`segment ${stream.streamId}/${seq}: asked for [${names.join(', ')}], got [${got.join(', ')}]`, { details: { asked: names, got } });
  }
  return result.renditions.map((rendition) => ({ name: rendition.profile, data: rendition.data }));
}

function replayed(stream: LiveStream, seq: number, why: string) {
  return errors.ingest.SEQ_REPLAYED.create(`segment ${stream.streamId}/${seq} ${why}; it is not transcoded twice`, { details: { stream: stream.streamId, seq } });
}
