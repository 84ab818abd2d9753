// The plugin's trickle server on a plain node:http server (no kernel, no
// TLS): the protocol handler is the same one the front door mounts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Test } from 'tap';
import { TRICKLE_HTTP_PATH } from '@lpx/sdk/trickle-kit';
import { handleTrickle, TrickleServer, type HandlerOptions, type TrickleServerOptions } from '../../src/index.js';

export interface PlainTrickle {
  readonly server: TrickleServer;
  /** `http://127.0.0.1:port/ai/trickle/` */
  readonly base: string;
  url(name: string): string;
  /** Subscribers streaming or waiting right now. */
  subscribers(): number;
  /** Requests seen so far, by method. */
  readonly requests: Record<string, number>;
}

export async function startPlainTrickle(t: Test, options: TrickleServerOptions & HandlerOptions = {}): Promise<PlainTrickle> {
  let subscribers = 0;
  const requests: Record<string, number> = {};
  const server = new TrickleServer(options, { onSubscribers: (delta) => (subscribers += delta) });
  const http = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests[req.method ?? '?'] = (requests[req.method ?? '?'] ?? 0) + 1;
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (!path.startsWith(TRICKLE_HTTP_PATH)) {
      res.writeHead(404).end();
      return;
    }
    void handleTrickle(server, req, res, path.slice(TRICKLE_HTTP_PATH.length), options);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}${TRICKLE_HTTP_PATH}`;
  t.teardown(async () => {
    server.stop();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });
  return { server, base, url: (name) => `${base}${name}`, subscribers: () => subscribers, requests };
}

/** Polls until `check` holds (for states another connection reaches asynchronously). */
export async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
