import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors, type AIPipeline, type AIPipelineRequest, type AIRunnerEndpoint } from '@lpx/sdk';

/**
 * A runner peer over HTTP for tests: speaks ai-runner's /health, /version,
 * /hardware/info and `POST /<pipeline>`, with its answers set by the test.
 * It stands for an external runner URL (a real peer on a socket), not for Docker.
 */
export interface RunnerPeer {
  readonly url: string;
  status: 'OK' | 'IDLE' | 'LOADING' | 'ERROR' | 'down' | 'hang';
  version?: string;
  /** Answers to POST /<pipeline>; default: 200 {"ok": true, "model": ...}. */
  onRequest?: (req: IncomingMessage, body: string, res: ServerResponse) => void;
  readonly seen: { path: string; authorization?: string }[];
  close(): Promise<void>;
}

export async function startRunnerPeer(t: { teardown(fn: () => unknown): void }, token?: string): Promise<RunnerPeer> {
  const hanging = new Set<ServerResponse>();
  const peer: RunnerPeer = {
    url: '',
    status: 'IDLE',
    seen: [],
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      peer.seen.push({ path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      if (token && req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: { msg: 'Invalid bearer token' } }));
        return;
      }
      if (req.url === '/health') {
        if (peer.status === 'down') return void res.writeHead(503).end('down');
        if (peer.status === 'hang') return void hanging.add(res);
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: peer.status }));
      }
      if (req.url === '/version') {
        if (!peer.version) return void res.writeHead(404).end();
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pipeline: 'llm', model_id: 'm', version: peer.version }));
      }
      if (req.url === '/hardware/info') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pipeline: 'llm', model_id: 'm', gpu_info: {} }));
      if (peer.onRequest) return peer.onRequest(req, body, res);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, path: req.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  (peer as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.teardown(() => peer.close());
  return peer;
}

/**
 * A minimal JSON pipeline for executor tests: POSTs the request body to the
 * runner and returns its JSON; a connection failure or 5xx is RUNNER_FAILED,
 * as the real pipelines report it.
 */
export function jsonPipeline(name: AIPipelineRequest['pipeline'], hold?: () => Promise<void>): AIPipeline {
  return {
    name,
    livepeerCapability: 0,
    bodyKind: 'json',
    defaultModel: 'm',
    unit: 'request',
    validate: () => Promise.reject(new Error('not used')),
    units: () => 1n,
    async run(request: AIPipelineRequest, runner: AIRunnerEndpoint, signal: AbortSignal) {
      await hold?.();
      let response: Response;
      try {
        response = await fetch(`${runner.baseUrl}/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(runner.token ? { authorization: `Bearer ${runner.token}` } : {}) },
          body: JSON.stringify(request.body.kind === 'json' ? request.body.json : {}),
          signal,
        });
      } catch (error) {
        if (signal.aborted) throw error;
        throw errors.ai.RUNNER_FAILED.create(`runner unreachable: ${(error as Error).message}`, { cause: error });
      }
      const text = await response.text();
      if (response.status >= 500) throw errors.ai.RUNNER_FAILED.create(`runner answered ${response.status}: ${text}`);
      if (response.status >= 400) throw errors.ai.REQUEST_INVALID.create(`runner refused the request: ${text}`);
      return { kind: 'json', json: JSON.parse(text) as unknown, files: [] };
    },
  };
}

export function requestFor(pipeline: AIPipelineRequest['pipeline'], modelId: string, json: Record<string, unknown> = {}): AIPipelineRequest {
  return { pipeline, modelId, body: { kind: 'json', json }, stream: false, measures: {} };
}
