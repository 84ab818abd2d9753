/**
 * The `/segment` route's Transcoder for an orchestrator with remote
 * transcoders (go-livepeer's transcodeSeg with a RemoteTranscoderManager): the
 * source goes into the segment store for the transcoder to download, the task
 * rides the registration stream, and the renditions come back through
 * /transcodeResults. The orchestrator checks them (one per profile, each at
 * least 25 bytes), stores them for the gateway and signs their hashes.
 */
import { renditionSignatureMessage } from '../segment/segment-signature.js';
import type { Transcoder, TranscodeRequest, TranscodeResponse } from '../segment/segment-route.js';
import { VIDEO_FORMAT, type SegData } from '../segment/seg-data-types.js';
import type { TranscodedSegmentData } from '../segment/transcode-result-codec.js';
import type { RemoteTranscoderPool } from './remote-transcoder-pool.js';
import type { SegmentStore } from './segment-store.js';
import { STREAM_PATH_PREFIX } from './stream-route.js';
import { transcoderErrors } from './transcoder-errors.js';
import { INVALID_PROFILES, MIN_RENDITION_BYTES, TRANSCODER_TEXT } from './wire-texts.js';

export interface RemoteTranscodeOptions {
  readonly pool: RemoteTranscoderPool;
  readonly store: SegmentStore;
  /** This orchestrator's public base URL (https://host:port); store URLs hang off it. */
  readonly serviceUri: () => string;
  /** NotifySegment.orchId: the O's address hex, or go-livepeer's `offchain`. */
  readonly orchId?: string;
  /**
   * Personal-signs the 32-byte rendition digest (e.g. a viem account's
   * signMessage over the raw bytes). Absent: no sig, as an offchain go-livepeer O.
   */
  readonly sign?: (message: Uint8Array) => Promise<Uint8Array>;
}

const EMPTY = new Uint8Array(0);

function extensionFor(format: number): { ext: string; contentType: string } {
  return format === VIDEO_FORMAT.MP4 ? { ext: '.mp4', contentType: 'video/mp4' } : { ext: '.ts', contentType: 'video/mp2t' };
}

/** What the transcoder gets as SegData: the gateway's, minus what it must not see or need (like go-livepeer's copy). */
function taskSegData(request: TranscodeRequest): SegData {
  return { ...request.credentials.segData, hash: EMPTY, sig: EMPTY, storage: [], profiles: INVALID_PROFILES };
}

export function remoteTranscoder(options: RemoteTranscodeOptions): Transcoder {
  const urlFor = (key: string): string => new URL(`${STREAM_PATH_PREFIX}${key}`, options.serviceUri()).toString();

  return async (request: TranscodeRequest): Promise<TranscodeResponse> => {
    const { sessionId, seq, profiles, credentials } = request;
    const sourceKey = options.store.put(sessionId, ['source', `${seq}.tempfile`], request.body, 'video/mp2t');
    const url = urlFor(sourceKey);
    const segData = taskSegData(request);
    let result;
    try {
      result = await options.pool.transcode({
        sessionId,
        capabilities: credentials.capabilities,
        durationMs: credentials.durationMs,
        notify: (taskId) => ({ url, segData, taskId, orchId: options.orchId ?? 'offchain', profiles: INVALID_PROFILES }),
      });
    } finally {
      options.store.delete(sourceKey);
    }

    const { renditions } = result;
    if (renditions.length !== profiles.length) {
      throw transcoderErrors.RESULT_INVALID.create(TRANSCODER_TEXT.mismatchedSegments, { details: { expected: profiles.length, received: renditions.length } });
    }
    if (renditions.some((rendition) => rendition.data.length < MIN_RENDITION_BYTES)) throw transcoderErrors.RESULT_INVALID.create(TRANSCODER_TEXT.zeroSegments);

    const segments: TranscodedSegmentData[] = renditions.map((rendition, i) => {
      const profile = profiles[i]!;
      const { ext, contentType } = extensionFor(profile.format);
      const key = options.store.put(sessionId, [profile.name, `${seq}${ext}`], rendition.data, contentType);
      const phash = rendition.perceptualHash;
      const phashUrl = phash === undefined ? undefined : urlFor(options.store.put(sessionId, [profile.name, `${seq}.phash`], phash, 'application/octet-stream'));
      return { url: urlFor(key), pixels: rendition.pixels, ...(phashUrl !== undefined ? { perceptualHashUrl: phashUrl } : {}) };
    });
    const sig = options.sign === undefined ? EMPTY : await options.sign(renditionSignatureMessage(renditions.map((r) => r.data)));
    return { segments, sig };
  };
}
