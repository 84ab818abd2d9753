import t from 'tap';
import { fromDataUrl, pngSize, postForm, ready, startRunner, testPng } from './helpers.js';

const notAnImage = new Blob([Buffer.from('this is plain text, not a picture')], { type: 'image/png' });

t.test('image-to-image: a picture of the input size per seed; the runner\'s errors', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'image-to-image', MODEL_ID: 'timbrooks/instruct-pix2pix' });
  await ready(runner);
  const ok = await postForm(runner, '/image-to-image', { prompt: 'make it blue', image: testPng(40, 24), seed: '3', num_images_per_prompt: '2' });
  t.equal(ok.status, 200);
  const body = (await ok.json()) as { images: { url: string; seed: number }[] };
  t.same(body.images.map((i) => i.seed), [3, 4]);
  t.same(pngSize(fromDataUrl(body.images[0]!.url).data), { width: 40, height: 24 });

  const missing = await postForm(runner, '/image-to-image', { strength: 'lots' });
  t.same([missing.status, await missing.json()], [
    422,
    {
      detail: [
        { type: 'missing', loc: ['body', 'prompt'], msg: 'Field required', input: null },
        { type: 'missing', loc: ['body', 'image'], msg: 'Field required', input: null },
        { type: 'float_parsing', loc: ['body', 'strength'], msg: 'Input should be a valid number, unable to parse string as a number', input: 'lots' },
      ],
    },
  ]);
  const textForFile = await postForm(runner, '/image-to-image', { prompt: 'x', image: 'not a file' });
  t.match([textForFile.status, await textForFile.json()], [422, { detail: [{ type: 'value_error', loc: ['body', 'image'] }] }]);
  const garbage = await postForm(runner, '/image-to-image', { prompt: 'x', image: notAnImage });
  t.match([garbage.status, await garbage.json()], [400, { detail: { msg: /cannot identify image file/ } }]);
  const json = await fetch(`${runner.url}/image-to-image`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x"}' });
  t.equal(json.status, 422, 'a JSON body where a form is expected: every required field is missing');
});

t.test('upscale: x4 with lanczos (ffmpeg is the engine)', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'upscale', MODEL_ID: 'stabilityai/stable-diffusion-x4-upscaler' });
  await ready(runner);
  const res = await postForm(runner, '/upscale', { prompt: 'sharper', image: testPng(30, 20) });
  t.equal(res.status, 200);
  t.equal(res.headers.get('x-lpx-reference-runner'), 'ffmpeg');
  const body = (await res.json()) as { images: { url: string; seed: number; nsfw: boolean }[] };
  t.equal(body.images.length, 1);
  t.same(pngSize(fromDataUrl(body.images[0]!.url).data), { width: 120, height: 80 });
  const wrongModel = await postForm(runner, '/upscale', { prompt: 'x', image: testPng(8, 8), model_id: 'm' });
  t.same(await wrongModel.json(), { detail: { msg: 'pipeline configured with stabilityai/stable-diffusion-x4-upscaler but called with m.' } });
});

t.test('image-to-video: 25 frames of the requested size from the input', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'image-to-video', MODEL_ID: 'stabilityai/stable-video-diffusion-img2vid-xt' });
  await ready(runner);
  const res = await postForm(runner, '/image-to-video', { image: testPng(64, 64), width: '48', height: '32', seed: '11' });
  t.equal(res.status, 200);
  const body = (await res.json()) as { frames: { url: string; seed: number; nsfw: boolean }[][] };
  t.equal(body.frames.length, 1);
  t.equal(body.frames[0]!.length, 25);
  t.same(pngSize(fromDataUrl(body.frames[0]![24]!.url).data), { width: 48, height: 32 });
  t.ok(body.frames[0]!.every((f) => f.seed === 11 && f.nsfw === false));
  t.not(body.frames[0]![0]!.url, body.frames[0]![24]!.url, 'the frames move');
  const odd = await postForm(runner, '/image-to-video', { image: testPng(16, 16), width: '50' });
  t.same([odd.status, await odd.json()], [400, { detail: { msg: '`height` and `width` have to be divisible by 8 but are 576 and 50.' } }]);
});

t.test('segment-anything-2: masks, scores and logits as strings of the right shapes, sorted by score', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'segment-anything-2', MODEL_ID: 'facebook/sam2-hiera-large' });
  await ready(runner);
  const res = await postForm(runner, '/segment-anything-2', { image: testPng(20, 12), point_coords: '[[5,6],[15,6]]', point_labels: '[1,0]' });
  t.equal(res.status, 200);
  const body = (await res.json()) as { masks: string; scores: string; logits: string };
  const parse = (text: string): unknown => JSON.parse(text.replace(/True/g, 'true').replace(/False/g, 'false'));
  const masks = parse(body.masks) as number[][][];
  const scores = parse(body.scores) as number[];
  const logits = parse(body.logits) as number[][][];
  t.same([masks.length, masks[0]!.length, masks[0]![0]!.length], [3, 12, 20], 'N x H x W');
  t.same([logits.length, logits[0]!.length, logits[0]![0]!.length], [3, 256, 256]);
  t.equal(scores.length, 3);
  t.same([...scores].sort((a, b) => b - a), scores, 'descending');
  t.ok(masks[0]![6]![5]! > 0, 'the foreground point is inside');
  t.ok(masks[0]![6]![15]! < 0, 'the background point is outside');
  t.match(body.masks, /^\[\[\[-?\d+\.\d, /, 'Python float repr');

  const single = (await (await postForm(runner, '/segment-anything-2', { image: testPng(8, 8), multimask_output: 'false', return_logits: 'false' })).json()) as typeof body;
  t.match(single.masks, /^\[\[\[(True|False), /);
  t.equal((parse(single.masks) as unknown[]).length, 1);

  const badJson = await postForm(runner, '/segment-anything-2', { image: testPng(8, 8), box: '[1,2' });
  t.match([badJson.status, await badJson.json()], [400, { detail: { msg: /^Error parsing JSON for box: / } }]);
  const badShape = await postForm(runner, '/segment-anything-2', { image: testPng(8, 8), point_coords: '[[1,2,3]]', point_labels: '[1]' });
  t.equal(badShape.status, 400);
  const garbage = await postForm(runner, '/segment-anything-2', { image: notAnImage });
  t.equal(garbage.status, 400);
});
