/**
 * An orchestrator's streaming LLM answer (`text/event-stream`) as JSON
 * objects, event by event. Parsing is eventsource-parser's (the SSE grammar:
 * multi-line data, comments, CRLF); what counts follows go-livepeer's gateway
 * (handleSSEStream): each event's data is one JSON object, data that is not
 * JSON (`[DONE]`) is skipped, and the stream is over after the first chunk
 * whose first choice has a non-empty finish_reason — or when the body ends.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type AIStreamEvent = Readonly<Record<string, unknown>>;

function finished(event: AIStreamEvent): boolean {
  const choices = event.choices;
  if (!Array.isArray(choices) || choices.length === 0) return false;
  const reason = (choices[0] as { finish_reason?: unknown } | null)?.finish_reason;
  return typeof reason === 'string' && reason !== '';
}

/** Longest single event we hold; LLM chunks are a few hundred bytes. */
export const MAX_EVENT_BYTES = 1024 * 1024;

export async function* parseAIEventStream(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<AIStreamEvent, void, undefined> {
  const ready: AIStreamEvent[] = [];
  let pendingBytes = 0;
  let done = false;
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      if (done) return;
      let value: unknown;
      try {
        value = JSON.parse(message.data);
      } catch {
        return;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
      ready.push(value as AIStreamEvent);
      if (finished(value as AIStreamEvent)) done = true;
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of body) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    pendingBytes += text.length;
    parser.feed(text);
    if (ready.length > 0) pendingBytes = 0;
    if (pendingBytes > MAX_EVENT_BYTES) throw new Error(`an event stream event is longer than ${MAX_EVENT_BYTES} bytes`);
    while (ready.length > 0) yield ready.shift()!;
    if (done) return;
  }
  // go-livepeer reads line by line, so a last `data:` line without its blank line still counts (the SSE spec would drop it).
  parser.feed('\n\n');
  while (ready.length > 0) yield ready.shift()!;
}
