/**
 * HLS text for a live stream: a master playlist listing every rendition and
 * one media playlist per rendition over the stream's sliding window. URIs are
 * relative, so the playlists work behind any host or proxy prefix:
 * `/stream/{id}.m3u8` → `{id}/{rendition}.m3u8` → `{rendition}/{seq}.ts`.
 */

export interface Variant {
  readonly name: string;
  /** Peak bits per second. */
  readonly bandwidth: number;
  /** `WIDTHxHEIGHT`, when known (the source's comes from Content-Resolution). */
  readonly resolution?: string;
}

export interface WindowSegment {
  readonly seq: number;
  readonly durationMs: number;
}

export function masterPlaylist(streamId: string, variants: readonly Variant[]): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3'];
  for (const variant of variants) {
    const attributes = [`BANDWIDTH=${Math.max(1, Math.round(variant.bandwidth))}`];
    if (variant.resolution !== undefined) attributes.push(`RESOLUTION=${variant.resolution}`);
    attributes.push(`NAME="${variant.name}"`);
    lines.push(`#EXT-X-STREAM-INF:${attributes.join(',')}`, `${streamId}/${variant.name}.m3u8`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `mediaSequence` counts the segments that already left the window, so it
 * grows by one per segment whatever seq numbers the pusher used.
 */
export function mediaPlaylist(rendition: string, extension: string, mediaSequence: number, segments: readonly WindowSegment[]): string {
  // EXT-X-TARGETDURATION must be at least every EXTINF rounded to the nearest second (RFC 8216 §4.3.3.1).
  const target = Math.max(1, ...segments.map((segment) => Math.round(segment.durationMs / 1000)));
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${target}`, `#EXT-X-MEDIA-SEQUENCE:${mediaSequence}`];
  for (const segment of segments) lines.push(`#EXTINF:${(segment.durationMs / 1000).toFixed(3)},`, `${rendition}/${segment.seq}${extension}`);
  return `${lines.join('\n')}\n`;
}
