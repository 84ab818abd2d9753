import type { VideoCodec } from '@lpx/sdk';
import type { EncoderSizeLimits } from '@lpx/sdk/transcode-kit';

export type NetintFamilyName = 'quadra' | 'logan';

/** The names Netint's ffmpeg build gives one product line's codecs, filters and tools. */
export interface NetintFamily {
  readonly name: NetintFamilyName;
  readonly decoders: Readonly<Partial<Record<VideoCodec, string>>>;
  readonly encoders: Readonly<Partial<Record<VideoCodec, string>>>;
  /** Quadra scales and splits on the VPU; Logan (T4xx) has no scaler, so frames come back to the CPU for `scale`. */
  readonly scaler: string;
  readonly splitter: string;
  /** Whether decoded frames stay on the card (`-xcoder-params out=hw`). */
  readonly hwFrames: boolean;
  /** libxcoder's resource monitor for this line. */
  readonly monitor: string;
}

export const QUADRA: NetintFamily = Object.freeze({
  name: 'quadra',
  decoders: { H264: 'h264_ni_quadra_dec', HEVC: 'h265_ni_quadra_dec' },
  encoders: { H264: 'h264_ni_quadra_enc', HEVC: 'h265_ni_quadra_enc' },
  scaler: 'ni_quadra_scale',
  splitter: 'ni_quadra_split',
  hwFrames: true,
  monitor: 'ni_rsrc_mon',
});

export const LOGAN: NetintFamily = Object.freeze({
  name: 'logan',
  decoders: { H264: 'h264_ni_logan_dec', HEVC: 'h265_ni_logan_dec' },
  encoders: { H264: 'h264_ni_logan_enc', HEVC: 'h265_ni_logan_enc' },
  scaler: 'scale',
  splitter: 'split',
  hwFrames: false,
  monitor: 'ni_rsrc_mon_logan',
});

export const FAMILIES: readonly NetintFamily[] = [QUADRA, LOGAN];

/** ffprobe codec name → the sdk's codec, for the source a Netint decoder must take. */
export const SOURCE_CODECS: Readonly<Record<string, VideoCodec>> = Object.freeze({ h264: 'H264', hevc: 'HEVC' });

/**
 * Only the ceiling is checked here (8K, the largest any Netint encoder takes);
 * each model's floor differs and its encoder refuses a too-small size itself,
 * which reaches the caller as FAILED with the encoder's own message.
 */
export const NETINT_LIMITS: EncoderSizeLimits = Object.freeze({
  H264: { minWidth: 2, minHeight: 2, maxWidth: 8192, maxHeight: 8192 },
  HEVC: { minWidth: 2, minHeight: 2, maxWidth: 8192, maxHeight: 8192 },
});
