/**
 * `/segment`'s transcoder on an lpx orchestrator: the verified segment goes
 * to the blob store, a `video/transcode` job to the workers (this process or
 * others sharing Redis), and the answer is go-livepeer's TranscodedSegmentData:
 * front-door URLs, output pixels and the orchestrator's signature over
 * keccak256(concat(keccak256(rendition_i))).
 */
import type { Logger } from 'pino';
import { isLpxError, type JobsService, type OutputFormat } from '@lpx/sdk';
import type { BlobStore } from '../blobs/index.js';
import { renditionHashesSignatureMessage } from '../network/segment/segment-signature.js';
import { TRANSCODER_UNAVAILABLE_TEXT } from '../network/segment/plain-reply.js';
import type { Transcoder } from '../network/segment/segment-route.js';
import type { TranscodedSegmentData } from '../network/segment/transcode-result-codec.js';
import { fromWireProfile } from './profile-convert.js';
import type { RenditionLinks } from './rendition-links.js';
import { TRANSCODE_CAPABILITY, transcodeJobId, transcodeTimeoutMs, type TranscodeJobData, type TranscodeJobResult } from './transcode-job.js';

/** Queueing and the blob round trips on top of the worker's own transcode timeout. */
const WAIT_SLACK_MS = 5_000;

export interface SegmentTranscoderDeps {
  readonly jobs: JobsService;
  readonly store: BlobStore;
  readonly links: RenditionLinks;
  /** The front door's base URL (the orchestrator's service URI). */
  readonly serviceUri: () => string;
  /** Personal-signs a 32-byte message with the orchestrator key. */
  readonly sign: (message: Uint8Array) => Promise<Uint8Array>;
  /** Live workers' summed capacity: 0 answers go-livepeer's "no transcoder" at once instead of queueing. */
  readonly capacity: () => number;
  readonly ownerOf: (jobId: string) => string;
  readonly logger: Logger;
}

function messageOf(error: unknown): string {
  return isLpxError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
}

/**
 * The wire does not say what the segment is (go-livepeer's O lets its decoder
 * probe it): an ISO-BMFF box header (`ftyp` at byte 4) is MP4, anything else
 * is taken as MPEG-TS and left for the backend to refuse.
 */
export function sniffFormat(body: Uint8Array): OutputFormat {
  return body.length >= 8 && Buffer.from(body.subarray(4, 8)).toString('latin1') === 'ftyp' ? 'mp4' : 'mpegts';
}

export function segmentTranscoder(deps: SegmentTranscoderDeps): Transcoder {
  return async (request) => {
    if (deps.capacity() <= 0) return { error: TRANSCODER_UNAVAILABLE_TEXT };
    let profiles;
    try {
      profiles = request.profiles.map(fromWireProfile);
    } catch (error) {
      return { error: messageOf(error) };
    }
    const jobId = transcodeJobId(request.sessionId, request.seq);
    const durationMs = request.credentials.durationMs;
    const format = sniffFormat(request.body);
    const source = await deps.store.put(request.body, { contentType: format === 'mp4' ? 'video/mp4' : 'video/mp2t', owner: deps.ownerOf(jobId) });
    try {
      const data: TranscodeJobData = { sessionId: request.sessionId, seq: request.seq.toString(), source, format, durationMs, profiles };
      const result = await deps.jobs.submitAndWait<TranscodeJobData, TranscodeJobResult>(TRANSCODE_CAPABILITY, data, {
        jobId,
        // The gateway retries on another orchestrator; a retry here only holds its money longer.
        attempts: 1,
        timeoutMs: transcodeTimeoutMs(durationMs) + WAIT_SLACK_MS,
      });
      if ('error' in result) return { error: `${result.error.code}: ${result.error.message}` };
      const base = deps.serviceUri();
      const segments: TranscodedSegmentData[] = result.renditions.map((r) => ({ url: deps.links.link(base, r.blob), pixels: BigInt(r.pixels) }));
      const sig = await deps.sign(renditionHashesSignatureMessage(result.renditions.map((r) => Uint8Array.from(Buffer.from(r.keccak256, 'hex')))));
      return { segments, sig };
    } catch (error) {
      deps.logger.warn({ err: error, sessionId: request.sessionId, seq: request.seq.toString() }, 'segment transcode failed');
      return { error: messageOf(error) };
    } finally {
      // The worker copied it to its temp dir; a segment retried later is uploaded again.
      await deps.store.delete(source.id).catch(() => false);
    }
  };
}
