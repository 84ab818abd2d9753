// End to end through the kernel: an lpx orchestrator booted from config
// (orchestrator + worker roles, offchain, real Redis) with the text-to-image,
// image-to-image and llm pipeline plugins and this plugin, and a go-livepeer AI worker double
// (helpers/go-ai-worker-double.ts, an independent peer with its own .proto)
// registering on the service port. Its model capacity becomes the node's
// ai/text-to-image capacity and is in OrchestratorInfo; a gateway's
// `POST /text-to-image` (go-livepeer's wire: Livepeer-Segment credentials,
// Authorization: Livepeer-AI-Worker-1.0) is validated by the pipeline, run by
// the kernel on the remote-workers executor, i.e. on the double, and answered
// with image URLs on this orchestrator that serve the worker's bytes; a
// multipart image-to-image upload reaches the worker through input_url, and
// a streaming LLM answer comes back event by event. When
// the worker leaves, the capacity goes back to 0 and requests get go-livepeer's
// `insufficient capacity`.
import t from 'tap';
import { Agent, request } from 'undici';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { aiJobCapabilities, aiSegmentHeader, submitAIRequest } from '../../../core/src/network/ai/index.js';
import { getOrchestratorInfo } from '../../../core/src/network/index.js';
import { makeHost } from '../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { aiTextToImagePlugin } from '../../../plugins/ai-text-to-image/src/index.js';
import { aiImageToImagePlugin } from '../../../plugins/ai-image-to-image/src/index.js';
import { aiLlmPlugin } from '../../../plugins/ai-llm/src/index.js';
import { pngOf } from '../../../core/test/ai/helpers/test-runner.js';
import { aiRemoteWorkerPlugin } from '../../../plugins/ai-remote-worker/src/index.js';
import { GoAIWorkerDouble, llmChunks, renderedImage } from './helpers/go-ai-worker-double.js';
import { until } from './helpers/remote-ai-node.js';

const SECRET = 'remote-ai-worker-secret';
const MODEL = 'stabilityai/sd-turbo';
const T2I = 27;
const I2I = 28;
const LLM = 33;
const I2I_MODEL = 'timbrooks/instruct-pix2pix';
const LLM_MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
const insecureAgent = new Agent({ connect: { rejectUnauthorized: false } });

