// The multipart pipelines end to end through the gateway's go-livepeer AI routes: an app posts a
// form (an ffmpeg-made PNG and fields) to the gateway's HTTP port, the gateway routes it over
// go-livepeer's AI wire to an orchestrator + worker Host whose ai-runners plugin runs the reference
// AI runner in Docker containers, and the answer comes back with the gateway's media URLs.
// image-to-image, image-to-video (respond-async, then /image-to-video/result) and
// segment-anything-2 share one network. Nothing here is a double.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { aiTestImage, probeMedia } from '@lpx/sdk/testing';
import aiImageToImagePlugin, { imageToImagePipeline } from '@lpx/plugin-ai-image-to-image';
import aiImageToVideoPlugin, { BILLED_FRAMES, imageToVideoPipeline } from '@lpx/plugin-ai-image-to-video';
import aiRunnersPlugin from '@lpx/plugin-ai-runners';
import aiSegmentAnything2Plugin, { segmentAnything2Pipeline } from '@lpx/plugin-ai-segment-anything-2';
import discoveryStaticPlugin from '@lpx/plugin-discovery-static';
import runtimeDockerPlugin from '@lpx/plugin-runtime-docker';
import { testDocker } from '../../helpers/docker.js';
import { makeHost } from '../../helpers/host.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';
import { referenceRunnerImage } from '../../helpers/reference-runner-image.js';

const PIPELINES = [imageToImagePipeline, imageToVideoPipeline, segmentAnything2Pipeline];
const PLUGINS = [aiImageToImagePlugin, aiImageToVideoPlugin, aiSegmentAnything2Plugin];

async function until(check: () => Promise<boolean>): Promise<void> {
  // Bounded by tap's timeout for the file, not by a threshold of ours.
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 200));
}

function form(fields: Record<string, string>, image: Uint8Array, type = 'image/png'): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  body.set('image', new Blob([image], { type }), 'image.png');
  return body;
}

const pngSize = (png: Buffer): [number, number] => [png.readUInt32BE(16), png.readUInt32BE(20)];

