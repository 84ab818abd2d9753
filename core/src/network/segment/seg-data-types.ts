/**
 * Decoded `net.SegData` (the Livepeer-Segment header) and its parts. Enum
 * fields stay numbers: proto3 enums are open, go-livepeer keeps unknown values
 * and refuses them only when it builds the transcode profiles, so the codec
 * must carry them through for the credential check to name the right error.
 */
import type { LivepeerCapabilities } from '../../capabilities/index.js';
import type { AuthToken, OSInfo } from '../wire/types.js';

/** VideoProfile.Format. */
export const VIDEO_FORMAT = { MPEGTS: 0, MP4: 1 } as const;
/** VideoProfile.Profile (the H.264 encoder profile). */
export const VIDEO_PROFILE = { ENCODER_DEFAULT: 0, H264_BASELINE: 1, H264_MAIN: 2, H264_HIGH: 3, H264_CONSTRAINED_HIGH: 4 } as const;
/** VideoProfile.VideoCodec. */
export const VIDEO_CODEC = { H264: 0, H265: 1, VP8: 2, VP9: 3 } as const;
/** VideoProfile.ChromaSubsampling. */
export const CHROMA_SUBSAMPLING = { CHROMA_420: 0, CHROMA_422: 1, CHROMA_444: 2 } as const;

export interface VideoProfile {
  /** Empty on the wire means "derive one" (`net_<w>x<h>_<bitrate>`, see segment-credentials). */
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly bitrate: number;
  readonly fps: number;
  readonly format: number;
  readonly fpsDen: number;
  readonly profile: number;
  /** Milliseconds; negative values are markers (-1 = intra only) passed through. */
  readonly gop: number;
  readonly encoder: number;
  readonly colorDepth: number;
  readonly chromaFormat: number;
  readonly quality: number;
}

/** Clip range in milliseconds (uint64 on the wire). */
export interface SegParameters {
  readonly from: bigint;
  readonly to: bigint;
}

export interface SegData {
  /** UTF-8 of field 1; for the signature the raw bytes count (see DecodedSegData). */
  readonly manifestId: string;
  readonly seq: bigint;
  /** keccak256 of the segment as sent (normally 32 bytes). */
  readonly hash: Uint8Array;
  /** Deprecated field 4; go-livepeer gateways send ASCII `invalid`. */
  readonly profiles: Uint8Array;
  readonly sig: Uint8Array;
  /** Milliseconds (int32); 0 means "assume 2 s". */
  readonly duration: number;
  /** Absent for very old gateways. */
  readonly capabilities?: LivepeerCapabilities;
  readonly authToken?: AuthToken;
  readonly calcPerceptualHash: boolean;
  /** The gateway's preferred output storage; go-livepeer uses the first entry. */
  readonly storage: readonly OSInfo[];
  readonly fullProfiles: readonly VideoProfile[];
  readonly fullProfiles2: readonly VideoProfile[];
  readonly fullProfiles3: readonly VideoProfile[];
  readonly segmentParameters?: SegParameters;
  readonly forceSessionReinit: boolean;
}

/** What the decoder returns: the typed fields plus the manifest id's exact bytes. */
export interface DecodedSegData extends SegData {
  /** Field 1 as received; the signature covers these bytes, not a re-encoding. */
  readonly manifestIdBytes: Uint8Array;
}
