import { errors } from '../../errors/catalogue.js';

export interface DecodedDataUrl {
  readonly contentType: string;
  readonly data: Uint8Array;
}

// RFC 2397: data:[<mediatype>][;base64],<data>. Runners send `data:image/png;base64,...` and `data:audio/wav;base64,...`.
const DATA_URL = /^data:([^,]*?),(.*)$/s;

/** Decodes a runner's data URL; anything else is RESULT_INVALID naming where it was found. */
export function decodeDataUrl(url: unknown, where: string): DecodedDataUrl {
  if (typeof url !== 'string') throw errors.ai.RESULT_INVALID.create(`${where}: expected a data URL, got ${typeof url}`);
  const match = DATA_URL.exec(url);
  if (!match) throw errors.ai.RESULT_INVALID.create(`${where}: expected a data: URL, got ${url.slice(0, 40)}`);
  const params = match[1]!.split(';').map((p) => p.trim());
  const base64 = params.at(-1)?.toLowerCase() === 'base64';
  const mediaType = (base64 ? params.slice(0, -1) : params).join(';') || 'text/plain;charset=US-ASCII';
  const payload = match[2]!;
  const data = base64 ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload), 'utf8');
  if (data.byteLength === 0) throw errors.ai.RESULT_INVALID.create(`${where}: empty data URL`);
  return { contentType: mediaType.split(';')[0]!.trim().toLowerCase(), data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/ogg': 'ogg',
  'audio/flac': 'flac',
};

/** A file extension for a content type (`bin` when unknown), for file names in results. */
export function extensionFor(contentType: string): string {
  return EXTENSIONS[contentType] ?? 'bin';
}
