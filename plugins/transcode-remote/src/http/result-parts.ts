/**
 * Reading a transcoder's multipart result the way go-livepeer does: a part
 * with a Pixels header is the next rendition, an application/octet-stream
 * part without one is the perceptual hash of the rendition before it, and
 * anything else is skipped.
 */
import { errors } from '@lpx/sdk';
import { parseMultipart } from '@lpx/sdk/wire-kit';
import type { TaskResult, TranscodedRendition } from '../pool/task-table.js';
import { TRANSCODER_TEXT } from '../wire/wire-texts.js';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Go's strconv.ParseInt(value, 10, 64): optional sign, decimal digits, in int64 range; undefined otherwise. */
export function parseInt64(value: string | undefined): bigint | undefined {
  if (value === undefined || !/^[+-]?[0-9]+$/.test(value)) return undefined;
  const parsed = BigInt(value);
  return parsed < INT64_MIN || parsed > INT64_MAX ? undefined : parsed;
}

export interface ResultPartLimits {
  /** A ladder of renditions (each maybe with a hash) never needs more. */
  readonly maxParts?: number;
}

/** Renditions in part order; throws RESULT_INVALID with go-livepeer's texts where it has them. */
export function resultFromMultipart(body: Uint8Array, contentType: string, decodedPixels: bigint, limits: ResultPartLimits = {}): TaskResult {
  const parts = parseMultipart(body, contentType, { maxParts: limits.maxParts ?? 256, invalid: (message) => errors.transcoder.RESULT_INVALID.create(message) });
  const renditions: { data: Uint8Array; pixels: bigint; perceptualHash?: Uint8Array }[] = [];
  for (const part of parts) {
    const pixelsHeader = part.headers['pixels'];
    if (pixelsHeader !== undefined) {
      const pixels = parseInt64(pixelsHeader);
      if (pixels === undefined) throw errors.transcoder.RESULT_INVALID.create(`strconv.ParseInt: parsing ${JSON.stringify(pixelsHeader)}: invalid syntax`);
      renditions.push({ data: part.body, pixels });
    } else if ((part.headers['content-type'] ?? '').toLowerCase() === 'application/octet-stream') {
      const last = renditions.at(-1);
      if (last === undefined) throw errors.transcoder.RESULT_INVALID.create(TRANSCODER_TEXT.unknownPerceptualHash);
      last.perceptualHash = part.body;
    }
  }
  return { renditions: renditions as readonly TranscodedRendition[], decodedPixels };
}
