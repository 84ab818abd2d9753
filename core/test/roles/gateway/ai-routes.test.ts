// The gateway's go-livepeer AI routes for apps, over HTTP: JSON in, JSON out
// with the gateway's media URLs; go-livepeer's error shape and texts (plus
// lpx's code); SSE relayed for a streaming LLM request; Prefer:
// respond-async → 202 {request_id} and /<pipeline>/result's shapes.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { errors, type AIPipeline, type JobContext, type JobStatus } from '@lpx/sdk';
import { pipelineSourceOf } from '../../../src/roles/gateway/ai-pipeline-source.js';
import { aiRouterProcessor, type AIRouteResult } from '../../../src/roles/gateway/ai-processor.js';
import { registerAIRoutes } from '../../../src/roles/gateway/ai-routes.js';
import type { RouteJobData } from '../../../src/roles/gateway/route-job.js';
import type { TenantBudgets } from '../../../src/roles/gateway/tenants/tenant-budgets.js';
import { TenantDirectory } from '../../../src/roles/gateway/tenants/tenant-directory.js';
import { LLAMA, llm, memoryChain, SDXL, startAIGateway, startDouble, textToImage } from './ai-fixture.js';

/** A long pipeline stand-in that takes Prefer: respond-async (text-to-image's shape under the image-to-video name is enough for the routes). */
const slowImages: AIPipeline = { ...textToImage, async: true };
/** A pipeline with a bug: an uncoded error is go-livepeer's opaque 500. */
const broken: AIPipeline = { ...textToImage, name: 'image-to-text', bodyKind: 'json', validate: async () => { throw new Error('secret internals'); } };

