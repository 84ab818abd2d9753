/**
 * lpx's HTTP stand-ins for go-livepeer's MediaMTX/WHIP/WHEP media paths, on
 * the orchestrator's trickle channels of one stream:
 * - out: the next output segment of the subscribe channel (`?seq=N` for a
 *   given one; by default the next one written), streamed as it arrives,
 *   with its index in `Lpx-Stream-Seq` so a client can ask for N + 1 next;
 * - data: the data channel (JSONL) as server-sent events, one `data:` event
 *   per line, ending with go-livepeer's `event: end` when the stream ends.
 * Each request reads with its own subscriber, so many viewers never hold back
 * one another and the gateway buffers nothing.
 */
import { errors } from '@lpx/sdk';
import { SEQ_NEXT, TrickleSubscriber } from '@lpx/sdk/trickle-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StreamSession } from './byoc-stream-session.js';

export const SEQ_HEADER = 'lpx-stream-seq';

function channel(session: StreamSession, name: 'subscribe' | 'data', flag: string): string {
  session.assertRunning();
  const url = session.channels[name];
  if (url === undefined) throw errors.byoc.STREAM_CHANNEL_OFF.create(`stream ${session.id} has no ${name === 'data' ? 'data' : 'output'} channel (start it with ${flag})`);
  return url;
}

function parseSeq(raw: string | undefined): number {
  if (raw === undefined || raw === '') return SEQ_NEXT;
  if (!/^-?[0-9]{1,9}$/.test(raw) || Number(raw) < -2) throw errors.http.BAD_REQUEST.create(`seq must be an integer ≥ -2, got ${JSON.stringify(raw.slice(0, 20))}`);
  return Number(raw);
}

/** A subscriber that stops with the client or the stream. */
function subscriberFor(url: string, session: StreamSession, reply: FastifyReply, start: number): { subscriber: TrickleSubscriber; done: () => void } {
  const stop = new AbortController();
  const subscriber = new TrickleSubscriber(url, { insecure: true, start, signal: stop.signal });
  const unsubscribe = session.onEnd(() => stop.abort(errors.byoc.STREAM_ALREADY_ENDED.create(`stream ${session.id} ended`)));
  const onClose = () => stop.abort(new Error('client went away'));
  // The response's close: sent or cut (a request's close only means its body was read).
  reply.raw.once('close', onClose);
  return {
    subscriber,
    done: () => {
      unsubscribe();
      reply.raw.off('close', onClose);
      subscriber.close();
    },
  };
}

export async function sendOutSegment(session: StreamSession, request: FastifyRequest<{ Querystring: { seq?: string } }>, reply: FastifyReply): Promise<FastifyReply> {
  const url = channel(session, 'subscribe', 'enable_video_egress');
  const { subscriber, done } = subscriberFor(url, session, reply, parseSeq(request.query.seq));
  let segment;
  try {
    segment = await subscriber.read();
  } catch (error) {
    done();
    session.assertRunning();
    if (errors.trickle.CHANNEL_NOT_FOUND.is(error)) void session.end('failed', `the orchestrator's output channel is gone: ${(error as Error).message}`);
    throw errors.byoc.STREAM_RELAY_FAILED.create(`output of stream ${session.id} could not be read: ${(error as Error).message}`, { cause: error });
  }
  if (segment === undefined) {
    done();
    throw errors.byoc.STREAM_ALREADY_ENDED.create(`the output of stream ${session.id} has ended`);
  }
  segment.body.once('close', done);
  return reply
    .header('content-type', segment.contentType ?? 'video/MP2T')
    .header(SEQ_HEADER, String(segment.seq))
    .header('cache-control', 'no-cache')
    .send(segment.body);
}

const STREAM_ENDED_EVENT = 'event: end\ndata: {"type":"stream_ended"}\n\n';

export async function sendDataEvents(session: StreamSession, reply: FastifyReply): Promise<void> {
  const url = channel(session, 'data', 'enable_data_output');
  const { subscriber, done } = subscriberFor(url, session, reply, SEQ_NEXT);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'access-control-allow-origin': '*' });
  res.flushHeaders();
  let partial = '';
  const emit = (line: string) => {
    if (line.trim() !== '') res.write(`data: ${line}\n\n`);
  };
  try {
    for await (const segment of subscriber) {
      for await (const chunk of segment) {
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop()!;
        lines.forEach(emit);
      }
      // A segment is a whole number of lines; a last line without its newline is still one.
      emit(partial);
      partial = '';
    }
  } catch {
    // The stream ended, the channel went away or the client left: the end event below says so.
  } finally {
    done();
    if (!res.writableEnded && !res.destroyed) res.end(STREAM_ENDED_EVENT);
  }
}
