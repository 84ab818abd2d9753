import { DEFAULT_LADDER } from '@lpx/sdk';

/** `plugins.video-ingest.config`; defaults in plugin.manifest.json mirror these. */
export interface VideoIngestConfig {
  /** Preset names, JSON profiles, or go-livepeer's comma-separated `-transcodingOptions` string. */
  readonly ladder: string | readonly unknown[];
  /** go-livepeer reads up to 300 MB (5 min at 8 Mbps); a live HLS window rarely needs more than a few MB per segment. */
  readonly maxSegmentBytes: number;
  /** Segments per media playlist (go-livepeer's LIVE_LIST_LENGTH is 6). */
  readonly windowSize: number;
  /** All streams' rendition bytes together; the oldest segments go first when over. */
  readonly maxBufferBytes: number;
  /** Serve the pushed segment as a `source` rendition, as go-livepeer does. */
  readonly keepSource: boolean;
  /** Concurrent streams (go-livepeer's -maxSessions, default 10). */
  readonly maxStreams: number;
  /** A stream with no push for this long is ended (go-livepeer's httpPushTimeout, 60 s). */
  readonly idleTimeoutMs: number;
  /** go-livepeer's -authWebhookUrl: POST {"url"} per new stream; non-200 refuses it. */
  readonly authWebhookUrl?: string;
  readonly authTimeoutMs: number;
  /** Whose budget pays (gateway tenants); absent = the gateway's own. */
  readonly tenant?: string;
}

export const DEFAULT_CONFIG: VideoIngestConfig = Object.freeze({
  ladder: DEFAULT_LADDER,
  maxSegmentBytes: 32 * 1024 * 1024,
  windowSize: 6,
  maxBufferBytes: 512 * 1024 * 1024,
  keepSource: true,
  maxStreams: 10,
  idleTimeoutMs: 60_000,
  authTimeoutMs: 5_000,
});

export function withDefaults(config: Partial<VideoIngestConfig>): VideoIngestConfig {
  return { ...DEFAULT_CONFIG, ...Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) } as VideoIngestConfig;
}
