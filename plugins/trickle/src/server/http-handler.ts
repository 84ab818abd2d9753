/**
 * go-livepeer's trickle routes on raw Node requests and responses (HTTP/1.1
 * or HTTP/2): bodies stream both ways and response headers are written only
 * when the first byte (or the end) is known, because `Lp-Trickle-Seq`,
 * `-Latest` and `-Closed` depend on it. Refusals are Go's plain text.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import {
  CLOSED_VALUE,
  ENTRY_NOT_FOUND_TEXT,
  FIRST_BYTE_KEEPALIVE_MS,
  HEADER_CLOSED,
  HEADER_LATEST,
  HEADER_RESET,
  HEADER_SEQ,
  STATUS_SEQUENCE_NONEXISTENT,
} from '@lpx/sdk/trickle-kit';
import type { Channel } from './channel.js';
import type { TrickleServer } from './trickle-server.js';

export type RawRequest = IncomingMessage | Http2ServerRequest;
export type RawResponse = ServerResponse | Http2ServerResponse;

/** The calls both response kinds share (their declared signatures differ in overloads only). */
interface Response {
  setHeader(name: string, value: string): void;
  writeHead(status: number): void;
  write(chunk: Buffer | string): boolean;
  end(chunk?: string): void;
  writeContinue(): void;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  once(event: 'close' | 'drain', listener: () => void): void;
  off(event: 'close' | 'drain', listener: () => void): void;
}

export interface HandlerOptions {
  /** 100 Continue keepalives on a POST that sent nothing yet (default 10 s). */
  readonly firstByteKeepaliveMs?: number;
}

function plain(res: Response, status: number, text: string): void {
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('x-content-type-options', 'nosniff');
  res.writeHead(status);
  res.end(`${text}\n`);
}

