import type { BlobRef } from './blob-types.js';

/**
 * The ref as one self-contained URL (`…/v1/blobs/<id>?token=…`) for tools that
 * can only be given a URL (ffmpeg inputs, go-livepeer transcoders). Undefined
 * when the storing node has no HTTP edge. Query strings end up in access logs:
 * prefer the Authorization header where the client can send one.
 */
export function blobUrlWithToken(ref: BlobRef): string | undefined {
  if (ref.url === undefined) return undefined;
  return `${ref.url}?token=${encodeURIComponent(ref.token)}`;
}
