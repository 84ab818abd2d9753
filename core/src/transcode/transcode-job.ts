/**
 * The `video/transcode` job as it travels through BullMQ: small JSON only.
 * The segment and the renditions are blobs (docs/adr/0020-blob-store.md);
 * Redis carries their references.
 */
import type { OutputFormat, TranscodeProfile } from '@lpx/sdk';
import type { BlobRef } from '../blobs/index.js';

export const TRANSCODE_CAPABILITY = 'video/transcode';

export interface TranscodeJobData {
  readonly sessionId: string;
  /** Decimal: the wire seq is an int64. */
  readonly seq: string;
  readonly source: BlobRef;
  readonly format: OutputFormat;
  /** As the gateway stated it; 0 when unknown. */
  readonly durationMs: number;
  readonly profiles: readonly TranscodeProfile[];
}

export interface RenditionRef {
  readonly profile: string;
  readonly blob: BlobRef;
  /** Decimal string: pixels are money on the orchestrator. */
  readonly pixels: string;
  readonly width: number;
  readonly height: number;
  /** keccak256 of the rendition bytes, hex without 0x: the orchestrator signs over these. */
  readonly keccak256: string;
}

/** A coded failure comes back as a result so its code survives BullMQ (which keeps only a message). */
export type TranscodeJobResult =
  | { readonly renditions: readonly RenditionRef[]; readonly backend: string }
  | { readonly error: { readonly code: string; readonly message: string } };

/** go-livepeer: a segment without a duration counts as 2 s. */
export const DEFAULT_DURATION_MS = 2_000;

/** go-livepeer's transcode timeout: max(8 s, 4 × segment duration). */
export function transcodeTimeoutMs(durationMs: number): number {
  return Math.max(8_000, 4 * (durationMs > 0 ? durationMs : DEFAULT_DURATION_MS));
}

/** One job per (session, seq): a retried segment joins the running job instead of transcoding twice. */
export function transcodeJobId(sessionId: string, seq: bigint | string): string {
  return `seg-${sessionId}-${seq.toString()}`.replace(/[^A-Za-z0-9_-]/g, '_');
}
