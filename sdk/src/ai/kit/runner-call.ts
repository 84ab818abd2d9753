import { errors } from '../../errors/catalogue.js';
import type { AIPipelineName, AIRequestBody, AIRunnerEndpoint } from '../pipelines.js';
import { runnerStatusError, runnerTransportError } from './runner-errors.js';

/** The body as the ai-runner API takes it: JSON as is, multipart rebuilt field by field (files keep their names and types). */
export function runnerRequestBody(body: AIRequestBody): { body: string | FormData; contentType?: string } {
  if (body.kind === 'json') return { body: JSON.stringify(body.json), contentType: 'application/json' };
  const form = new FormData();
  for (const [name, value] of Object.entries(body.fields)) form.append(name, value);
  for (const file of body.files) {
    // A copy into a fresh ArrayBuffer: Blob wants its own bytes, and a view over a pooled Buffer would send the pool.
    const bytes = new Uint8Array(file.data.byteLength);
    bytes.set(file.data);
    form.append(file.field, new Blob([bytes], { type: file.contentType ?? 'application/octet-stream' }), file.filename ?? file.field);
  }
  // fetch writes the multipart boundary into Content-Type itself.
  return { body: form };
}

/**
 * `POST <runner>/<pipeline>` with the request, the runner's Bearer token
 * when it has one, and the caller's signal. Resolves with a 2xx response;
 * every failure is a coded error (runner-errors.ts).
 */
export async function postToRunner(pipeline: AIPipelineName, runner: AIRunnerEndpoint, body: AIRequestBody, signal: AbortSignal, accept = 'application/json'): Promise<Response> {
  const { body: payload, contentType } = runnerRequestBody(body);
  const headers: Record<string, string> = { accept };
  if (contentType) headers['content-type'] = contentType;
  if (runner.token) headers['authorization'] = `Bearer ${runner.token}`;
  let response: Response;
  try {
    response = await fetch(`${runner.baseUrl.replace(/\/+$/, '')}/${pipeline}`, { method: 'POST', headers, body: payload, signal });
  } catch (error) {
    throw runnerTransportError(pipeline, error, signal);
  }
  if (!response.ok) {
    const text = await response.text().catch((error: unknown) => {
      throw runnerTransportError(pipeline, error, signal);
    });
    throw runnerStatusError(pipeline, response.status, text);
  }
  return response;
}

/** The whole JSON answer; a body cut short is RUNNER_FAILED, an abort CANCELLED, non-JSON RESULT_INVALID. */
export async function readRunnerJson(pipeline: AIPipelineName, response: Response, signal: AbortSignal): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw runnerTransportError(pipeline, error, signal);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw errors.ai.RESULT_INVALID.create(`${pipeline} runner answered 200 with something that is not JSON: ${text.slice(0, 200)}`);
  }
}
