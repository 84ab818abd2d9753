// An in-test AI runner speaking the ai-runner HTTP API on loopback — the
// boundary we cannot run here (a GPU container) — with switchable failure
// modes: a runner error, a hang, a connection that dies mid-request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RunnerBehavior = 'ok' | 'fail' | 'hang' | 'die' | 'die-mid-stream';

/** A valid 1×1 PNG header is enough for the pipelines under test: they only read IHDR. */
export function pngOf(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const chunk = Buffer.concat([Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR'), ihdr, Buffer.alloc(4)]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk, Buffer.from('IEND-test-bytes')]);
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export interface TestRunner {
  readonly baseUrl: string;
  behavior: RunnerBehavior;
  /** Requests received, by path. */
  readonly calls: string[];
  /** Resolved when a hung request's connection closes (the worker gave up). */
  readonly hung: Set<ServerResponse>;
  close(): Promise<void>;
}

export async function startTestRunner(): Promise<TestRunner> {
  const runner = { behavior: 'ok' as RunnerBehavior, calls: [] as string[], hung: new Set<ServerResponse>() };
  const server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    runner.calls.push(req.url ?? '');
    if (runner.behavior === 'fail') {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: { msg: 'CUDA out of memory (test)' } }));
      return;
    }
    if (runner.behavior === 'hang') {
      runner.hung.add(res);
      res.on('close', () => runner.hung.delete(res));
      return;
    }
    if (runner.behavior === 'die') {
      req.socket.destroy();
      return;
    }
    if (req.url === '/text-to-image') {
      const json = JSON.parse(body.toString('utf8')) as { num_images_per_prompt?: number; width?: number; height?: number; seed?: number };
      const n = json.num_images_per_prompt ?? 1;
      const images = Array.from({ length: n }, (_, i) => ({ url: `data:image/png;base64,${pngOf(json.width ?? 512, json.height ?? 512).toString('base64')}`, seed: (json.seed ?? 7) + i, nsfw: false }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ images }));
      return;
    }
    if (req.url === '/upscale') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ images: [{ url: `data:image/png;base64,${pngOf(4, 4).toString('base64')}`, seed: 1, nsfw: false }] }));
      return;
    }
    if (req.url === '/llm') {
      const json = JSON.parse(body.toString('utf8')) as { stream?: boolean; model?: string };
      const words = ['hello', ' from', ' lpx'];
      if (json.stream !== true) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({ id: 'chatcmpl-test', model: json.model, created: 1, choices: [{ index: 0, message: { role: 'assistant', content: words.join('') }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 } }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const [i, word] of words.entries()) {
        if (runner.behavior === 'die-mid-stream' && i === 2) {
          req.socket.destroy();
          return;
        }
        res.write(`data: ${JSON.stringify({ id: 'chatcmpl-test', model: json.model, created: 1, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] })}\n\n`);
        await new Promise((r) => setTimeout(r, 5));
      }
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-test', model: json.model, created: 1, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(runner, {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const res of runner.hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
