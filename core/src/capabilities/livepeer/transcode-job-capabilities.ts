import { errors } from '@lpx/sdk';
import { bitstringOf } from './bitstring.js';
import { LIVEPEER_CAPABILITY_AUTH_TOKEN } from './capability-enum.js';
import { emptyLivepeerCapabilities, type LivepeerCapabilities } from './livepeer-message.js';

export type VideoCodecName = 'h264' | 'hevc' | 'vp8' | 'vp9';
export type OutputFormat = 'none' | 'mpegts' | 'mp4';
export type H264ProfileName = 'none' | 'baseline' | 'main' | 'high' | 'constrained-high';
export type StorageKind = 'direct' | 's3' | 'gcs';

export interface TranscodeOutputProfile {
  /** Default 'none' (go-livepeer treats it as MPEG-TS). */
  format?: OutputFormat;
  /** Default 'h264' (lpms' zero value). */
  encoder?: VideoCodecName;
  /** A fractional frame rate denominator > 0 needs bit 3. */
  fpsDen?: number;
  profile?: H264ProfileName;
  /** Any non-zero GOP (including intra-only's negative marker) needs bit 11. */
  gop?: number;
}

export interface TranscodeJobParams {
  /** Default 'h264'. */
  inputCodec?: VideoCodecName;
  /** Only checked for H.264 input; undefined means the probe could not tell (no extra bit). */
  pixelFormat?: { chroma: 420 | 422 | 444; bitDepth: 8 | 10 };
  verificationFreq?: number;
  /** True when the request carries clip (segment slicing) parameters. */
  segmentSlicing?: boolean;
  profiles: readonly TranscodeOutputProfile[];
  /** Undefined: no object store (no bit). */
  storage?: StorageKind;
}

const DECODE: Record<VideoCodecName, number> = { h264: 0, hevc: 15, vp8: 17, vp9: 18 };
const ENCODE: Record<VideoCodecName, number> = { h264: 0, hevc: 16, vp8: 19, vp9: 20 };
const FORMAT: Record<OutputFormat, number> = { none: 1, mpegts: 1, mp4: 2 };
const PROFILE: Record<H264ProfileName, number | undefined> = { none: undefined, baseline: 7, main: 8, high: 9, 'constrained-high': 10 };
const STORAGE: Record<StorageKind, number> = { direct: 4, s3: 5, gcs: 6 };
/** H.264 input decode bits by `<chroma>/<depth>`; 420/8 needs none. */
const H264_PIXEL_FORMAT: Record<string, number | undefined> = { '420/8': undefined, '444/8': 21, '422/8': 22, '444/10': 23, '422/10': 24, '420/10': 25 };

function lookup<T extends string>(table: Record<T, number | undefined>, value: T, what: string): number | undefined {
  if (!Object.hasOwn(table, value)) throw errors.capability.UNSUPPORTED_MEDIA.create(`go-livepeer has no capability for ${what} "${value}"`, { details: { [what]: value } });
  return table[value];
}

/**
 * The bitstring a go-livepeer gateway attaches to a transcode job
 * (`JobCapabilities`). The O must set every one of these bits.
 */
export function jobCapabilitiesForTranscode(params: TranscodeJobParams): LivepeerCapabilities {
  const ids = new Set<number>([LIVEPEER_CAPABILITY_AUTH_TOKEN]);
  const add = (id: number | undefined): void => void (id !== undefined && ids.add(id));
  if ((params.verificationFreq ?? 0) > 0) add(14);
  if (params.segmentSlicing) add(26);

  const inputCodec = params.inputCodec ?? 'h264';
  if (inputCodec === 'h264' && params.pixelFormat !== undefined) {
    const key = `${params.pixelFormat.chroma}/${params.pixelFormat.bitDepth}`;
    if (!Object.hasOwn(H264_PIXEL_FORMAT, key)) {
      throw errors.capability.UNSUPPORTED_MEDIA.create(`go-livepeer has no capability for H.264 pixel format ${key}`, { details: { pixelFormat: key } });
    }
    add(H264_PIXEL_FORMAT[key]);
  }

  for (const profile of params.profiles) {
    add(lookup(FORMAT, profile.format ?? 'none', 'format'));
    add(lookup(ENCODE, profile.encoder ?? 'h264', 'encoder'));
    if ((profile.fpsDen ?? 0) > 0) add(3);
    add(lookup(PROFILE, profile.profile ?? 'none', 'profile'));
    if ((profile.gop ?? 0) !== 0) add(11);
  }

  if (params.storage !== undefined) add(lookup(STORAGE, params.storage, 'storage'));
  add(lookup(DECODE, inputCodec, 'codec'));

  const message = emptyLivepeerCapabilities();
  message.bitstring = bitstringOf([...ids]);
  return message;
}
