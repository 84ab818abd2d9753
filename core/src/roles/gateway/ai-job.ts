/**
 * What an AI route job (capability `ai/<pipeline>`) carries through BullMQ
 * and what it returns. The input is the body as an app would post it to
 * `/v1/jobs/ai/<pipeline>`: a JSON pipeline's JSON object itself, or for a
 * multipart pipeline `{ fields, files: [{ field, filename?, contentType?,
 * data }] }` with data as bytes (base64 text from a client, a Buffer from
 * coreServices.gateway.ai — the jobs kernel keeps large ones in the blob
 * store). The output is go-livepeer's response JSON with media already
 * re-hosted on this gateway.
 */
import type { AIPipeline, AIRequestBody, AIUpload } from '@lpx/sdk';
import { errors } from '@lpx/sdk';
import type { BlobRef } from '../../blobs/index.js';

export interface AIJobMedia {
  /** The URL written into the JSON. */
  readonly url: string;
  readonly contentType: string;
  readonly blob: BlobRef;
}

export interface AIJobOutput {
  readonly json: unknown;
  readonly media: readonly AIJobMedia[];
  readonly modelId: string;
  /** A streaming LLM request routed as a job: the events, collected. */
  readonly events?: readonly Readonly<Record<string, unknown>>[];
}

function invalid(message: string): Error {
  return errors.ai.REQUEST_INVALID.create(message);
}

function bytesOf(value: unknown, field: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  // BullMQ's JSON turns a Buffer into { type: 'Buffer', data: [...] } when no blob codec is in between.
  const raw = value as { type?: unknown; data?: unknown } | null;
  if (raw !== null && typeof raw === 'object' && raw.type === 'Buffer' && Array.isArray(raw.data)) return Buffer.from(raw.data as number[]);
  throw invalid(`files[${field}].data must be base64 text`);
}

/** The job input read back (from anywhere: a client may post it to /v1/jobs) as the pipeline's body kind. */
export function aiBodyFromInput(pipeline: Pick<AIPipeline, 'name' | 'bodyKind'>, input: unknown): AIRequestBody {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalid(`a ${pipeline.name} job needs a JSON object as input`);
  if (pipeline.bodyKind === 'json') return { kind: 'json', json: input as Record<string, unknown> };
  const { fields = {}, files = [] } = input as { fields?: unknown; files?: unknown };
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) throw invalid(`${pipeline.name}: fields must be an object of strings`);
  const textFields: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string') throw invalid(`${pipeline.name}: field ${name} must be a string (multipart form fields are text)`);
    textFields[name] = value;
  }
  if (!Array.isArray(files)) throw invalid(`${pipeline.name}: files must be an array`);
  const uploads: AIUpload[] = files.map((file: unknown, i) => {
    const f = file as { field?: unknown; filename?: unknown; contentType?: unknown; data?: unknown } | null;
    if (f === null || typeof f !== 'object' || typeof f.field !== 'string' || f.field === '') throw invalid(`${pipeline.name}: files[${i}] needs a field name`);
    return {
      field: f.field,
      ...(typeof f.filename === 'string' ? { filename: f.filename } : {}),
      ...(typeof f.contentType === 'string' ? { contentType: f.contentType } : {}),
      data: bytesOf(f.data, String(i)),
    };
  });
  return { kind: 'multipart', fields: textFields, files: uploads };
}

/** The job input for a body coreServices.gateway.ai was given (bytes stay bytes). */
export function aiInputFromBody(body: AIRequestBody): unknown {
  if (body.kind === 'json') return body.json;
  return {
    fields: body.fields,
    files: body.files.map((f) => ({
      field: f.field,
      ...(f.filename !== undefined ? { filename: f.filename } : {}),
      ...(f.contentType !== undefined ? { contentType: f.contentType } : {}),
      data: Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength),
    })),
  };
}
