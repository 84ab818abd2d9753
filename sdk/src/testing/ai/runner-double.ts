import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isAIPipelineName, type AIPipelineName, type AIRunnerEndpoint } from '../../ai/pipelines.js';
import { llmStreamChunks, runnerAnswer, type DoubleRequest } from './runner-answers.js';

/** A fault the double plays instead of answering: an error status, a dropped connection, or a wait (for abort and timeout tests). */
export type RunnerFault =
  | { readonly kind: 'status'; readonly status: number; readonly body: unknown }
  | { readonly kind: 'reset' }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'body'; readonly contentType: string; readonly body: string };

export interface AIRunnerDoubleOptions {
  /** The model each pipeline is "loaded" with (ai-runner refuses another model_id with 400); default go-livepeer's gateway defaults. */
  readonly models?: Partial<Record<AIPipelineName, string>>;
  /** Bearer token required on every request when set (external runners). */
  readonly token?: string;
  /** Called per request; a fault replaces the normal answer. */
  readonly fault?: (pipeline: AIPipelineName, request: DoubleRequest) => RunnerFault | undefined;
}

export interface AIRunnerDouble {
  readonly endpoint: AIRunnerEndpoint;
  /** Every request it received, in order: pipeline, typed fields (multipart as strings) and file bytes. */
  readonly requests: { pipeline: AIPipelineName; request: DoubleRequest; authorization?: string }[];
  close(): Promise<void>;
}

const GATEWAY_DEFAULT_MODELS: Record<AIPipelineName, string> = {
  'text-to-image': 'stabilityai/sdxl-turbo',
  'image-to-image': 'stabilityai/sdxl-turbo',
  'image-to-video': 'stabilityai/stable-video-diffusion-img2vid-xt',
  upscale: 'stabilityai/stable-diffusion-x4-upscaler',
  'audio-to-text': 'openai/whisper-large-v3',
  'segment-anything-2': 'facebook/sam2-hiera-large',
  llm: 'meta-llama/llama-3.1-8B-Instruct',
  'image-to-text': 'Salesforce/blip-image-captioning-large',
  'text-to-speech': 'parler-tts/parler-tts-large-v1',
};

async function readRequest(req: IncomingMessage): Promise<DoubleRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://double/', { method: 'POST', headers: { 'content-type': type }, body }).formData();
    const fields: Record<string, unknown> = {};
    const files: Record<string, Uint8Array> = {};
    for (const [name, value] of form.entries()) {
      if (typeof value === 'string') fields[name] = value;
      else files[name] = new Uint8Array(await value.arrayBuffer());
    }
    return { fields, files };
  }
  return { fields: body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as Record<string, unknown>), files: {} };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * A TEST DOUBLE of an ai-runner container (the GPU boundary): an HTTP server
 * on 127.0.0.1 speaking the runner API for all nine batch pipelines —
 * `POST /<pipeline>` (JSON or multipart), `GET /health`, its error shapes
 * (`{detail:{msg}}`, 401 without the token, 400 for another model) and LLM
 * streaming as SSE. Answers are flat-colour images, silent audio and canned
 * text: it checks the protocol, not inference.
 */
export async function startAIRunnerDouble(options: AIRunnerDoubleOptions = {}): Promise<AIRunnerDouble> {
  const requests: AIRunnerDouble['requests'] = [];
  const sockets = new Set<Socket>();
  const stops = new Set<() => void>();
  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0]!.replace(/^\//, '');
      if (req.method === 'GET' && path === 'health') return send(res, 200, { status: 'IDLE' });
      if (req.method !== 'POST' || !isAIPipelineName(path)) return send(res, 404, { detail: 'Not Found' });
      const pipeline = path;
      const authorization = req.headers.authorization;
      if (options.token !== undefined && authorization !== `Bearer ${options.token}`) {
        return send(res, 401, { detail: { msg: 'Invalid bearer token.' } });
      }
      const request = await readRequest(req);
      requests.push({ pipeline, request, ...(authorization ? { authorization } : {}) });
      const fault = options.fault?.(pipeline, request);
      if (fault?.kind === 'reset') return req.socket.destroy();
      if (fault?.kind === 'status') return send(res, fault.status, fault.body);
      if (fault?.kind === 'body') {
        res.writeHead(200, { 'content-type': fault.contentType });
        return res.end(fault.body);
      }
      if (fault?.kind === 'delay') {
        // Ends early when the caller hangs up or the double closes: a long delay must not hold the test process open.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, fault.ms);
          const stop = (): void => {
            clearTimeout(timer);
            resolve();
          };
          res.once('close', stop);
          stops.add(stop);
        });
      }
      if (res.destroyed) return;
      const configured = options.models?.[pipeline] ?? GATEWAY_DEFAULT_MODELS[pipeline];
      const asked = request.fields[pipeline === 'llm' ? 'model' : 'model_id'];
      if (typeof asked === 'string' && asked !== '' && asked !== configured) {
        return send(res, 400, { detail: { msg: `Pipeline configured with ${configured} but called with ${asked}.` } });
      }
      if (pipeline === 'llm' && (request.fields['stream'] === true)) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const chunk of llmStreamChunks(configured)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        return res.end('data: [DONE]\n\n');
      }
      send(res, 200, runnerAnswer(pipeline, request, configured));
    })().catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { detail: { msg: error instanceof Error ? error.message : String(error) } });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: { baseUrl: `http://127.0.0.1:${port}`, ...(options.token ? { token: options.token } : {}) },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stop of stops) stop();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
