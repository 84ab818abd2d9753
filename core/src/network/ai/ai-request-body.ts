/**
 * An AI request body as a go-livepeer gateway puts it on the wire to an
 * orchestrator: JSON pipelines as a JSON object, the others as
 * multipart/form-data (Go's mime/multipart form writer: one part per field,
 * files with their filename).
 */
import type { AIRequestBody } from '@lpx/sdk';
import { buildMultipart, type MultipartPartInput } from '../multipart/index.js';

export interface EncodedAIBody {
  readonly contentType: string;
  readonly body: Buffer;
}

/** A quoted-string for Content-Disposition, as Go's multipart writer escapes it. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n]/g, ' ')}"`;
}

export function encodeAIBody(body: AIRequestBody): EncodedAIBody {
  if (body.kind === 'json') return { contentType: 'application/json', body: Buffer.from(JSON.stringify(body.json), 'utf8') };
  const parts: MultipartPartInput[] = [];
  for (const file of body.files) {
    parts.push({
      headers: {
        'Content-Disposition': `form-data; name=${quote(file.field)}; filename=${quote(file.filename ?? file.field)}`,
        'Content-Type': file.contentType ?? 'application/octet-stream',
      },
      body: file.data,
    });
  }
  for (const [name, value] of Object.entries(body.fields)) {
    parts.push({ headers: { 'Content-Disposition': `form-data; name=${quote(name)}` }, body: Buffer.from(value, 'utf8') });
  }
  const built = buildMultipart(parts);
  const boundary = built.contentType.slice(built.contentType.indexOf('boundary=') + 'boundary='.length);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.from(built.body.buffer, built.body.byteOffset, built.body.byteLength) };
}
