import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { errors } from '../../errors/catalogue.js';
import type { AIPipelineName } from '../pipelines.js';
import { runnerTransportError } from './runner-errors.js';

/**
 * A runner's server-sent event stream as objects: each `data:` line's JSON,
 * until `data: [DONE]` or the end of the body. The runner reports a failure
 * mid-stream as `data: {"error": ...}`, which ends the stream with
 * RUNNER_FAILED; a connection cut mid-stream is RUNNER_FAILED, an abort
 * CANCELLED. Stopping early (break) cancels the body.
 */
export async function* sseObjects(pipeline: AIPipelineName, response: Response, signal: AbortSignal): AsyncGenerator<Readonly<Record<string, unknown>>> {
  if (!response.body) return;
  const pending: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => pending.push(event) });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let done = false;
  try {
    while (!done) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw runnerTransportError(pipeline, error, signal);
      }
      if (chunk.done) {
        parser.feed(decoder.decode() + '\n\n');
        done = true;
      } else {
        parser.feed(decoder.decode(chunk.value, { stream: true }));
      }
      while (pending.length > 0) {
        const event = pending.shift()!;
        if (event.data.trim() === '[DONE]') return;
        let object: unknown;
        try {
          object = JSON.parse(event.data);
        } catch {
          throw errors.ai.RESULT_INVALID.create(`${pipeline} runner streamed an event that is not JSON: ${event.data.slice(0, 200)}`);
        }
        if (object === null || typeof object !== 'object' || Array.isArray(object)) {
          throw errors.ai.RESULT_INVALID.create(`${pipeline} runner streamed an event that is not a JSON object`);
        }
        const error = (object as { error?: unknown }).error;
        if (error !== undefined) {
          const message = typeof error === 'string' ? error : JSON.stringify(error);
          throw errors.ai.RUNNER_FAILED.create(`${pipeline} runner failed mid-stream: ${message}`, { details: { runnerMessage: message } });
        }
        yield object as Record<string, unknown>;
      }
    }
  } finally {
    // A consumer that stops early (or an error above) must not leave the runner's connection open.
    await reader.cancel().catch(() => undefined);
  }
}
