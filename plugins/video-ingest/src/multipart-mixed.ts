/**
 * The multipart/mixed answer to a push, byte-compatible with what go-livepeer
 * writes (Go's mime/multipart: headers sorted by name, CRLF framing). A few
 * lines of our own instead of a library: the npm builders target
 * multipart/form-data (or are unmaintained streams), and this body is one
 * Buffer.concat over renditions that are already in memory.
 */
import { randomBytes } from 'node:crypto';

export interface MultipartRendition {
  readonly name: string;
  readonly data: Buffer;
  /** File extension with its dot: `.ts` or `.mp4`. */
  readonly extension: string;
  readonly mimeType: string;
}

export interface MultipartBody {
  readonly contentType: string;
  readonly body: Buffer;
}

/** go-livepeer's part naming: `"<rendition>_<seq><ext>"`, quoted. */
export function buildMultipartMixed(seq: number, renditions: readonly MultipartRendition[], boundary = randomBytes(12).toString('hex')): MultipartBody {
  const chunks: Buffer[] = [];
  for (const [index, rendition] of renditions.entries()) {
    const fileName = `"${rendition.name}_${seq}${rendition.extension}"`;
    const headers = [
      `Content-Disposition: attachment; filename=${fileName}`,
      `Content-Length: ${rendition.data.length}`,
      `Content-Type: ${rendition.mimeType}; name=${fileName}`,
      `Rendition-Name: ${rendition.name}`,
    ];
    chunks.push(Buffer.from(`${index === 0 ? '' : '\r\n'}--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n`), rendition.data);
  }
  chunks.push(Buffer.from(`${renditions.length === 0 ? '' : '\r\n'}--${boundary}--\r\n`));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
