import { errors } from '../../errors/catalogue.js';
import type { AIResultFile } from '../pipelines.js';
import { decodeDataUrl, extensionFor } from './data-url.js';

/**
 * Moves the media out of a runner's image answer (`{images:[{url, seed, nsfw}]}`):
 * each data URL becomes a file named `image-<i>.<ext>`, and the JSON keeps the
 * name where the URL was, for the kernel to swap for a storage URL.
 */
export function imagesToFiles(json: { images: readonly { url: string }[] }, prefix = 'image'): { json: unknown; files: AIResultFile[] } {
  const files: AIResultFile[] = [];
  const images = json.images.map((image, i) => {
    const decoded = decodeDataUrl(image.url, `images[${i}].url`);
    const name = `${prefix}-${i}.${extensionFor(decoded.contentType)}`;
    files.push({ name, contentType: decoded.contentType, data: decoded.data });
    return { ...image, url: name };
  });
  return { json: { ...json, images }, files };
}

/** text-to-speech's `{audio:{url}}`: the WAV becomes the file `audio.<ext>`. */
export function audioToFile(json: { audio: { url: string } }): { json: unknown; files: AIResultFile[] } {
  const decoded = decodeDataUrl(json.audio.url, 'audio.url');
  if (!decoded.contentType.startsWith('audio/')) throw errors.ai.RESULT_INVALID.create(`audio.url: expected audio, got ${decoded.contentType}`);
  const name = `audio.${extensionFor(decoded.contentType)}`;
  return { json: { ...json, audio: { ...json.audio, url: name } }, files: [{ name, contentType: decoded.contentType, data: decoded.data }] };
}
