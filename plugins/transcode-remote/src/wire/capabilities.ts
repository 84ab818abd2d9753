/**
 * The slice of go-livepeer's capability model the remote pool needs: the
 * bitstring (capability c is bit c % 64 of word c / 64), which transcode
 * capability ids the ladder asks for, and the version check. Ids and sets
 * are go-livepeer's (core/capabilities.go); only transcoding ids appear here.
 */
import type { OutputFormat, TranscodeProfile, VideoCodec } from '@lpx/sdk';

export interface TranscoderCapabilities {
  readonly bitstring: readonly bigint[];
  /** The transcoder's go-livepeer version ('' when it sent none). */
  readonly version: string;
}

export interface JobCapabilities {
  readonly bitstring: readonly bigint[];
  readonly minVersion?: string;
}

/** go-livepeer's DefaultCapabilities(): what a transcoder that advertises nothing is assumed to have. */
export const DEFAULT_CAPABILITY_IDS: readonly number[] = Object.freeze([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 26]);
export const AUTH_TOKEN_CAPABILITY_ID = 12;

const DECODE: Readonly<Record<VideoCodec, number>> = { H264: 0, HEVC: 15, VP8: 17, VP9: 18 };
const ENCODE: Readonly<Record<VideoCodec, number>> = { H264: 0, HEVC: 16, VP8: 19, VP9: 20 };
const FORMAT: Readonly<Record<OutputFormat, number>> = { mpegts: 1, mp4: 2 };
const PROFILE: Readonly<Record<TranscodeProfile['profile'], number | undefined>> = { 'encoder-default': undefined, baseline: 7, main: 8, high: 9, 'constrained-high': 10 };
const FRACTIONAL_FPS = 3;
const GOP = 11;

export function bitstringOf(ids: Iterable<number>): bigint[] {
  const words: bigint[] = [];
  for (const id of ids) {
    const word = Math.floor(id / 64);
    while (words.length <= word) words.push(0n);
    words[word] = words[word]! | (1n << BigInt(id % 64));
  }
  return words;
}

export function hasCapability(bitstring: readonly bigint[], id: number): boolean {
  return (((bitstring[Math.floor(id / 64)] ?? 0n) >> BigInt(id % 64)) & 1n) === 1n;
}

/** `sub ⊆ sup` word by word; like go-livepeer, a longer `sub` is never a subset. */
export function isBitstringSubset(sub: readonly bigint[], sup: readonly bigint[]): boolean {
  if (sub.length > sup.length) return false;
  return sub.every((word, index) => (word & (sup[index] ?? 0n)) === word);
}

/**
 * The bits a go-livepeer gateway's JobCapabilities would set for this ladder
 * from an H.264 source (the task does not say the source codec; every
 * transcoder decodes H.264).
 */
export function jobCapabilitiesFor(profiles: readonly TranscodeProfile[]): JobCapabilities {
  const ids = new Set<number>([AUTH_TOKEN_CAPABILITY_ID, DECODE.H264]);
  for (const profile of profiles) {
    ids.add(FORMAT[profile.format]);
    ids.add(ENCODE[profile.codec]);
    if (profile.fpsDen > 1) ids.add(FRACTIONAL_FPS);
    const encoderProfile = PROFILE[profile.profile];
    if (encoderProfile !== undefined) ids.add(encoderProfile);
    if (profile.gopMs !== 0) ids.add(GOP);
  }
  return { bitstring: bitstringOf(ids) };
}

/** What the registered transcoders can do, in the backend contract's words. */
export function codecsOf(bitstring: readonly bigint[]): { decode: VideoCodec[]; encode: VideoCodec[]; formats: OutputFormat[] } {
  const pick = <K extends string>(table: Readonly<Record<K, number>>): K[] => (Object.keys(table) as K[]).filter((key) => hasCapability(bitstring, table[key]));
  return { decode: pick(DECODE), encode: pick(ENCODE), formats: pick(FORMAT) };
}

function versionParts(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim());
  return match === null ? undefined : [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/** go-livepeer's LivepeerVersionCompatibleWith: no minimum passes; an unreadable minimum passes; an unreadable version fails. */
export function isVersionCompatible(minVersion: string | undefined, version: string): boolean {
  if (minVersion === undefined || minVersion === '') return true;
  const min = versionParts(minVersion);
  if (min === undefined) return true;
  const actual = versionParts(version);
  if (actual === undefined) return false;
  for (let i = 0; i < 3; i++) if (actual[i] !== min[i]) return actual[i]! > min[i]!;
  return true;
}
