/**
 * WebSocket (and any HTTP/1.1 Upgrade) through the proxy: the upgrade
 * request goes to the runner with the session headers injected; on its 101
 * the two raw sockets are piped to each other until either side closes or
 * the session is released. Frames are not parsed: the runner and the client
 * speak WebSocket to each other.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { forwardHeaders, targetUrl, type ProxyTarget } from './reverse-proxy.js';

function statusLine(status: number, message: string | undefined): string {
  return `HTTP/1.1 ${status} ${message ?? ''}\r\n`;
}

function rawHeaderLines(raw: readonly string[]): string {
  let out = '';
  for (let i = 0; i + 1 < raw.length; i += 2) out += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return out;
}

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  socket.end(`${statusLine(status, '')}content-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

export function proxyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: ProxyTarget, onClose: () => void): void {
  const url = targetUrl(target);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(url, { method: req.method ?? 'GET', headers: forwardHeaders(req.headers, url, target.inject, true) });
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    target.signal.removeEventListener('abort', close);
    upstream.destroy();
    socket.destroy();
    onClose();
  };
  if (target.signal.aborted) return close();
  target.signal.addEventListener('abort', close, { once: true });
  socket.on('error', close);
  socket.on('close', close);

  upstream.on('upgrade', (answer, runnerSocket, runnerHead) => {
    socket.write(statusLine(101, answer.statusMessage) + rawHeaderLines(answer.rawHeaders) + '\r\n');
    if (runnerHead.length > 0) socket.write(runnerHead);
    if (head.length > 0) runnerSocket.write(head);
    // Realtime frames, often small: none waits for the other side's delayed ACK (Nagle).
    (socket as Duplex & { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    runnerSocket.setNoDelay(true);
    runnerSocket.on('error', close);
    runnerSocket.on('close', close);
    runnerSocket.pipe(socket);
    socket.pipe(runnerSocket);
  });
  upstream.on('response', (answer) => {
    // The runner refused the upgrade: relay its answer as is.
    const kept: string[] = [];
    for (let i = 0; i + 1 < answer.rawHeaders.length; i += 2) {
      const name = answer.rawHeaders[i]!.toLowerCase();
      if (name !== 'transfer-encoding' && name !== 'connection' && name !== 'content-length') kept.push(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
    }
    // The body is relayed decoded and the connection closes after it: no length framing needed.
    socket.write(statusLine(answer.statusCode ?? 502, answer.statusMessage) + rawHeaderLines(kept) + 'connection: close\r\n\r\n');
    answer.pipe(socket);
    answer.on('end', close);
  });
  upstream.on('error', (error) => {
    if (!closed) refuseUpgrade(socket, 502, error.message);
    close();
  });
  upstream.end();
}
