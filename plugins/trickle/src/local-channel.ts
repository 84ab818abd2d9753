/**
 * In-process publishing and subscribing (go-livepeer's local publisher and
 * subscriber): the same segments HTTP clients read, without a socket.
 */
import { errors, type TrickleLocalChannel } from '@lpx/sdk';
import { SEQ_NEXT } from '@lpx/sdk/trickle-kit';
import type { TrickleServer } from './server/trickle-server.js';

export function localChannel(server: TrickleServer, name: string): TrickleLocalChannel {
  const channelOrThrow = () => {
    const channel = server.get(name);
    if (channel === undefined) throw errors.trickle.CHANNEL_NOT_FOUND.create(`trickle channel ${name} does not exist`, { details: { channel: name } });
    if (channel.closed) throw errors.trickle.CLOSED.create(`trickle channel ${name} is closed`, { details: { channel: name } });
    return channel;
  };
  return {
    publish(data) {
      try {
        const channel = channelOrThrow();
        const segment = channel.forWrite(SEQ_NEXT);
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        // An empty segment still moves the write head, as an empty HTTP POST does.
        channel.wrote(segment.seq, server.now());
        if (bytes.length > 0) server.stats.onBytesIn?.(bytes.length);
        segment.write(bytes);
        segment.close();
        return Promise.resolve(segment.seq);
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },
    subscribe(options = {}) {
      return subscribe(server, name, options.seq ?? SEQ_NEXT, options.signal);
    },
    close() {
      server.remove(name);
      return Promise.resolve();
    },
  };
}

/**
 * Whole segments from `seq` on. A segment that left the window is skipped to
 * the live edge (as subscribers do on 470); the channel's removal ends the
 * iteration. An unknown channel at the start is CHANNEL_NOT_FOUND.
 */
async function* subscribe(server: TrickleServer, name: string, from: number, signal: AbortSignal | undefined): AsyncGenerator<{ readonly seq: number; readonly data: Uint8Array }> {
  let seq = from;
  let first = true;
  while (signal?.aborted !== true) {
    const channel = server.get(name);
    if (channel === undefined) {
      if (first) throw errors.trickle.CHANNEL_NOT_FOUND.create(`trickle channel ${name} does not exist`, { details: { channel: name } });
      return;
    }
    first = false;
    const target = channel.forRead(seq);
    if (target.segment === undefined) {
      if (target.closed) return;
      seq = target.latest;
      continue;
    }
    const cursor = target.segment.cursor();
    const chunks: Buffer[] = [];
    try {
      for (let chunk = await cursor.next(signal); chunk !== undefined; chunk = await cursor.next(signal)) chunks.push(chunk);
    } catch {
      return; // aborted
    }
    if (chunks.length === 0 && channel.closed) return;
    seq = target.segment.seq + 1;
    yield { seq: target.segment.seq, data: Buffer.concat(chunks) };
  }
}
