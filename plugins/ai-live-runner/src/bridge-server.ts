/**
 * The "runner" the Live Runner registry proxies a model's single-shot calls
 * to: a loopback HTTP server speaking the ai-runner API for each exposed
 * model at `http://127.0.0.1:<port>/<secret>/<model key>` — `GET /health`,
 * `POST /<pipeline>` — that hands the request to the kernel's AI dispatch
 * (coreServices.orchestratorWire.serveAI: the node's AI workers, local or
 * remote). The random path secret keeps other local processes from calling
 * around the payment (discovery never shows runner URLs); the Live Runner
 * proxy took the payment before a call reaches here. Refusals are coded
 * JSON (`error.{message,code}` and ai-runner's `detail.msg`) with the
 * code in `lpx-error-code`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors, isLpxError, type WireAIReply, type WireAIRequest } from '@lpx/sdk';

export interface BridgedModel {
  readonly pipeline: string;
  readonly modelId: string;
  readonly maxUnits?: bigint;
}

export interface BridgeServerDeps {
  serveAI(request: WireAIRequest): Promise<WireAIReply>;
  /** The largest body read (the kernel applies ai.limits on top). */
  readonly maxBodyBytes: number;
  onServed(event: { readonly model: BridgedModel; readonly outcome: 'ok' | 'refused' | 'failed'; readonly status: number; readonly error?: unknown }): void;
}

export const ERROR_CODE_HEADER = 'lpx-error-code';

function sendError(res: ServerResponse, error: unknown): number {
  const coded = isLpxError(error) ? error : errors.ai.RUNNER_FAILED.create(error instanceof Error ? error.message : String(error));
  // 499 (caller gone) has nobody to read it; the socket is usually closed already.
  const status = coded.status === 499 ? 503 : coded.status;
  if (!res.headersSent) {
    res.writeHead(status, { 'content-type': 'application/json', [ERROR_CODE_HEADER]: coded.code });
    res.end(JSON.stringify({ error: { message: coded.message, code: coded.code }, detail: { msg: coded.message } }));
  } else {
    res.destroy();
  }
  return status;
}

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > max) throw errors.ai.LIMIT_EXCEEDED.create(`the request body is over ${max} bytes`, { details: { limit: 'maxBodyBytes', max } });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export class BridgeServer {
  readonly #deps: BridgeServerDeps;
  readonly #secret = randomBytes(16).toString('hex');
  readonly #models = new Map<string, BridgedModel>();
  readonly #server: Server;
  #base = '';

  constructor(deps: BridgeServerDeps) {
    this.#deps = deps;
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#base = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/${this.#secret}`;
  }

  /** The runner URL of a model key (stable per key for the server's life). */
  urlFor(key: string): string {
    return `${this.#base}/${key}`;
  }

  set(key: string, model: BridgedModel): void {
    this.#models.set(key, model);
  }

  delete(key: string): void {
    this.#models.delete(key);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?', 1)[0]!;
    const parts = path.split('/').filter((p) => p !== '');
    const model = parts[0] === this.#secret ? this.#models.get(parts[1] ?? '') : undefined;
    if (model === undefined || parts.length !== 3) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
      return;
    }
    const route = parts[2]!;
    if (route === 'health' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"OK"}');
      return;
    }
    if (route !== model.pipeline || req.method !== 'POST') {
      res.writeHead(route === model.pipeline ? 405 : 404, { 'content-type': 'application/json' }).end(route === model.pipeline ? '{"detail":"Method Not Allowed"}' : '{"detail":"Not Found"}');
      return;
    }
    const caller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) caller.abort();
    });
    try {
      const body = await readBody(req, this.#deps.maxBodyBytes);
      const reply = await this.#deps.serveAI({
        pipeline: model.pipeline,
        contentType: String(req.headers['content-type'] ?? ''),
        body,
        modelId: model.modelId,
        ...(model.maxUnits !== undefined ? { maxUnits: model.maxUnits } : {}),
        signal: caller.signal,
      });
      if (reply.kind === 'json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply.json));
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        for await (const event of reply.events) {
          if (res.destroyed) break;
          res.write(`data: ${JSON.stringify(event)}\n\n`);
        }
        res.end();
      }
      this.#deps.onServed({ model, outcome: 'ok', status: 200 });
    } catch (error) {
      const status = sendError(res, error);
      this.#deps.onServed({ model, outcome: status < 500 ? 'refused' : 'failed', status, error });
    }
  }
}
