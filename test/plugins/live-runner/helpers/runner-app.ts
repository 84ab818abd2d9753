// A real Live Runner application for the tests: a plain node:http server
// with a health route, an echo route that reports what reached it (method,
// path, query, headers, body), an SSE route, a WebSocket echo route, and a
// route whose answer never ends (to see a released session cut it).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { acceptKey, encodeFrame, FrameReader } from './websocket.js';

export interface RunnerApp {
  readonly url: string;
  readonly port: number;
  /** What /health answers with. */
  healthStatus: number;
  /** Headers of every request that reached the app, in order. */
  readonly seen: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  /** Open /hang responses and WebSockets, closed when the proxy cuts them. */
  readonly open: Set<Duplex | IncomingMessage>;
  close(): Promise<void>;
}

export async function startRunnerApp(): Promise<RunnerApp> {
  const seen: RunnerApp['seen'] = [];
  const open = new Set<Duplex | IncomingMessage>();
  const app = { healthStatus: 200 } as { healthStatus: number };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://runner');
    if (url.pathname === '/health') {
      res.writeHead(app.healthStatus).end();
      return;
    }
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (url.pathname.endsWith('/events')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      let n = 0;
      const tick = setInterval(() => {
        n += 1;
        res.write(`data: ${JSON.stringify({ n })}\n\n`);
        if (n === 3) {
          clearInterval(tick);
          res.end();
        }
      }, 20);
      return;
    }
    if (url.pathname.endsWith('/hang')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('started\n');
      open.add(req);
      req.socket.on('close', () => open.delete(req));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.writeHead(url.pathname.endsWith('/teapot') ? 418 : 200, { 'content-type': 'application/json', 'x-runner': 'yes' });
      res.end(JSON.stringify({ method: req.method, path: url.pathname, query: url.search, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const key = req.headers['sec-websocket-key'];
    if (typeof key !== 'string') {
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`);
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
    const frames = new FrameReader(socket, head);
    // Greets with the session id the orchestrator injected, then echoes.
    socket.write(encodeFrame(`hello ${String(req.headers['livepeer-session-id'])}`, false));
    void (async () => {
      for (;;) {
        const message = await frames.next();
        if (message === undefined) return;
        socket.write(encodeFrame(`echo ${message}`, false));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(app, {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    open,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) (s as Duplex).destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as RunnerApp;
}
