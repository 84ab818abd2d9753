/**
 * Forwards gRPC requests from the front door to the node's grpc-js server on
 * loopback. grpc-js cannot serve streams of a foreign http2 server, so the
 * front door speaks HTTP/2 to it instead: one client session, kept open and
 * reused, with each incoming stream mapped to one outgoing stream. Headers,
 * body, trailers and cancellation cross unchanged, so a gateway sees exactly
 * what the grpc-js server said (go-livepeer's texts, the lpx-error-code
 * trailer, trailers-only refusals).
 */
import { connect, constants, type ClientHttp2Session, type ClientHttp2Stream, type Http2ServerRequest, type Http2ServerResponse, type IncomingHttpHeaders } from 'node:http2';
import { LPX_ERROR_CODE_TRAILER } from '../grpc/grpc-refusal.js';
import { networkErrors } from '../network-errors.js';
import { forwardableHeaders, GRPC_STATUS, trailersOnly } from './grpc-headers.js';

export interface ProxyLogger {
  warn(object: object, message: string): void;
  debug(object: object, message: string): void;
}

export interface GrpcProxyOptions {
  readonly target: { readonly host: string; readonly port: number };
  /** The largest header block accepted back from the backend. */
  readonly maxHeaderBytes: number;
  readonly logger?: ProxyLogger;
}

/** Per-session memory for header tables and buffered frames, in MB (Node's default of 10 is tight for 1 MiB headers). */
export const SESSION_MEMORY_MB = 64;

function authority(target: GrpcProxyOptions['target']): string {
  // IPv6 literals need brackets inside a URL.
  const host = target.host.includes(':') && !target.host.startsWith('[') ? `[${target.host}]` : target.host;
  return `http://${host}:${target.port}`;
}

export class GrpcProxy {
  readonly #options: GrpcProxyOptions;
  #session: ClientHttp2Session | undefined;
  #closed = false;

  constructor(options: GrpcProxyOptions) {
    this.#options = options;
  }

  /** Reuses the open session; a closed, failed or draining one is replaced on the next call. */
  #sessionFor(): ClientHttp2Session {
    const current = this.#session;
    if (current !== undefined && !current.closed && !current.destroyed) return current;
    const session = connect(authority(this.#options.target), {
      settings: { maxHeaderListSize: this.#options.maxHeaderBytes },
      maxSessionMemory: SESSION_MEMORY_MB,
    });
    const forget = (): void => {
      if (this.#session === session) this.#session = undefined;
    };
    // Without a listener a refused connection would crash the process; the streams on it fail on their own.
    session.on('error', (error: Error) => {
      this.#options.logger?.warn({ err: error, target: this.#options.target }, 'front door: gRPC backend session failed');
      forget();
    });
    session.on('goaway', forget);
    session.on('close', forget);
    this.#session = session;
    return session;
  }

  forward(req: Http2ServerRequest, res: Http2ServerResponse): void {
    if (this.#closed) return this.#unavailable(res, 'the front door is closing');
    let upstream: ClientHttp2Stream;
    try {
      upstream = this.#sessionFor().request(
        {
          ...forwardableHeaders(req.headers),
          ':method': req.method,
          ':path': req.url,
          ':authority': req.authority,
          // The backend sees a loopback peer; this header is the only place the real one survives.
          'x-forwarded-for': req.socket.remoteAddress ?? '',
        },
        { endStream: false },
      );
    } catch (error) {
      this.#options.logger?.warn({ err: error }, 'front door: cannot open a stream to the gRPC backend');
      return this.#unavailable(res, 'gRPC backend unavailable');
    }
    this.#pipe(req, res, upstream);
  }

  #pipe(req: Http2ServerRequest, res: Http2ServerResponse, upstream: ClientHttp2Stream): void {
    // Set once the response to the caller is complete (or abandoned); later events are echoes.
    let settled = false;

    // The caller went away (RST_STREAM, lost connection): cancel upstream so the handler sees CANCELLED.
    res.on('close', () => {
      if (settled) return;
      settled = true;
      if (!upstream.closed) upstream.close(constants.NGHTTP2_CANCEL);
    });
    req.pipe(upstream);

    upstream.on('response', (headers: IncomingHttpHeaders, flags: number) => {
      // A destroyed caller stream reports 'close' a tick later; nothing can be sent to it meanwhile.
      if (settled || res.stream.destroyed) return;
      const status = Number(headers[':status'] ?? 200);
      if ((flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0) {
        // Trailers-only: grpc-status rides in the one HEADERS frame, which must end the stream too.
        settled = true;
        res.stream.respond({ ...forwardableHeaders(headers), ':status': status }, { endStream: true });
        return;
      }
      res.writeHead(status, forwardableHeaders(headers));
      upstream.pipe(res, { end: false });
    });
    upstream.on('trailers', (trailers: IncomingHttpHeaders) => {
      if (!settled) res.addTrailers(forwardableHeaders(trailers));
    });
    upstream.on('end', () => {
      if (settled) return;
      settled = true;
      res.end();
    });
    upstream.on('error', (error: Error) => {
      this.#options.logger?.debug({ err: error, path: req.url }, 'front door: gRPC backend stream failed');
    });
    // Closed without a clean end: the backend reset the stream or the session died.
    upstream.on('close', () => {
      if (settled) return;
      settled = true;
      if (res.stream.destroyed) return;
      if (!res.headersSent) return this.#unavailable(res, 'gRPC backend unavailable');
      // Mid-response there is no status left to send; reset with the backend's code so the caller sees it fail.
      res.stream.close(upstream.rstCode && upstream.rstCode !== constants.NGHTTP2_NO_ERROR ? upstream.rstCode : constants.NGHTTP2_INTERNAL_ERROR);
    });
  }

  /** A trailers-only UNAVAILABLE, which gRPC clients treat as retryable and fail fast on. */
  #unavailable(res: Http2ServerResponse, message: string): void {
    if (res.stream.destroyed || res.stream.headersSent) return;
    res.stream.respond(trailersOnly(GRPC_STATUS.UNAVAILABLE, message, networkErrors.FRONT_DOOR_UPSTREAM.code, LPX_ERROR_CODE_TRAILER), { endStream: true });
  }

  /** Stops forwarding; in-flight streams get `graceMs` to finish before the session is destroyed. */
  async close(graceMs: number): Promise<void> {
    this.#closed = true;
    const session = this.#session;
    this.#session = undefined;
    if (session === undefined || session.destroyed) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => {
        session.destroy();
        done();
      }, graceMs);
      timer.unref();
      session.close(() => {
        clearTimeout(timer);
        done();
      });
    });
  }
}