t.test('image-to-image, image-to-video and segment-anything-2 through the gateway’s AI routes to reference runner containers', async (t) => {
  // The image on the shared test engine first: the orchestrator's runners find its tag there.
  await referenceRunnerImage(t);
  const { dockerHost } = await testDocker(t);
  const redis = await testRedis(t);
  const orchestrator = makeHost(t, [runtimeDockerPlugin, aiRunnersPlugin, ...PLUGINS], {
    redis: { url: redis.url, prefix: uniquePrefix('multipart-orch') },
    node: { roles: ['orchestrator', 'worker'] },
    orchestrator: { port: 0 },
    ai: { heartbeatMs: 200 },
    plugins: {
      'runtime-docker': { config: { host: dockerHost } },
      'ai-runners': {
        config: {
          // One warm runner per pipeline's default model on three CPU slots (no GPU here).
          gpus: '0',
          containersPerGpu: 3,
          aiModels: PIPELINES.map((p, i) => ({ pipeline: p.name, model_id: p.defaultModel, warm: true, price_per_unit: i + 1, pixels_per_unit: 1 })),
        },
      },
    },
  });
  await orchestrator.start();

  const gateway = makeHost(t, [discoveryStaticPlugin, ...PLUGINS], {
    redis: { url: redis.url, prefix: uniquePrefix('multipart-gw') },
    node: { roles: ['gateway'] },
    gateway: { poolRefreshMs: 500 },
    plugins: { 'discovery-static': { config: { orchAddr: orchestrator.serviceUri } } },
  });
  await gateway.start();
  const base = gateway.url;
  const served = (url: string) => fetch(new URL(url, base));

  // The warm runners come up healthy (capacity), then the gateway's pool has the orchestrator for each.
  await until(async () => PIPELINES.every((p) => (orchestrator.capabilities.get(`ai/${p.name}`)?.capacity ?? 0) > 0));
  const input = Buffer.from(await aiTestImage({ width: 160, height: 96, text: 'LPX' }));

  await t.test('a form that is not an image is a coded 400 from the gateway, before any orchestrator is asked', async (t) => {
    const res = await fetch(`${base}/image-to-image`, { method: 'POST', body: form({ prompt: 'make it red' }, Buffer.from('these bytes are not a picture'), 'image/png') });
    t.equal(res.status, 400);
    t.equal(res.headers.get('lpx-error-code'), errors.ai.REQUEST_INVALID.code);
    t.match(await res.json(), { error: { message: /image/, code: errors.ai.REQUEST_INVALID.code } });
    t.equal(res.headers.get('lpx-orchestrator'), null, 'no orchestrator answered (nor was paid)');
  });

  await t.test('image-to-image: {images:[{url}]} whose URL the gateway serves as a PNG the input’s size', async (t) => {
    // The pool may still be filling: the first request is retried until the route has an orchestrator.
    let res!: Response;
    await until(async () => {
      res = await fetch(`${base}/image-to-image`, { method: 'POST', body: form({ prompt: 'make it red', num_inference_steps: '1' }, input) });
      return res.status !== 503;
    });
    t.equal(res.status, 200);
    t.equal(res.headers.get('lpx-orchestrator'), orchestrator.serviceUri);
    const json = (await res.json()) as { images: { url: string; nsfw?: boolean }[] };
    t.equal(json.images.length, 1);
    const image = await served(json.images[0]!.url);
    t.equal(image.status, 200, `the gateway serves ${json.images[0]!.url}`);
    const png = Buffer.from(await image.arrayBuffer());
    t.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    t.same(pngSize(png), [160, 96], 'the input’s size');
  });

  await t.test('image-to-video with Prefer: respond-async: 202 {request_id}, then /image-to-video/result completes with an H.264 MP4', async (t) => {
    let accepted!: Response;
    await until(async () => {
      accepted = await fetch(`${base}/image-to-video`, { method: 'POST', headers: { prefer: 'respond-async' }, body: form({ width: '256', height: '144', num_inference_steps: '1' }, input) });
      return accepted.status !== 503;
    });
    t.equal(accepted.status, 202);
    const { request_id: id } = (await accepted.json()) as { request_id: string };
    t.type(id, 'string');
    let result: { status: string; result?: { images: { url: string; seed?: number }[] } } | undefined;
    const pending = new Set<string>();
    await until(async () => {
      const res = await fetch(`${base}/image-to-video/result`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: id }) });
      result = (await res.json()) as typeof result;
      if (result?.status === 'complete') return res.status === 200;
      pending.add(`${res.status} ${JSON.stringify(result)}`);
      return false;
    });
    t.ok([...pending].every((answer) => answer === '202 {"status":"processing"}'), `until then: ${[...pending].join(', ') || 'nothing pending'}`);
    const url = result!.result!.images[0]!.url;
    const video = await served(url);
    t.equal(video.status, 200, `the gateway serves ${url}`);
    const dir = await mkdtemp(join(tmpdir(), 'lpx-i2v-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'video.mp4');
    await writeFile(file, Buffer.from(await video.arrayBuffer()));
    const probed = await probeMedia(file);
    t.match(probed.formatName, /mp4/);
    t.match(probed.video, { codecName: 'h264', width: 256, height: 144, frames: BILLED_FRAMES }, 'the runner’s 25 frames, encoded by the pipeline');
  });

  await t.test('segment-anything-2 with a point prompt: masks, scores and logits as strings', async (t) => {
    let res!: Response;
    await until(async () => {
      res = await fetch(`${base}/segment-anything-2`, { method: 'POST', body: form({ point_coords: '[[80, 48]]', point_labels: '[1]', multimask_output: 'true' }, input) });
      return res.status !== 503;
    });
    t.equal(res.status, 200);
    const json = (await res.json()) as { masks: unknown; scores: unknown; logits: unknown };
    t.type(json.masks, 'string');
    t.type(json.scores, 'string');
    t.type(json.logits, 'string');
    // numpy's tolist() text, which is JSON for these numbers: N masks of the input's H×W, N scores, N 256×256 logits.
    const masks = JSON.parse(json.masks as string) as number[][][];
    const scores = JSON.parse(json.scores as string) as number[];
    const logits = JSON.parse(json.logits as string) as number[][][];
    t.ok(masks.length > 0, `${masks.length} masks`);
    t.same([masks[0]!.length, masks[0]![0]!.length], [96, 160], 'masks the input’s size');
    t.equal(scores.length, masks.length, 'a score per mask');
    t.same([logits.length, logits[0]!.length, logits[0]![0]!.length], [masks.length, 256, 256], 'low-resolution logits per mask');
  });

  await gateway.stop();
  await orchestrator.stop();
});
