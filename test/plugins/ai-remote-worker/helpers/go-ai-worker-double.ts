// A stand-in for a go-livepeer remote AI worker (`livepeer -aiWorker -orchAddr
// <O> -orchSecret <s>`), which cannot run here (it needs GPUs and ai-runner
// containers). It speaks the worker side of the protocol from go-livepeer's
// server/ai_worker.go with its own .proto and no lpx code: a server-streaming
// RegisterAIWorker call over TLS without certificate checks, NotifyAIJob
// handling (input download from input_url), and results POSTed to /aiResults
// over HTTP/2 with the same headers and bodies: multipart/mixed (file parts,
// then the JSON part naming them), text/event-stream, livepeer/ai-worker-error.
import { randomBytes } from 'node:crypto';
import { connect, type ClientHttp2Session, type OutgoingHttpHeaders } from 'node:http2';
import { fileURLToPath } from 'node:url';
import { Client, credentials, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import protobuf from 'protobufjs';

const root = protobuf.loadSync(fileURLToPath(new URL('./go-ai-worker-double.proto', import.meta.url)));
const RegisterAIWorkerRequest = root.lookupType('net.RegisterAIWorkerRequest');
const NotifyAIJob = root.lookupType('net.NotifyAIJob');

/** go-livepeer's capability ids for the pipelines the double serves. */
export const GO_AI_CAPABILITY: Readonly<Record<string, number>> = { 'text-to-image': 27, 'image-to-image': 28, llm: 33, 'text-to-speech': 36 };
export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export type AIWorkerBehavior = 'answer' | 'error' | 'hang' | 'disconnect';

export interface DoubleModel {
  readonly pipeline: string;
  readonly modelId: string;
  readonly capacity: number;
}

export interface GoAIWorkerDoubleOptions {
  /** host:port of the orchestrator (go-livepeer's -orchAddr). */
  readonly orchAddr: string;
  readonly secret: string;
  /** Omit to register as a legacy worker that sends no capabilities at all. */
  readonly models?: readonly DoubleModel[];
  readonly version?: string;
  readonly behavior?: AIWorkerBehavior;
}

export interface ReceivedJob {
  readonly taskId: string;
  readonly pipeline: string;
  readonly inputUrl: string;
  readonly request: Record<string, unknown>;
  readonly input?: Buffer;
}

export interface PostAnswer {
  readonly taskId: string;
  readonly status: number;
  readonly body: string;
}

/** The bytes the double "renders" for a job: deterministic, and carrying the downloaded input. */
export function renderedImage(job: ReceivedJob): Buffer {
  return Buffer.concat([PNG_MAGIC, Buffer.from(`${job.pipeline}|${String(job.request['prompt'] ?? '')}|`), job.input ?? Buffer.alloc(0)]);
}

export function llmChunks(job: ReceivedJob): Record<string, unknown>[] {
  const words = ['Hello', ' from', ' the', ' worker'];
  return words.map((word, index) => ({
    id: `chat-${job.taskId}`,
    model: job.request['model'],
    choices: [{ index: 0, delta: { content: word }, finish_reason: index === words.length - 1 ? 'stop' : '' }],
  }));
}

function capabilitiesMessage(models: readonly DoubleModel[], version: string): Record<string, unknown> {
  const perCapability: Record<number, { models: Record<string, unknown> }> = {};
  let word = 0n;
  for (const model of models) {
    const id = GO_AI_CAPABILITY[model.pipeline]!;
    word |= 1n << BigInt(id);
    perCapability[id] ??= { models: {} };
    perCapability[id].models[model.modelId] = { warm: true, capacity: model.capacity, runnerVersion: '0.14.0' };
  }
  return { bitstring: [word.toString()], version, constraints: { PerCapability: perCapability } };
}

export class GoAIWorkerDouble {
  behavior: AIWorkerBehavior;
  errorText = 'error running pipeline: CUDA out of memory';
  readonly jobs: ReceivedJob[] = [];
  readonly posts: PostAnswer[] = [];
  /** Resolves with the final gRPC status of the registration call. */
  readonly ended: Promise<{ code: number; details: string }>;
  private readonly client: Client;
  private readonly call: ClientReadableStream<Record<string, unknown>>;
  private readonly h2: ClientHttp2Session;
  private readonly waiters: ((job: ReceivedJob) => void)[] = [];
  private readonly untaken: ReceivedJob[] = [];
  private readonly work: Promise<void>[] = [];

  constructor(private readonly options: GoAIWorkerDoubleOptions) {
    this.behavior = options.behavior ?? 'answer';
    const tls = credentials.createSsl(null, null, null, { rejectUnauthorized: false, checkServerIdentity: () => undefined });
    this.client = new Client(options.orchAddr, tls);
    this.h2 = connect(`https://${options.orchAddr}`, { rejectUnauthorized: false });
    this.h2.on('error', () => undefined);
    const hardware = (options.models ?? []).map((model) => ({
      pipeline: model.pipeline,
      modelId: model.modelId,
      gpuInfo: { '0': { id: 'GPU-0', name: 'NVIDIA GeForce RTX 4090', major: 8, minor: 9, memoryFree: '20000000000', memoryTotal: '25769803776' } },
    }));
    const request: Record<string, unknown> = { secret: options.secret, hardware };
    if (options.models !== undefined) request['capabilities'] = capabilitiesMessage(options.models, options.version ?? '0.8.9');
    this.call = this.client.makeServerStreamRequest(
      '/net.AIWorker/RegisterAIWorker',
      (value: Record<string, unknown>) => Buffer.from(RegisterAIWorkerRequest.encode(RegisterAIWorkerRequest.fromObject(value)).finish()),
      (bytes: Buffer) => NotifyAIJob.toObject(NotifyAIJob.decode(bytes), { longs: String, bytes: Buffer }) as Record<string, unknown>,
      request,
    );
    this.ended = new Promise((resolve) => {
      this.call.on('status', (status: { code: number; details: string }) => resolve({ code: status.code, details: status.details }));
    });
    this.call.on('error', (_error: ServiceError) => undefined);
    this.call.on('data', (notify: Record<string, unknown>) => this.work.push(this.onJob(notify)));
  }

  /** The next job the orchestrator sends (or one already received and not yet taken). */
  nextJob(): Promise<ReceivedJob> {
    const ready = this.untaken.shift();
    return ready !== undefined ? Promise.resolve(ready) : new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drops the registration call, as a worker process dying would. */
  disconnect(): void {
    this.call.cancel();
  }

  async close(): Promise<void> {
    this.call.cancel();
    await Promise.allSettled(this.work);
    this.client.close();
    await new Promise<void>((resolve) => this.h2.close(() => resolve()));
  }

  private async onJob(notify: Record<string, unknown>): Promise<void> {
    const data = notify['AIJobData'] as { pipeline: string; requestData: Buffer };
    // proto3 leaves a zero task id off the wire; Go reads the absent field as 0.
    const taskId = String(notify['taskId'] ?? '0');
    const parsed = JSON.parse(data.requestData.toString('utf8')) as { input_url: string; request: Record<string, unknown> };
    const input = parsed.input_url !== '' ? await this.download(parsed.input_url) : undefined;
    const job: ReceivedJob = { taskId, pipeline: data.pipeline, inputUrl: parsed.input_url, request: parsed.request, ...(input !== undefined ? { input } : {}) };
    this.jobs.push(job);
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter(job);
    else this.untaken.push(job);
    switch (this.behavior) {
      case 'hang':
        return;
      case 'disconnect':
        this.disconnect();
        return;
      case 'error':
        await this.post(job, 'livepeer/ai-worker-error', [Buffer.from(this.errorText)]);
        return;
      case 'answer':
        await this.answer(job);
    }
  }

  private async answer(job: ReceivedJob): Promise<void> {
    if (job.pipeline === 'llm' && job.request['stream'] === true) {
      const lines = llmChunks(job).map((chunk) => Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`));
      await this.post(job, 'text/event-stream', lines);
      return;
    }
    const files: { name: string; type: string; body: Buffer }[] = [];
    let json: unknown;
    if (job.pipeline === 'llm') {
      json = { choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the worker' }, finish_reason: 'stop' }], tokens_used: 4 };
    } else if (job.pipeline === 'text-to-speech') {
      files.push({ name: `${randomBytes(4).toString('hex')}.wav`, type: 'audio/wav', body: Buffer.from(`RIFF|${String(job.request['text'])}`) });
      json = { audio: { url: files[0]!.name } };
    } else {
      const count = Number(job.request['num_images_per_prompt'] ?? 1);
      const images = [];
      for (let i = 0; i < count; i++) {
        const name = `${randomBytes(4).toString('hex')}.png`;
        files.push({ name, type: 'image/png', body: renderedImage(job) });
        images.push({ url: name, seed: Number(job.request['seed'] ?? 42) + i, nsfw: false });
      }
      json = { images };
    }
    // go-livepeer writes the file parts first, then the JSON part.
    const boundary = randomBytes(30).toString('hex');
    const chunks: Buffer[] = [];
    const part = (headers: string[], body: Buffer): void => {
      chunks.push(Buffer.from(`${chunks.length === 0 ? '' : '\r\n'}--${boundary}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`), body);
    };
    for (const file of files) part([`Content-Disposition: attachment; filename=${file.name}`, `Content-Length: ${file.body.length}`, `Content-Type: ${file.type}`], file.body);
    const jsonBody = Buffer.from(JSON.stringify(json));
    part([`Content-Length: ${jsonBody.length}`, 'Content-Type: application/json'], jsonBody);
    chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
    await this.post(job, `multipart/mixed; boundary=${boundary}`, [Buffer.concat(chunks)]);
  }

  private download(url: string): Promise<Buffer> {
    const { pathname, search } = new URL(url);
    return new Promise((resolve, reject) => {
      const req = this.h2.request({ ':method': 'GET', ':path': pathname + search });
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
      req.end();
    });
  }

  /** POSTs to /aiResults; several body pieces are written with a pause between them, as a stream would be. */
  private post(job: ReceivedJob, contentType: string, pieces: readonly Buffer[]): Promise<void> {
    const headers: OutgoingHttpHeaders = {
      ':method': 'POST',
      ':path': '/aiResults',
      authorization: 'Livepeer-AI-Worker-1.0',
      credentials: this.options.secret,
      'content-type': contentType,
      taskid: job.taskId,
      pipeline: job.pipeline,
    };
    if (contentType === 'text/event-stream') headers['cache-control'] = 'no-cache';
    return new Promise((resolve) => {
      const req = this.h2.request(headers);
      let status = 0;
      let body = '';
      req.setEncoding('utf8');
      req.on('response', (h) => (status = Number(h[':status'])));
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        this.posts.push({ taskId: job.taskId, status, body });
        resolve();
      });
      req.on('error', () => resolve());
      void (async () => {
        for (const [index, piece] of pieces.entries()) {
          if (index > 0) await new Promise((r) => setTimeout(r, 10));
          req.write(piece);
        }
        req.end();
      })();
    });
  }
}
