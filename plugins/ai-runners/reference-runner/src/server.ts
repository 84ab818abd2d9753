import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { parseFormFields, parseJsonFields, type FieldValues } from './fields.js';
import { RunnerHealth } from './health.js';
import { httpErrorBody, RunnerHttpError, RunnerValidationError, validationItem } from './http-errors.js';
import type { PipelineReply, RunnerPipeline } from './pipeline.js';
import { EngineMissingError } from './processes.js';

export interface RunnerServerOptions {
  readonly pipeline: RunnerPipeline;
  readonly modelId: string;
  /** `/version`'s version (the image's VERSION env in ai-runner). */
  readonly version: string;
  /** AUTH_TOKEN: when set, pipeline routes need `Authorization: Bearer <token>`. */
  readonly authToken?: string;
  readonly maxBodyBytes: number;
  readonly log: (line: string) => void;
}

/** The header every pipeline answer carries: which engine made it (deterministic = no model ran). */
export const REFERENCE_HEADER = 'x-lpx-reference-runner';

const INFO_ROUTES = new Set(['/health', '/hardware/info', '/hardware/stats', '/version']);

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function jsonPosition(error: unknown): number {
  const match = /position (\d+)/.exec(String((error as Error).message));
  return match ? Number(match[1]) : 0;
}

async function parseRequest(pipeline: RunnerPipeline, contentType: string, body: Buffer): Promise<FieldValues> {
  if (pipeline.body === 'json') {
    if (body.length === 0) throw new RunnerValidationError([validationItem('missing', ['body'], null)]);
    let parsed: unknown;
    if (/json/i.test(contentType)) {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch (error) {
        throw new RunnerValidationError([validationItem('json_invalid', ['body', jsonPosition(error)], {}, { error: (error as Error).message })]);
      }
    } else {
      // FastAPI does not parse a body that is not declared JSON; the model then sees bytes.
      parsed = body.toString('utf8');
    }
    return parseJsonFields(pipeline.fields, parsed);
  }
  let form = new FormData();
  if (/^multipart\/form-data|^application\/x-www-form-urlencoded/i.test(contentType)) {
    try {
      form = await new Request('http://runner/', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
    } catch {
      throw new RunnerHttpError(400, 'There was an error parsing the body');
    }
  }
  return parseFormFields(pipeline.fields, form);
}

function stop(text: string, fullStop: boolean): string {
  return fullStop ? `${text}.` : text;
}

/** The ai-runner HTTP API for one pipeline (the container's PIPELINE) and one model (MODEL_ID). */
export function createRunnerServer(options: RunnerServerOptions): { server: Server; health: RunnerHealth } {
  const { pipeline, modelId, log } = options;
  const health = new RunnerHealth();
  const pipelinePath = `/${pipeline.name}`;
  const referenceHeaders = { [REFERENCE_HEADER]: pipeline.engine };

  function info(path: string): unknown {
    switch (path) {
      case '/health':
        return { status: health.status() };
      case '/version':
        return { pipeline: pipeline.name, model_id: modelId, version: options.version };
      case '/hardware/info':
        // No GPU: an empty gpu_info, as the runner reports on a machine without NVML devices; the CPU is extra.
        return { pipeline: pipeline.name, model_id: modelId, gpu_info: {}, cpu_info: { model: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memory_total: totalmem() } };
      default:
        return { pipeline: pipeline.name, model_id: modelId, gpu_stats: {} };
    }
  }

  async function handlePipeline(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const status = health.status();
    if (status === 'LOADING') return sendJson(res, 503, httpErrorBody('Pipeline is loading.'), { 'retry-after': '1' });
    if (status === 'ERROR') return sendJson(res, 500, httpErrorBody(`Pipeline failed to load: ${health.failure ?? 'unknown'}.`));
    const done = health.begin();
    let streaming = false;
    try {
      let body: Buffer;
      try {
        body = await readBody(req, options.maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLarge) return sendJson(res, 413, httpErrorBody('File size exceeds limit.'));
        throw error;
      }
      const values = await parseRequest(pipeline, String(req.headers['content-type'] ?? ''), body);
      pipeline.precheck?.(values);
      if (options.authToken) {
        const given = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
        if (given !== options.authToken) throw new RunnerHttpError(401, stop('Invalid bearer token', pipeline.fullStops), { 'www-authenticate': 'Bearer' });
      }
      const requested = values[pipeline.modelField];
      if (typeof requested === 'string' && requested !== '' && requested !== modelId) {
        throw new RunnerHttpError(400, stop(`pipeline configured with ${modelId} but called with ${requested}`, pipeline.fullStops));
      }
      const reply: PipelineReply = await pipeline.run({ modelId, values, signal });
      if (reply.kind === 'json') return sendJson(res, 200, reply.json, referenceHeaders);
      streaming = true;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...referenceHeaders });
      void (async () => {
        try {
          for await (const event of reply.events) {
            if (signal.aborted) break;
            res.write(`data: ${event}\n\n`);
          }
        } finally {
          res.end();
          done();
        }
      })();
    } catch (error) {
      if (error instanceof RunnerValidationError) return sendJson(res, 422, { detail: error.items });
      if (error instanceof RunnerHttpError) return sendJson(res, error.status, httpErrorBody(error.message), error.headers);
      log(`${pipeline.name} failed: ${error instanceof EngineMissingError ? error.message : ((error as Error).stack ?? String(error))}`);
      return sendJson(res, 500, httpErrorBody(pipeline.failureMessage));
    } finally {
      if (!streaming) done();
    }
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/(.)\/+$/, '$1');
    const aborter = new AbortController();
    res.on('close', () => aborter.abort());
    if (INFO_ROUTES.has(path)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { detail: 'Method Not Allowed' }, { allow: 'GET' });
      return sendJson(res, 200, info(path));
    }
    if (path === pipelinePath) {
      if (req.method !== 'POST') return sendJson(res, 405, { detail: 'Method Not Allowed' }, { allow: 'POST' });
      handlePipeline(req, res, aborter.signal).catch((error: unknown) => {
        log(`unexpected: ${String(error)}`);
        if (!res.headersSent) sendJson(res, 500, httpErrorBody(pipeline.failureMessage));
        else res.destroy();
      });
      return;
    }
    sendJson(res, 404, { detail: 'Not Found' });
  });
  return { server, health };
}