async function serve(t: Test, pipelines = [textToImage, llm]) {
  const chain = memoryChain();
  const o = await startDouble(t, chain, [{ ...SDXL, warm: true }, { ...LLAMA, warm: true }]);
  const gw = await startAIGateway(t, chain, [o], { pipelines });
  const source = pipelineSourceOf(pipelines);
  const processor = aiRouterProcessor({ pipelines: pipelineSourceOf([textToImage, llm]), router: gw.router, failures: new Map(), cancels: new Map() });
  const jobs = new Map<string, { data: RouteJobData; status: JobStatus<AIRouteResult> }>();
  const app = Fastify();
  registerAIRoutes(app, {
    service: gw.service,
    pipelines: source,
    tenants: new TenantDirectory({}),
    budgets: { assertWithin: async () => undefined } as unknown as TenantBudgets,
    ensureRouter: () => undefined,
    routes: {
      // A router worker in this process takes the job as soon as it is queued.
      submit: (async (capabilityId: string, data: RouteJobData) => {
        const id = randomUUID();
        const entry = { data, status: { id, capabilityId, state: 'active', progress: 0, attemptsMade: 0, createdAt: Date.now() } as JobStatus<AIRouteResult> };
        jobs.set(id, entry);
        const job = { id, capabilityId, data: { ...data, capabilityId: 'ai/text-to-image' }, attempt: 1, progress: async () => undefined, signal: new AbortController().signal } as JobContext<RouteJobData>;
        void processor(job).then(
          (result) => (entry.status = { ...entry.status, state: 'completed', result }),
          (error: Error) => (entry.status = { ...entry.status, state: 'failed', failedReason: error.message }),
        );
        return { id };
      }) as never,
      getStatus: (async (_c: string, id: string) => jobs.get(id)?.status) as never,
      queueFor: (() => ({ getJob: async (id: string) => jobs.get(id) })) as never,
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  return { o, gw, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

t.test('POST /text-to-image: go-livepeer’s JSON with the gateway’s media URL, which serves the orchestrator’s bytes', async (t) => {
  const { o, gw, base } = await serve(t);
  const res = await post(`${base}/text-to-image`, { prompt: 'a lighthouse', model_id: SDXL.modelId, width: 64, height: 64 });
  t.equal(res.status, 200);
  t.equal(res.headers.get('lpx-orchestrator'), o.uri);
  const json = (await res.json()) as { images: { url: string; nsfw: boolean }[] };
  t.match(json.images[0]!.url, /^\/v1\/blobs\//);
  t.equal(json.images[0]!.nsfw, false);
  t.equal(gw.media.size, 1, 'the image is kept by the gateway');
});

t.test('errors in go-livepeer’s shape: 400 keeps the reason, 503 says "Service Unavailable Error", 500 "Internal Server Error"; lpx code alongside', async (t) => {
  const { o, base } = await serve(t, [textToImage, llm, broken]);
  const bug = await post(`${base}/image-to-text`, {});
  t.equal(bug.status, 500);
  t.same(await bug.json(), { error: { message: 'Internal Server Error' } }, 'nothing of the internals leaks');
  const bad = await post(`${base}/text-to-image`, { width: 64 });
  t.equal(bad.status, 400);
  t.same(await bad.json(), { error: { message: 'prompt is required', code: errors.ai.REQUEST_INVALID.code } });
  t.equal(bad.headers.get('lpx-error-code'), errors.ai.REQUEST_INVALID.code);

  const notJson = await fetch(`${base}/text-to-image`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
  t.equal(notJson.status, 400);
  t.match(((await notJson.json()) as { error: { message: string } }).error.message, /not JSON/);

  o.mode = 'fail';
  const down = await post(`${base}/text-to-image`, { prompt: 'x' });
  t.equal(down.status, 503);
  t.same(await down.json(), { error: { message: 'Service Unavailable Error', code: errors.gateway.NO_ORCHESTRATORS.code } });

  const missing = await post(`${base}/upscale`, {});
  t.equal(missing.status, 404, 'no pipeline plugin for it');
  t.equal(((await missing.json()) as { error: { code: string } }).error.code, errors.ai.PIPELINE_UNKNOWN.code);
});

t.test('POST /llm with stream: true is relayed as server-sent events, one data line per chunk', async (t) => {
  const { base } = await serve(t);
  const res = await post(`${base}/llm`, { model: LLAMA.modelId, messages: [{ role: 'user', content: 'hi' }], max_tokens: 8, stream: true });
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /^text\/event-stream/);
  const text = await res.text();
  const events = text.split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => JSON.parse(e.slice('data: '.length)) as { choices: { delta: { content: string }; finish_reason: string }[] });
  t.same(events.map((e) => e.choices[0]!.delta.content), ['t0', 't1', 't2', 't3', 't4']);
  t.equal(events.at(-1)!.choices[0]!.finish_reason, 'stop');
});

t.test('Prefer: respond-async → 202 {request_id}; /<pipeline>/result → processing, then complete; unknown ids are 400 "invalid request ID"', async (t) => {
  const { base } = await serve(t, [slowImages, llm]);
  const accepted = await post(`${base}/text-to-image`, { prompt: 'slow', width: 64, height: 64 }, { prefer: 'respond-async' });
  t.equal(accepted.status, 202);
  const { request_id: id } = (await accepted.json()) as { request_id: string };
  t.type(id, 'string');
  let result: { status: string; result?: { images: { url: string }[] } } | undefined;
  for (let i = 0; i < 100; i++) {
    const res = await post(`${base}/text-to-image/result`, { request_id: id });
    result = (await res.json()) as typeof result;
    if (result?.status === 'complete') {
      t.equal(res.status, 200);
      break;
    }
    t.equal(res.status, 202);
    t.same(result, { status: 'processing' });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.equal(result?.status, 'complete');
  t.match(result?.result?.images[0]!.url, /^\/v1\/blobs\//);
  const unknown = await post(`${base}/text-to-image/result`, { request_id: 'nope' });
  t.equal(unknown.status, 400);
  t.equal(((await unknown.json()) as { error: { message: string } }).error.message, 'invalid request ID');
  const bad = await post(`${base}/text-to-image`, { width: 64 }, { prefer: 'respond-async' });
  t.equal(bad.status, 400, 'a bad async request is refused before it is queued');
});
