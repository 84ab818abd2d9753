/**
 * A worker's multipart/mixed result, read the way go-livepeer's orchestrator
 * reads it: the `application/json` part is the result document, every other
 * part with a Content-Disposition filename is a file keyed by that name (the
 * name the JSON uses as the file's URL). Parts with neither are ignored.
 */
import { errors } from '@lpx/sdk';
import { parseMultipart, type MultipartPart } from '@lpx/sdk/wire-kit';
import type { WorkerFile, WorkerOutcome } from '../pool/worker-outcome.js';

const invalid = (message: string): Error => errors.aiWorker.RESULT_INVALID.create(message);

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
    throw errors.aiWorker.RESULT_INVALID.create(`result JSON part is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}

/** Throws errors.aiWorker.RESULT_INVALID for a body that cannot be used. */
export function parseMultipartResult(body: Uint8Array, contentType: string): Extract<WorkerOutcome, { kind: 'files' }> {
  const parts = parseMultipart(body, contentType, { invalid });
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
    const name = dispositionFilename(part.headers['content-disposition'] ?? '');
    if (name === '') continue;
    if (files.some((file) => file.name === name)) throw invalid(`multipart result has two files named ${JSON.stringify(name)}`);
    files.push({ name, contentType: partType ?? 'application/octet-stream', body: part.body });
  }
  if (!sawJson) throw invalid('multipart result has no application/json part');
  return { kind: 'files', json, files };
}
