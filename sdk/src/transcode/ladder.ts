/**
 * A transcoding ladder from what operators and streams write: go-livepeer
 * preset names (`-transcodingOptions`, the auth webhook's `presets`) and its
 * JSON profiles (the webhook's and the `Livepeer-Transcode-Configuration`
 * header's `profiles`, lpms' JsonProfile). Where go-livepeer is lenient in a
 * way that only fails later (an unknown preset silently dropped, an odd
 * height that x264 refuses mid-stream) we refuse up front with a coded error.
 */
import { transcodeErrors } from '../errors/codes/transcode.js';
import { presetProfile, type EncoderProfile, type OutputFormat, type TranscodeProfile, type VideoCodec } from './profiles.js';

/** lpms' JsonProfile, as JSON carries it. */
export interface JsonVideoProfile {
  readonly name?: string;
  readonly width?: number;
  readonly height?: number;
  /** Bits per second. */
  readonly bitrate?: number;
  readonly fps?: number;
  readonly fpsDen?: number;
  /** `H264Baseline|H264Main|H264High|H264ConstrainedHigh|None`, case-insensitive. */
  readonly profile?: string;
  /** Seconds as a string (`"2.5"`), or `"intra"`. */
  readonly gop?: string | number;
  /** `H.264|HEVC|VP8|VP9`. */
  readonly encoder?: string;
  readonly colorDepth?: number;
  readonly chromaFormat?: number;
  readonly quality?: number;
}

/** One ladder entry: a preset name or a JSON profile. */
export type LadderEntry = string | JsonVideoProfile;

/** Bounds that keep a ladder encodable and a stream's playlists sane. */
export const LADDER_LIMITS = Object.freeze({
  /** Either side; H.264 level 6.2 stops at 8192. */
  maxDimension: 8192,
  /** 8K (8192x4320) per frame. */
  maxFramePixels: 8192 * 4320,
  maxProfiles: 32,
  maxFps: 240,
  /** CRF/CQ top end across the encoders we drive (VP9 goes to 63). */
  maxQuality: 63,
});

const ENCODER_PROFILES: Readonly<Record<string, EncoderProfile>> = {
  '': 'encoder-default',
  none: 'encoder-default',
  h264baseline: 'baseline',
  h264main: 'main',
  h264high: 'high',
  h264constrainedhigh: 'constrained-high',
};

// go-livepeer matches its names exactly; lpx's own codec names are accepted too.
const CODECS: Readonly<Record<string, VideoCodec>> = { '': 'H264', 'H.264': 'H264', H264: 'H264', HEVC: 'HEVC', H265: 'HEVC', VP8: 'VP8', VP9: 'VP9' };

/** Names end up in URLs, file names and multipart headers. */
const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

/**
 * A ladder from a comma-separated preset list (go-livepeer's flag syntax), a
 * JSON text (an array of entries or `{ "profiles": [...] }`), or an array of
 * entries. Throws LPX_ERR_TRANSCODE_PROFILE_INVALID.
 */
export function parseLadder(spec: string | readonly unknown[], format: OutputFormat = 'mpegts'): TranscodeProfile[] {
  if (typeof spec !== 'string') return parseLadderEntries(spec, format);
  const text = spec.trim();
  if (text.startsWith('[') || text.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw invalid(`ladder is not valid JSON: ${(error as Error).message}`, { reason: 'json' });
    }
    const entries = Array.isArray(json) ? json : (json as { profiles?: unknown } | null)?.profiles;
    if (!Array.isArray(entries)) throw invalid('a JSON ladder must be an array or an object with a "profiles" array', { reason: 'json' });
    return parseLadderEntries(entries, format);
  }
  return parseLadderEntries(text === '' ? [] : text.split(','), format);
}

/** Entries in order; duplicate names and an over-long ladder are refused. */
export function parseLadderEntries(entries: readonly unknown[], format: OutputFormat = 'mpegts'): TranscodeProfile[] {
  if (entries.length > LADDER_LIMITS.maxProfiles) throw invalid(`a ladder holds at most ${LADDER_LIMITS.maxProfiles} profiles, got ${entries.length}`, { reason: 'too-many' });
  const profiles = entries.map((entry, index) => (typeof entry === 'string' ? parsePresetName(entry, index, format) : parseJsonProfile(entry, index, format)));
  const seen = new Set<string>();
  for (const [index, profile] of profiles.entries()) {
    if (seen.has(profile.name)) throw invalid(`profile name "${profile.name}" appears twice in the ladder`, { index, name: profile.name, reason: 'duplicate-name' });
    seen.add(profile.name);
  }
  return profiles;
}

/** A go-livepeer preset by name (surrounding spaces ignored, as go-livepeer does). */
export function parsePresetName(name: string, index = 0, format: OutputFormat = 'mpegts'): TranscodeProfile {
  const trimmed = name.trim();
  const profile = presetProfile(trimmed);
  if (profile === undefined) throw invalid(`unknown preset "${trimmed}"`, { index, name: trimmed, reason: 'unknown-preset' });
  return { ...profile, format };
}

