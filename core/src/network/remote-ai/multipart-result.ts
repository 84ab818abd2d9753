/**
 * A worker's multipart/mixed result, read the way go-livepeer's orchestrator
 * reads it: the `application/json` part is the result document, every other
 * part with a Content-Disposition is a file keyed by its filename (the name
 * the JSON uses as the file's URL). Parts with neither are ignored.
 */
import { parseMultipart, type MultipartPart } from '../multipart/index.js';
import type { WorkerFile, WorkerOutcome } from './ai-result.js';
import { aiWorkerErrors } from './remote-ai-errors.js';

function mediaTypeOf(value: string | undefined): string {
  return (value ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/** The filename parameter of a Content-Disposition, reduced to its last path element like Go's Part.FileName(). */
export function dispositionFilename(value: string): string {
  const match = /;\s*filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;\s]*)/i.exec(value);
  if (match === null) return '';
  const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[1] ?? '');
  const base = raw.split(/[/\\]/).pop() ?? '';
  return base === '.' || base === '..' ? '' : base;
}

function parseJson(part: MultipartPart): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(part.body));
  } catch (cause) {
    throw aiWorkerErrors.RESULT_INVALID.create(`result JSON part is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

/** Throws RESULT_INVALID (or the multipart parser's MULTIPART_MALFORMED) for a body that cannot be used. */
export function parseMultipartResult(body: Uint8Array, contentType: string): Extract<WorkerOutcome, { kind: 'files' }> {
  const parts = parseMultipart(body, contentType);
  let json: unknown;
  let sawJson = false;
  const files: WorkerFile[] = [];
  for (const part of parts) {
    const partType = part.headers['content-type'];
    if (mediaTypeOf(partType) === 'application/json') {
      json = parseJson(part);
      sawJson = true;
      continue;
    }
    const disposition = part.headers['content-disposition'];
    if (disposition === undefined || disposition === '') continue;
    const name = dispositionFilename(disposition);
    if (name === '') continue;
    files.push({ name, contentType: partType ?? 'application/octet-stream', body: part.body });
  }
  if (!sawJson) throw aiWorkerErrors.RESULT_INVALID.create('multipart result has no application/json part');
  return { kind: 'files', json, files };
}
