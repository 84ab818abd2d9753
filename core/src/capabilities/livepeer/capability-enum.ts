/**
 * go-livepeer's capability enum (`core/capabilities.go`). The numbers are wire
 * ids and never change; the names are what go-livepeer's pipeline lookup
 * matches against, so their exact spelling and case matter.
 */

/** Which of go-livepeer's built-in sets a capability belongs to. */
export interface LivepeerCapabilitySets {
  /** `DefaultCapabilities()`: every O and every transcode job's baseline. */
  readonly default: boolean;
  /** `OptionalCapabilities()`: advertised when supported (hardware-tested for some). */
  readonly optional: boolean;
  /** The frozen pre-discovery set; "legacy only" jobs are ⊆ this. */
  readonly legacy: boolean;
}

/** What the enum value is for on our side. */
export type LivepeerCapabilityKind = 'transcode' | 'ai' | 'byoc' | 'deprecated';

export interface LivepeerCapabilityInfo {
  readonly id: number;
  /** The Go identifier without its `Capability_` prefix. */
  readonly key: string;
  /** `CapabilityNameLookup` entry; undefined where go-livepeer has none (13). */
  readonly name: string | undefined;
  readonly sets: LivepeerCapabilitySets;
  readonly kind: LivepeerCapabilityKind;
}

export const LIVEPEER_CAPABILITY_MIN = 0;
export const LIVEPEER_CAPABILITY_MAX = 37;
export const LIVEPEER_CAPABILITY_BYOC = 37;
export const LIVEPEER_CAPABILITY_AUTH_TOKEN = 12;

type Row = readonly [id: number, key: string, name: string | undefined, sets: string, kind: LivepeerCapabilityKind];

// sets: d = default, o = optional, l = legacy. Kept as one dense table so a
// reviewer can diff it against the Go source line by line.
const rows: readonly Row[] = [
  [0, 'H264', 'H.264', 'dl', 'transcode'],
  [1, 'MPEGTS', 'MPEGTS', 'dl', 'transcode'],
  [2, 'MP4', 'MP4', 'dl', 'transcode'],
  [3, 'FractionalFramerates', 'Fractional framerates', 'dl', 'transcode'],
  [4, 'StorageDirect', 'Storage direct', 'dl', 'transcode'],
  [5, 'StorageS3', 'Storage S3', 'dl', 'transcode'],
  [6, 'StorageGCS', 'Storage GCS', 'dl', 'transcode'],
  [7, 'ProfileH264Baseline', 'H264 Baseline profile', 'dl', 'transcode'],
  [8, 'ProfileH264Main', 'H264 Main profile', 'dl', 'transcode'],
  [9, 'ProfileH264High', 'H264 High profile', 'dl', 'transcode'],
  [10, 'ProfileH264ConstrainedHigh', 'H264 Constrained, Contained High profile', 'dl', 'transcode'],
  [11, 'GOP', 'GOP', 'dl', 'transcode'],
  [12, 'AuthToken', 'Auth token', 'd', 'transcode'],
  [13, 'SceneClassification', undefined, '', 'deprecated'],
  [14, 'MPEG7VideoSignature', 'MPEG7 signature', 'd', 'transcode'],
  [15, 'HEVC_Decode', 'HEVC decode', 'o', 'transcode'],
  [16, 'HEVC_Encode', 'HEVC encode', 'o', 'transcode'],
  [17, 'VP8_Decode', 'VP8 decode', 'o', 'transcode'],
  [18, 'VP9_Decode', 'VP9 decode', 'o', 'transcode'],
  [19, 'VP8_Encode', 'VP8 encode', '', 'transcode'],
  [20, 'VP9_Encode', 'VP9 encode', '', 'transcode'],
  [21, 'H264_Decode_444_8bit', 'H264 Decode YUV444 8-bit', 'o', 'transcode'],
  [22, 'H264_Decode_422_8bit', 'H264 Decode YUV422 8-bit', 'o', 'transcode'],
  [23, 'H264_Decode_444_10bit', 'H264 Decode YUV444 10-bit', 'o', 'transcode'],
  [24, 'H264_Decode_422_10bit', 'H264 Decode YUV422 10-bit', 'o', 'transcode'],
  [25, 'H264_Decode_420_10bit', 'H264 Decode YUV420 10-bit', 'o', 'transcode'],
  [26, 'SegmentSlicing', 'Segment slicing', 'd', 'transcode'],
  [27, 'TextToImage', 'Text to image', 'o', 'ai'],
  [28, 'ImageToImage', 'Image to image', 'o', 'ai'],
  [29, 'ImageToVideo', 'Image to video', 'o', 'ai'],
  [30, 'Upscale', 'Upscale', 'o', 'ai'],
  [31, 'AudioToText', 'Audio to text', 'o', 'ai'],
  [32, 'SegmentAnything2', 'Segment anything 2', 'o', 'ai'],
  [33, 'LLM', 'Llm', '', 'ai'],
  [34, 'ImageToText', 'Image to text', 'o', 'ai'],
  [35, 'LiveVideoToVideo', 'Live video to video', '', 'ai'],
  [36, 'TextToSpeech', 'Text to speech', 'o', 'ai'],
  [37, 'BYOC', 'byoc', '', 'byoc'],
];