t.test('a go-livepeer AI worker serves POST /text-to-image for an lpx orchestrator', async (t) => {
  const redis = await testRedis(t);
  const host = makeHost(t, [aiTextToImagePlugin, aiImageToImagePlugin, aiLlmPlugin, aiRemoteWorkerPlugin], {
    redis: { url: redis.url, prefix: uniquePrefix('remote-ai-e2e') },
    ai: { heartbeatMs: 200 },
    node: { roles: ['orchestrator', 'worker'] },
    orchestrator: { port: 0, secret: SECRET },
    plugins: {
      'ai-remote-worker': {
        config: {
          models: [
            { pipeline: 'text-to-image', modelId: MODEL, pricePerUnit: '0' },
            { pipeline: 'image-to-image', modelId: I2I_MODEL, pricePerUnit: '0' },
            { pipeline: 'llm', modelId: LLM_MODEL, pricePerUnit: '0' },
          ],
        },
      },
    },
  });
  await host.start();
  const uri = host.serviceUri!;
  const capacity = (): number => host.capabilities.get('ai/text-to-image')?.constraints.models?.[MODEL]?.capacity ?? 0;
  t.equal(capacity(), 0, 'the listed model is known before any worker comes');

  const worker = new GoAIWorkerDouble({
    orchAddr: new URL(uri).host,
    secret: SECRET,
    models: [
      { pipeline: 'text-to-image', modelId: MODEL, capacity: 2 },
      { pipeline: 'image-to-image', modelId: I2I_MODEL, capacity: 1 },
      { pipeline: 'llm', modelId: LLM_MODEL, capacity: 1 },
    ],
  });
  let closed = false;
  t.teardown(() => (closed ? undefined : worker.close()));
  await until(() => capacity() === 2, "the worker's capacity on the orchestrator", 15_000);

  const gateway = privateKeyToAccount(generatePrivateKey());
  const info = await getOrchestratorInfo(uri, { signer: gateway, capabilities: aiJobCapabilities(T2I, MODEL) });
  t.equal(info.capabilities?.constraints.perCapability[T2I]?.models[MODEL]?.capacity, 2, 'advertised per model in OrchestratorInfo');

  const send = async (prompt: string) =>
    submitAIRequest({
      serviceUri: uri,
      pipeline: 'text-to-image',
      body: { kind: 'json', json: { prompt, model_id: MODEL, width: 64, height: 64 } },
      segmentHeader: await aiSegmentHeader({ livepeerCapability: T2I, modelId: MODEL, authToken: info.authToken, signer: gateway }),
      paymentHeader: '',
      timeoutMs: 20_000,
    });
  const answer = await send('a lighthouse');
  if (answer.kind !== 'json') return t.fail('json expected');
  const images = (answer.json as { images: { url: string }[] }).images;
  t.equal(images.length, 1);
  const job = worker.jobs[0]!;
  t.match(job.request, { prompt: 'a lighthouse', model_id: MODEL, width: 64, height: 64 }, 'the validated request reached the worker');
  t.match(images[0]!.url, new RegExp(`^${uri}/`), 'the image URL points at this orchestrator');
  const image = await request(images[0]!.url, { dispatcher: insecureAgent });
  t.equal(image.statusCode, 200);
  t.same(Buffer.from(await image.body.arrayBuffer()), renderedImage(job), "and serves the worker's bytes");

  // Multipart: the pipeline validates the upload, the worker downloads it from input_url.
  const input = pngOf(32, 16);
  const edited = await submitAIRequest({
    serviceUri: uri,
    pipeline: 'image-to-image',
    body: { kind: 'multipart', fields: { prompt: 'make it blue', model_id: I2I_MODEL, strength: '0.5' }, files: [{ field: 'image', filename: 'in.png', contentType: 'image/png', data: input }] },
    segmentHeader: await aiSegmentHeader({ livepeerCapability: I2I, modelId: I2I_MODEL, authToken: info.authToken, signer: gateway }),
    paymentHeader: '',
    timeoutMs: 20_000,
  });
  if (edited.kind !== 'json') return t.fail('json expected');
  const i2iJob = worker.jobs.find((j) => j.pipeline === 'image-to-image')!;
  t.match(i2iJob.request, { prompt: 'make it blue', model_id: I2I_MODEL, strength: 0.5, image: null }, 'form fields typed as the worker reads them');
  t.same(i2iJob.input, input, 'the worker downloaded the uploaded image');
  const editedUrl = (edited.json as { images: { url: string }[] }).images[0]!.url;
  const editedImage = await request(editedUrl, { dispatcher: insecureAgent });
  t.same(Buffer.from(await editedImage.body.arrayBuffer()), renderedImage(i2iJob), 'the result made from that input');

  // A streaming LLM answer comes back as server-sent events.
  const chat = await submitAIRequest({
    serviceUri: uri,
    pipeline: 'llm',
    body: { kind: 'json', json: { model: LLM_MODEL, messages: [{ role: 'user', content: 'hi' }], max_tokens: 64, stream: true } },
    segmentHeader: await aiSegmentHeader({ livepeerCapability: LLM, modelId: LLM_MODEL, authToken: info.authToken, signer: gateway }),
    paymentHeader: '',
    timeoutMs: 20_000,
  });
  if (chat.kind !== 'stream') return t.fail('stream expected');
  const events: unknown[] = [];
  for await (const event of chat.events) events.push(event);
  const llmJob = worker.jobs.find((j) => j.pipeline === 'llm')!;
  t.same(events, llmChunks(llmJob), 'every chunk the worker streamed, in order');

  t.teardown(() => insecureAgent.close());
  closed = true;
  await worker.close();
  await until(() => capacity() === 0, 'capacity back to 0', 15_000);
  await t.rejects(send('nobody home'), { code: 'LPX_ERR_AI_ORCHESTRATOR_REFUSED', details: { status: 503 } }, 'no worker: the orchestrator refuses with go-livepeer status');
});
