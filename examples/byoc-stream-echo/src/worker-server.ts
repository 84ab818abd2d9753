/**
 * The worker's HTTP side, the contract an orchestrator's byoc-stream calls
 * (docs/partner-guide.md §8, go-livepeer's external worker routes):
 *   POST /stream/start   X-Stream-Id, JSON: the client's params + channel URLs → start relaying, 200
 *   POST /stream/params  the gateway's JSON → used from the next segment on, 200 with what was applied
 *   POST /stream/stop    the reason → stop relaying, 200
 *   GET  /health         200
 * With a token, every call must carry `Authorization: Bearer <token>` (the
 * orchestrator sends the token the worker registered with).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamRelay, type StreamChannels } from './stream-relay.js';

export interface WorkerServerOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** Concurrent streams; more are refused with 503 (the orchestrator keeps its own count too). */
  readonly capacity: number;
  readonly log: (line: string) => void;
}

export interface WorkerServer {
  readonly url: string;
  readonly streams: ReadonlyMap<string, StreamRelay>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' }).end(text);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function optionalUrl(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export async function startWorkerServer(options: WorkerServerOptions): Promise<WorkerServer> {
  const streams = new Map<string, StreamRelay>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') return send(res, 200, { status: 'OK', streams: streams.size });
    if (options.token !== '' && req.headers.authorization !== `Bearer ${options.token}`) return send(res, 401, 'unauthorized');
    if (req.method !== 'POST') return send(res, 404, 'not found');
    const body = await readBody(req);
    const id = String(req.headers['x-stream-id'] ?? '');
    if (path === '/stream/start') {
      const start = parseJson(body);
      if (start === undefined || id === '') return send(res, 400, 'a JSON object body and X-Stream-Id are required');
      if (streams.has(id)) return send(res, 409, `stream ${id} is running`);
      if (streams.size >= options.capacity) return send(res, 503, 'all stream slots are busy');
      const channels: StreamChannels = {
        ...(optionalUrl(start['subscribe_url']) !== undefined ? { subscribe_url: optionalUrl(start['subscribe_url'])! } : {}),
        ...(optionalUrl(start['publish_url']) !== undefined ? { publish_url: optionalUrl(start['publish_url'])! } : {}),
        ...(optionalUrl(start['data_url']) !== undefined ? { data_url: optionalUrl(start['data_url'])! } : {}),
      };
      const relay = new StreamRelay(id, channels, start['params'] ?? {}, options.log);
      streams.set(id, relay);
      void relay.done.finally(() => {
        if (streams.get(id) === relay) streams.delete(id);
      });
      options.log(`stream ${id} started (input ${channels.subscribe_url !== undefined ? 'on' : 'off'}, output ${channels.publish_url !== undefined ? 'on' : 'off'}, data ${channels.data_url !== undefined ? 'on' : 'off'})`);
      return send(res, 200, { started: id });
    }
    const relay = streams.get(id);
    if (path === '/stream/params') {
      const params = parseJson(body);
      if (params === undefined) return send(res, 400, 'params must be a JSON object');
      if (relay === undefined) return send(res, 404, `no stream ${id}`);
      relay.params = params;
      options.log(`stream ${id} params ${JSON.stringify(params)}`);
      return send(res, 200, { applied: params });
    }
    if (path === '/stream/stop') {
      if (relay !== undefined) {
        streams.delete(id);
        await relay.stop();
        options.log(`stream ${id} stopped after ${relay.segments} segment(s): ${body.slice(0, 200)}`);
      }
      return send(res, 200, { stopped: id });
    }
    return send(res, 404, 'not found');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, (error as Error).message);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${address.port}`,
    streams,
    async close() {
      await Promise.all([...streams.values()].map((relay) => relay.stop()));
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
