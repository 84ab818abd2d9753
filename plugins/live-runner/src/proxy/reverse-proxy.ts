/**
 * The Live Runner reverse proxy: method, query, headers and a streaming body
 * both ways (SSE included), the app path appended to the target's path, the
 * Host set to the target's, and the four Livepeer session headers injected
 * (go-livepeer's proxyLiveRunner). Requests may arrive over HTTP/1.1 or
 * HTTP/2 on the front door; runners are spoken to over HTTP/1.1. A
 * session's abort signal cuts the proxied request when it is released.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Readable } from 'node:stream';

/** Hop-by-hop headers (RFC 9110 §7.6.1) and what HTTP/2 forbids: never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'http2-settings']);

export interface ProxyTarget {
  /** The runner (or explicit proxy) base URL. */
  readonly base: string;
  /** The client's path after `/app/` (or after the proxy id). */
  readonly appPath: string;
  /** The raw query string, without `?` ('' for none). */
  readonly query: string;
  /** Livepeer-Runner-Route, -Session-Id, -Session-Token, -Session-Control. */
  readonly inject: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

/** The target URL: base path joined with the app path and cleaned (Go's url.JoinPath), query preserved. */
export function targetUrl(target: ProxyTarget): URL {
  const url = new URL(target.base);
  const segments: string[] = [];
  for (const part of `${url.pathname}/${target.appPath}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') segments.pop();
    else segments.push(part);
  }
  const trailing = target.appPath.endsWith('/') && segments.length > 0 ? '/' : '';
  url.pathname = `/${segments.join('/')}${trailing}`;
  url.search = target.query === '' ? '' : `?${target.query}`;
  return url;
}

export function forwardHeaders(headers: IncomingHttpHeaders, url: URL, inject: Readonly<Record<string, string>>, keepUpgrade = false): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    if (HOP_BY_HOP.has(name) && !(keepUpgrade && (name === 'upgrade' || name === 'connection'))) continue;
    out[name] = value;
  }
  out['host'] = url.host;
  for (const [name, value] of Object.entries(inject)) out[name.toLowerCase()] = value;
  return out;
}

function responseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
  return out;
}

type AnyRequest = (IncomingMessage | Http2ServerRequest) & Readable;

/** Nagle off on an HTTP/1.1 client's socket (an HTTP/2 stream's socket is the session's, left as the door set it). */
export function noDelay(req: IncomingMessage | Http2ServerRequest): void {
  if ((req as Http2ServerRequest).stream === undefined) (req as IncomingMessage).socket?.setNoDelay?.(true);
}
type AnyResponse = ServerResponse | Http2ServerResponse;

function cut(response: AnyResponse): void {
  const r = response as ServerResponse & { stream?: { close(code?: number): void } };
  if (r.stream !== undefined) r.stream.close();
  else r.destroy();
}

/**
 * Forwards one request and streams the answer back. `onUpstreamError` answers
 * (502) when nothing was sent yet; afterwards the client connection is cut.
 */
export function proxyHttp(
  req: AnyRequest,
  res: AnyResponse,
  target: ProxyTarget,
  onUpstreamError: (error: Error) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const url = targetUrl(target);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(url, { method: req.method ?? 'GET', headers: forwardHeaders(req.headers, url, target.inject) });
    // Headers are flushed ahead of the body (SSE): with Nagle on, the body's first write waits for the
    // client's delayed ACK of the headers (~40 ms a response on HTTP/1.1, every realtime event late).
    noDelay(req);
    upstream.setNoDelay(true);
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      target.signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = (): void => {
      upstream.destroy();
      cut(res);
      done();
    };
    if (target.signal.aborted) return onAbort();
    target.signal.addEventListener('abort', onAbort, { once: true });

    upstream.on('response', (answer) => {
      (res as ServerResponse).writeHead(answer.statusCode ?? 502, responseHeaders(answer.headers));
      // SSE and other streams: every chunk goes out as it arrives.
      (res as ServerResponse).flushHeaders?.();
      // Piped, not written chunk by chunk: a client that reads slowly slows the runner down
      // instead of the proxy buffering the whole answer in memory.
      answer.pipe(res as ServerResponse);
      answer.on('end', done);
      answer.on('error', () => {
        cut(res);
        done();
      });
    });
    upstream.on('error', (error) => {
      if (finished) return;
      if (!(res as ServerResponse).headersSent) onUpstreamError(error);
      else cut(res);
      done();
    });
    // The client went away: stop talking to the runner.
    res.on('close', () => {
      if (!finished) {
        upstream.destroy();
        done();
      }
    });
    req.pipe(upstream);
  });
}
