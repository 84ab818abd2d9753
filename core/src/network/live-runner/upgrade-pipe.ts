/**
 * A WebSocket (any HTTP/1.1 Upgrade) relayed byte for byte: the client's
 * upgrade request is re-sent to `target` with its own headers (minus the
 * ones `keep` drops), and from then on the two sockets are piped both ways,
 * the upstream's `101 Switching Protocols` (or refusal) included. go-livepeer's
 * reverse proxy preserves upgrades the same way.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';

/** Headers the upstream must not see or that are rewritten for it. */
const REWRITTEN = new Set(['host', 'content-length']);

export function pipeUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, target: URL, keep: (name: string) => boolean = () => true): void {
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const upstream: Socket =
    target.protocol === 'https:'
      ? tlsConnect({ host: target.hostname, port, servername: target.hostname, rejectUnauthorized: false })
      : netConnect(port, target.hostname);
  const fail = (): void => {
    upstream.destroy();
    socket.destroy();
  };
  upstream.on('error', fail);
  socket.on('error', fail);
  upstream.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
    const lines = [`${request.method ?? 'GET'} ${target.pathname}${target.search} HTTP/1.1`, `host: ${target.host}`];
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      const name = request.rawHeaders[i]!;
      if (REWRITTEN.has(name.toLowerCase()) || !keep(name.toLowerCase())) continue;
      lines.push(`${name}: ${request.rawHeaders[i + 1]!}`);
    }
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
}

/** Answers an upgrade request with a plain HTTP status and body, and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, body: string, contentType = 'text/plain; charset=utf-8', extra: Record<string, string> = {}): void {
  const headers = Object.entries({ 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)), connection: 'close', ...extra })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${headers}\r\n\r\n${body}`);
}