/** Every enum value 0..37, indexed by id (the array index equals the id). */
export const LIVEPEER_CAPABILITIES: readonly LivepeerCapabilityInfo[] = Object.freeze(
  rows.map(([id, key, name, sets, kind]) =>
    Object.freeze({
      id,
      key,
      name,
      kind,
      sets: Object.freeze({ default: sets.includes('d'), optional: sets.includes('o'), legacy: sets.includes('l') }),
    }),
  ),
);

export function livepeerCapabilityInfo(id: number): LivepeerCapabilityInfo | undefined {
  return Number.isInteger(id) ? LIVEPEER_CAPABILITIES[id] : undefined;
}

export function livepeerCapabilityByKey(key: string): LivepeerCapabilityInfo | undefined {
  return LIVEPEER_CAPABILITIES.find((info) => info.key === key);
}

/** Exact, case-sensitive match on the display name, as `CapabilityNameLookup` is used in Go. */
export function livepeerCapabilityByName(name: string): LivepeerCapabilityInfo | undefined {
  return LIVEPEER_CAPABILITIES.find((info) => info.name === name);
}

function idsWhere(predicate: (info: LivepeerCapabilityInfo) => boolean): readonly number[] {
  return Object.freeze(LIVEPEER_CAPABILITIES.filter(predicate).map((info) => info.id));
}

export const DEFAULT_CAPABILITY_IDS = idsWhere((info) => info.sets.default);
export const OPTIONAL_CAPABILITY_IDS = idsWhere((info) => info.sets.optional);
export const LEGACY_CAPABILITY_IDS = idsWhere((info) => info.sets.legacy);
/** Defined by go-livepeer but never sent: Os advertise empty mandatories. */
export const MANDATORY_O_CAPABILITY_IDS: readonly number[] = Object.freeze([LIVEPEER_CAPABILITY_AUTH_TOKEN]);
export const AI_CAPABILITY_IDS = idsWhere((info) => info.kind === 'ai');

/**
 * What a go-livepeer O/T in software mode advertises for transcoding:
 * Default ∪ Optional minus HEVC decode/encode, VP9 decode and the VP8/VP9
 * encoders, restricted to the transcoding ids. go-livepeer also sets the AI
 * bits here without models (its quirk); we leave AI bits to AI capabilities.
 */
export const SOFTWARE_TRANSCODE_CAPABILITY_IDS: readonly number[] = Object.freeze(
  LIVEPEER_CAPABILITIES.filter(
    (info) => info.kind === 'transcode' && (info.sets.default || info.sets.optional) && ![15, 16, 18, 19, 20].includes(info.id),
  ).map((info) => info.id),
);