/** Go's strconv.Atoi: an optional sign and decimal digits. */
function parseSeq(raw: string): number | undefined {
  if (!/^[+-]?\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

/** `Connection: close` is an HTTP/1 header; HTTP/2 forbids it (the stream ends on its own). */
function closeConnection(req: RawRequest, res: Response): void {
  if (req.httpVersionMajor === 1) res.setHeader('connection', 'close');
}

/** Serves one request whose path (below the base path) is `rest`. */
export function handleTrickle(server: TrickleServer, req: RawRequest, rawRes: RawResponse, rest: string, options: HandlerOptions = {}): Promise<void> {
  const res = rawRes as unknown as Response;
  let parts: string[];
  try {
    parts = rest.split('/').map((part) => decodeURIComponent(part));
  } catch {
    plain(res, 400, 'Bad Request'); // a broken %-escape
    return Promise.resolve();
  }
  const name = parts[0] ?? '';
  const method = req.method ?? 'GET';
  if (name === '' || parts.length > 2 || (parts.length === 2 && parts[1] === '')) {
    plain(res, 404, '404 page not found');
    return Promise.resolve();
  }
  const channel = server.get(name);
  if (parts.length === 1) {
    if (method === 'POST') {
      // Autocreate is off: a POST to the channel only says whether it exists.
      if (channel === undefined) {
        closeConnection(req, res);
        plain(res, 404, 'Stream not found');
      } else res.end();
      return Promise.resolve();
    }
    if (method === 'DELETE') {
      if (!server.removeFromHttp(name)) plain(res, 400, 'Invalid stream');
      else res.end();
      return Promise.resolve();
    }
    plain(res, 405, 'Method Not Allowed');
    return Promise.resolve();
  }
  const seqPart = parts[1]!;
  if (channel === undefined) {
    if (method === 'POST') closeConnection(req, res); // wakes a preconnected publisher that would otherwise keep sending
    plain(res, 404, 'Stream not found');
    return Promise.resolve();
  }
  if (method === 'GET' && seqPart === 'next') {
    res.setHeader(HEADER_LATEST, String(channel.nextWrite));
    if (channel.closed) res.setHeader(HEADER_CLOSED, CLOSED_VALUE);
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.writeHead(200);
    res.end(String(channel.nextWrite));
    return Promise.resolve();
  }
  const seq = parseSeq(seqPart);
  if (seq === undefined) {
    plain(res, 400, 'Invalid idx');
    return Promise.resolve();
  }
  if (method === 'GET') return serveSegment(server, channel, seq, res);
  if (method === 'POST') return receiveSegment(server, channel, seq, req, res, options.firstByteKeepaliveMs ?? FIRST_BYTE_KEEPALIVE_MS);
  if (method === 'DELETE') {
    const segment = channel.at(seq);
    if (segment === undefined) plain(res, 400, 'Nonexistent segment');
    else {
      segment.close();
      res.end();
    }
    return Promise.resolve();
  }
  plain(res, 405, 'Method Not Allowed');
  return Promise.resolve();
}

/** GET: streams the segment from its first byte, as long as the publisher writes it. */
async function serveSegment(server: TrickleServer, channel: Channel, seq: number, res: Response): Promise<void> {
  const target = channel.forRead(seq);
  const segment = target.segment;
  if (segment === undefined) {
    res.setHeader(HEADER_LATEST, String(target.latest));
    res.setHeader(HEADER_SEQ, String(target.seq));
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    if (target.closed) res.setHeader(HEADER_CLOSED, CLOSED_VALUE);
    res.writeHead(target.closed ? 200 : STATUS_SEQUENCE_NONEXISTENT);
    res.end(ENTRY_NOT_FOUND_TEXT);
    return;
  }
  const gone = new AbortController();
  const onClose = (): void => gone.abort();
  res.once('close', onClose);
  server.stats.onSubscribers?.(1);
  try {
    const cursor = segment.cursor();
    let written = 0;
    for (;;) {
      const chunk = await cursor.next(gone.signal);
      if (chunk === undefined) break;
      if (written === 0) {
        if (segment.seq !== target.latest) res.setHeader(HEADER_LATEST, String(target.latest));
        res.setHeader(HEADER_SEQ, String(segment.seq));
        res.setHeader('content-type', channel.mimeType);
        res.writeHead(200);
      }
      written += chunk.length;
      server.stats.onBytesOut?.(chunk.length);
      if (!res.write(chunk)) await drained(res, gone.signal);
    }
    if (written === 0) {
      // The segment ended empty: dropped by its publisher, overwritten, or the channel closed.
      res.setHeader(HEADER_SEQ, String(segment.seq));
      res.setHeader(HEADER_LATEST, String(channel.nextWrite));
      if (channel.closed) res.setHeader(HEADER_CLOSED, CLOSED_VALUE);
      res.writeHead(200);
    }
    res.end();
  } catch {
    // The subscriber went away; nothing to answer.
  } finally {
    res.off('close', onClose);
    server.stats.onSubscribers?.(-1);
  }
}

function drained(res: Response, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      res.off('drain', onDrain);
      reject(signal.reason);
    };
    const onDrain = (): void => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    res.once('drain', onDrain);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * POST: every chunk goes into the segment as it arrives (subscribers see it
 * at once). Before the first byte the server sends 100 Continue keepalives,
 * and a segment closed meanwhile (channel removed, DELETE, reset) answers the
 * preconnect at once without reading its body.
 */
function receiveSegment(server: TrickleServer, channel: Channel, seq: number, req: RawRequest, res: Response, keepaliveMs: number): Promise<void> {
  const segment = channel.forWrite(seq);
  if (req.headers[HEADER_RESET] !== undefined && req.headers[HEADER_RESET] !== '') channel.closeBefore(segment.seq);
  return new Promise<void>((resolve) => {
    let total = 0;
    let finished = false;
    const waitFirst = new AbortController();
    const keepalive = setInterval(() => {
      if (!res.headersSent) res.writeContinue();
    }, keepaliveMs);
    const finish = (): void => {
      finished = true;
      clearInterval(keepalive);
      waitFirst.abort();
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
      resolve();
    };
    /** Nothing was written: the write head moves on anyway (go-livepeer: avoids clients erroring on the next seq). */
    const answerEmpty = (): void => {
      channel.wrote(segment.seq, server.now());
      res.setHeader(HEADER_SEQ, String(segment.seq));
      if (channel.closed) res.setHeader(HEADER_CLOSED, CLOSED_VALUE);
      closeConnection(req, res);
      res.writeHead(200);
      res.end();
    };
    const onData = (chunk: Buffer): void => {
      if (total === 0) {
        clearInterval(keepalive);
        waitFirst.abort();
        channel.wrote(segment.seq, server.now());
      }
      total += chunk.length;
      server.stats.onBytesIn?.(chunk.length);
      segment.write(chunk);
    };
    const onEnd = (): void => {
      if (finished) return;
      if (total === 0) answerEmpty();
      else {
        res.setHeader(HEADER_SEQ, String(segment.seq));
        res.writeHead(200);
        res.end();
      }
      segment.close();
      finish();
    };
    const onGone = (): void => {
      if (finished || req.readableEnded) return;
      // A publisher that broke off mid-segment: end the segment so subscribers are not left waiting.
      // One that never sent a byte leaves it open for a retry at the same index.
      if (total > 0) segment.close();
      if (!res.writableEnded && !res.headersSent) plain(res, 500, 'Server error');
      finish();
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onGone);
    req.once('close', onGone);
    segment.changed(0, waitFirst.signal).then(
      () => {
        if (finished || total > 0 || !segment.closed) return;
        answerEmpty();
        segment.close();
        finish();
      },
      () => undefined,
    );
  });
}
