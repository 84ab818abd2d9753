// A BYOC stream app as a partner would write one (a real HTTP server, an
// external worker of the orchestrator under test): /stream/start subscribes
// to the input channel it is given and, for every input segment, publishes
// the segment upper-cased on the output channel and a JSON line on the data
// channel, with @lpx/sdk/trickle-kit over the node's TLS door. /stream/params
// and /stream/stop are recorded; `/broken/stream/start` refuses with 503.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TrickleSubscriber, writeSegment } from '@lpx/sdk/trickle-kit';

const insecure = { insecure: true } as const;

export interface AppCall {
  readonly path: string;
  readonly streamId: string | undefined;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly body: string;
}

export interface StreamApp {
  readonly url: string;
  readonly calls: AppCall[];
  /** Resolves with the first call to `path` for `streamId` (already made or still to come). */
  next(path: string, streamId: string): Promise<AppCall>;
  close(): Promise<void>;
}

/** The worker side of one stream: input segments out again, upper-cased, plus a data line each. */
async function relay(start: Record<string, unknown>, signal: AbortSignal): Promise<void> {
  const input = new TrickleSubscriber(String(start['subscribe_url']), { ...insecure, signal });
  try {
    for (;;) {
      const segment = await input.read();
      if (segment === undefined) return;
      const text = (await segment.bytes()).toString('utf8');
      await writeSegment(String(start['publish_url']), text.toUpperCase(), { ...insecure, mimeType: 'video/MP2T' });
      await writeSegment(String(start['data_url']), `${JSON.stringify({ seq: segment.seq, bytes: text.length })}\n`, insecure);
    }
  } catch {
    // The channels were removed (stream stopped) or the test ended.
  } finally {
    await input.close();
  }
}

export async function startStreamApp(): Promise<StreamApp> {
  const calls: AppCall[] = [];
  const waiters: { path: string; streamId: string; resolve: (call: AppCall) => void }[] = [];
  const stop = new AbortController();
  const header = (req: IncomingMessage, name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const call: AppCall = { path: req.url ?? '', streamId: header(req, 'x-stream-id'), contentType: header(req, 'content-type'), authorization: header(req, 'authorization'), body: Buffer.concat(chunks).toString('utf8') };
      calls.push(call);
      for (const waiter of waiters.filter((w) => w.path === call.path && w.streamId === call.streamId)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(call);
      }
      if (call.path === '/broken/stream/start') {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('no gpu free');
        return;
      }
      if (call.path === '/stream/start') {
        const start = JSON.parse(call.body) as Record<string, unknown>;
        if (start['subscribe_url'] !== undefined) void relay(start, stop.signal);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"started":true}');
        return;
      }
      if (call.path === '/stream/params') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ applied: JSON.parse(call.body) as unknown }));
        return;
      }
      if (call.path === '/stream/stop') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('stopped');
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    next(path, streamId) {
      const made = calls.find((call) => call.path === path && call.streamId === streamId);
      if (made !== undefined) return Promise.resolve(made);
      return new Promise((resolve) => waiters.push({ path, streamId, resolve }));
    },
    async close() {
      stop.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
