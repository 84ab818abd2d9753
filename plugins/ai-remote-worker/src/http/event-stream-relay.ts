/**
 * A worker's streaming LLM answer (`text/event-stream` into /aiResults),
 * turned into JSON chunks for the dispatcher. Like go-livepeer, only `data: `
 * lines count and a line that is not JSON is skipped; the body ending is the
 * stream ending. Reading pauses while the consumer is behind, and stops when
 * the consumer walks away.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { ChunkChannel } from './chunk-channel.js';
import { errors } from '@lpx/sdk';

/** Longest line we buffer; go-livepeer's bufio.Scanner stops at 64 KiB, LLM chunks are far smaller. */
export const MAX_EVENT_LINE_BYTES = 1024 * 1024;

const DATA_PREFIX = 'data: ';

async function pushLine(line: string, channel: ChunkChannel<unknown>): Promise<void> {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (!text.startsWith(DATA_PREFIX)) return;
  let chunk: unknown;
  try {
    chunk = JSON.parse(text.slice(DATA_PREFIX.length));
  } catch {
    return;
  }
  await channel.push(chunk);
}

/** Reads the body into the channel and ends it; rejects (after ending the channel with the error) when the body fails. */
export async function relayEventStream(body: Readable, channel: ChunkChannel<unknown>): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  try {
    for await (const raw of body) {
      pending += decoder.write(Buffer.isBuffer(raw) ? raw : Buffer.from(raw as Uint8Array));
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        await pushLine(line, channel);
      }
      if (pending.length > MAX_EVENT_LINE_BYTES) throw errors.aiWorker.RESULT_TOO_LARGE.create(`event stream line longer than ${MAX_EVENT_LINE_BYTES} bytes`);
      if (channel.isAbandoned) {
        body.destroy();
        break;
      }
    }
    pending += decoder.end();
    if (pending !== '' && !channel.isAbandoned) await pushLine(pending, channel);
    channel.end();
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    channel.end(failure);
    throw failure;
  }
}
