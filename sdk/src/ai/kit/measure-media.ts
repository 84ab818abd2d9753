import { imageSize } from 'image-size';
import { parseBuffer } from 'music-metadata';
import { errors } from '../../errors/catalogue.js';

export interface ImageMeasure {
  readonly width: number;
  readonly height: number;
  /** `png`, `jpg`, `webp`, `gif`. */
  readonly type: string;
}

/**
 * What runners decode (PIL) and go-livepeer can read the size of
 * (image.DecodeConfig): anything else is refused before a GPU sees it.
 */
const IMAGE_TYPES = new Set(['png', 'jpg', 'webp', 'gif']);

/**
 * Reads an image's size from its header only, as go-livepeer's
 * image.DecodeConfig does: pricing needs the size, not the pixels.
 */
export function measureImage(data: Uint8Array, field: string): ImageMeasure {
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(data);
  } catch (cause) {
    throw errors.ai.REQUEST_INVALID.create(`${field}: not a decodable image (${cause instanceof Error ? cause.message : String(cause)})`, { cause, details: { field } });
  }
  const type = size.type ?? 'unknown';
  if (!IMAGE_TYPES.has(type)) {
    throw errors.ai.REQUEST_INVALID.create(`${field}: image type ${type} is not one of ${[...IMAGE_TYPES].join(', ')}`, { details: { field } });
  }
  if (!(size.width > 0 && size.height > 0)) {
    throw errors.ai.REQUEST_INVALID.create(`${field}: image has no size (${size.width}x${size.height})`, { details: { field } });
  }
  return { width: size.width, height: size.height, type };
}

export interface AudioMeasure {
  /** Duration in ms, rounded down. */
  readonly durationMs: number;
  /** Container as music-metadata names it (`WAVE`, `MPEG`, `Ogg`...). */
  readonly container: string;
}

/**
 * Reads an audio file's duration from its headers (and, where a format has
 * none, by scanning frames). A file with no readable duration is refused:
 * go-livepeer cannot price it either.
 */
export async function measureAudio(data: Uint8Array, field: string, contentType?: string): Promise<AudioMeasure> {
  let duration: number | undefined;
  let container = 'unknown';
  try {
    const metadata = await parseBuffer(data, contentType ? { mimeType: contentType, size: data.byteLength } : { size: data.byteLength }, { duration: true, skipCovers: true });
    duration = metadata.format.duration;
    container = metadata.format.container ?? container;
  } catch (cause) {
    throw errors.ai.REQUEST_INVALID.create(`${field}: not a decodable audio file (${cause instanceof Error ? cause.message : String(cause)})`, { cause, details: { field } });
  }
  if (duration === undefined || !Number.isFinite(duration) || duration <= 0) {
    throw errors.ai.REQUEST_INVALID.create(`${field}: audio duration unreadable`, { details: { field } });
  }
  return { durationMs: Math.floor(duration * 1000), container };
}

/** Characters as go-livepeer counts runes: Unicode code points, not UTF-16 units. */
export function runeCount(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