/** lpms' ParseProfilesFromJsonProfileArray for one entry, plus the checks it leaves to the encoder. */
export function parseJsonProfile(entry: unknown, index = 0, format: OutputFormat = 'mpegts'): TranscodeProfile {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw invalid(`profile [${index}] must be a preset name or an object`, { index, reason: 'shape' });
  const json = entry as Record<string, unknown>;
  const field = (key: string) => json[key];
  const int = (key: string, fallback: number): number => {
    const value = field(key);
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(`profile [${index}] ${key} must be a non-negative integer, got ${JSON.stringify(value)}`, { index, field: key, reason: 'type' });
    return value;
  };
  const str = (key: string): string => {
    const value = field(key);
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') throw invalid(`profile [${index}] ${key} must be a string, got ${JSON.stringify(value)}`, { index, field: key, reason: 'type' });
    return value;
  };
  const width = int('width', 0);
  const height = int('height', 0);
  const bitrate = int('bitrate', 0);
  const name = str('name') || `custom_${width}x${height}_${bitrate}`;
  const at = { index, name };
  if (!NAME_PATTERN.test(name)) throw invalid(`profile [${index}] name "${name}" must be 1-64 of A-Z a-z 0-9 _ . - (it becomes a URL path)`, { ...at, field: 'name', reason: 'name' });
  checkResolution(width, height, at);
  if (bitrate === 0) throw invalid(`profile "${name}" needs a bitrate (bits per second) above 0`, { ...at, field: 'bitrate', reason: 'bitrate' });
  const fps = int('fps', 0);
  const fpsDen = int('fpsDen', 0) || 1;
  if (fps / fpsDen > LADDER_LIMITS.maxFps) throw invalid(`profile "${name}" frame rate ${fps}/${fpsDen} is above ${LADDER_LIMITS.maxFps} fps`, { ...at, field: 'fps', reason: 'fps' });
  const quality = int('quality', 0);
  if (quality > LADDER_LIMITS.maxQuality) throw invalid(`profile "${name}" quality ${quality} is above ${LADDER_LIMITS.maxQuality}`, { ...at, field: 'quality', reason: 'quality' });
  const encoderProfile = ENCODER_PROFILES[str('profile').toLowerCase()];
  if (encoderProfile === undefined) throw invalid(`profile "${name}" has an unknown H.264 profile "${str('profile')}" (H264Baseline, H264Main, H264High, H264ConstrainedHigh or None)`, { ...at, field: 'profile', reason: 'encoder-profile' });
  const codec = Object.prototype.hasOwnProperty.call(CODECS, str('encoder')) ? CODECS[str('encoder')] : undefined;
  if (codec === undefined) throw invalid(`profile "${name}" has an unknown encoder "${str('encoder')}" (H.264, HEVC, VP8 or VP9)`, { ...at, field: 'encoder', reason: 'encoder' });
  // lpx profiles carry 8-bit 4:2:0 only; refusing beats silently encoding something else.
  if (![0, 8].includes(int('colorDepth', 0))) throw invalid(`profile "${name}" colorDepth ${String(field('colorDepth'))} is not supported (8-bit only)`, { ...at, field: 'colorDepth', reason: 'unsupported' });
  if (int('chromaFormat', 0) !== 0) throw invalid(`profile "${name}" chromaFormat ${String(field('chromaFormat'))} is not supported (4:2:0 only)`, { ...at, field: 'chromaFormat', reason: 'unsupported' });
  return { name, width, height, bitrate, fps, fpsDen, gopMs: parseGop(field('gop'), at), codec, profile: encoderProfile, format, quality };
}

function checkResolution(width: number, height: number, at: { index: number; name: string }): void {
  const where = { ...at, field: 'resolution', reason: 'resolution' };
  if (width === 0 || height === 0) throw invalid(`profile "${at.name}" needs a width and a height above 0, got ${width}x${height}`, where);
  if (width % 2 !== 0 || height % 2 !== 0) throw invalid(`profile "${at.name}" resolution ${width}x${height} is odd; 4:2:0 encoders need even sides`, where);
  if (width > LADDER_LIMITS.maxDimension || height > LADDER_LIMITS.maxDimension || width * height > LADDER_LIMITS.maxFramePixels) {
    throw invalid(`profile "${at.name}" resolution ${width}x${height} is above 8K (${LADDER_LIMITS.maxDimension} a side, ${LADDER_LIMITS.maxFramePixels} pixels)`, where);
  }
}

/** gop: seconds ("2.5" or 2.5) → ms, "intra" → -1, absent or 0 → encoder default. */
function parseGop(value: unknown, at: { index: number; name: string }): number {
  if (value === undefined || value === null || value === '') return 0;
  if (value === 'intra') return -1;
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds < 0) throw invalid(`profile "${at.name}" gop must be seconds >= 0 or "intra", got ${JSON.stringify(value)}`, { ...at, field: 'gop', reason: 'gop' });
  return Math.round(seconds * 1000);
}

function invalid(message: string, details: Record<string, unknown>) {
  return transcodeErrors.PROFILE_INVALID.create(message, { details });
}
