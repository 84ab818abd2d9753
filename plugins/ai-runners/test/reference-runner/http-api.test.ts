import t from 'tap';
import { readPngText } from '../../reference-runner/src/png-label.js';
import { fromDataUrl, pngSize, postJson, ready, startRunner } from './helpers.js';

const MODEL = 'stabilityai/sdxl-turbo';

t.test('info routes: health, version, hardware (CPU, no GPU); other pipelines are not served', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'text-to-image', MODEL_ID: MODEL, VERSION: '9.9.9' });
  t.equal(await ready(runner), 'IDLE');
  t.same(await (await fetch(`${runner.url}/version`)).json(), { pipeline: 'text-to-image', model_id: MODEL, version: '9.9.9' });
  const info = (await (await fetch(`${runner.url}/hardware/info/`)).json()) as Record<string, unknown>;
  t.match(info, { pipeline: 'text-to-image', model_id: MODEL, gpu_info: {}, cpu_info: { cores: Number } });
  t.same(await (await fetch(`${runner.url}/hardware/stats`)).json(), { pipeline: 'text-to-image', model_id: MODEL, gpu_stats: {} });
  const other = await postJson(runner, '/llm', { messages: [] });
  t.equal(other.status, 404);
  t.same(await other.json(), { detail: 'Not Found' });
  const wrongMethod = await fetch(`${runner.url}/text-to-image`);
  t.equal(wrongMethod.status, 405);
  t.same(await wrongMethod.json(), { detail: 'Method Not Allowed' });
});

t.test('text-to-image: images of the requested size, seeds counted up, labelled, the same bytes for the same request', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'text-to-image', MODEL_ID: MODEL });
  await ready(runner);
  const request = { prompt: 'a lighthouse at dusk', width: 64, height: 48, seed: 7, num_images_per_prompt: 2 };
  const res = await postJson(runner, '/text-to-image', request);
  t.equal(res.status, 200);
  t.equal(res.headers.get('x-lpx-reference-runner'), 'deterministic');
  const body = (await res.json()) as { images: { url: string; seed: number; nsfw: boolean }[] };
  t.same(body.images.map((i) => [i.seed, i.nsfw]), [[7, false], [8, false]]);
  const first = fromDataUrl(body.images[0]!.url);
  t.equal(first.mime, 'image/png');
  t.same(pngSize(first.data), { width: 64, height: 48 });
  t.match(readPngText(first.data), { Software: 'lpx reference runner', Comment: /deterministic text-to-image.*no model ran/ });
  t.not(body.images[0]!.url, body.images[1]!.url, 'each seed its own picture');
  const again = (await (await postJson(runner, '/text-to-image/', request)).json()) as typeof body;
  t.equal(again.images[0]!.url, body.images[0]!.url);
  const otherPrompt = (await (await postJson(runner, '/text-to-image', { ...request, prompt: 'a forest' })).json()) as typeof body;
  t.not(otherPrompt.images[0]!.url, body.images[0]!.url);
  const unseeded = (await (await postJson(runner, '/text-to-image', { prompt: 'a forest', width: 64, height: 48 })).json()) as typeof body;
  t.type(unseeded.images[0]!.seed, 'number', 'without a seed one is derived from the prompt');
});

t.test('text-to-image: the runner\'s errors for bad requests', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'text-to-image', MODEL_ID: MODEL });
  await ready(runner);
  const answer = async (body: unknown, headers?: Record<string, string>): Promise<[number, unknown]> => {
    const res = await postJson(runner, '/text-to-image', body, headers);
    return [res.status, await res.json()];
  };
  t.same(await answer({ width: 'wide', safety_check: 'maybe' }), [
    422,
    {
      detail: [
        { type: 'missing', loc: ['body', 'prompt'], msg: 'Field required', input: { width: 'wide', safety_check: 'maybe' } },
        { type: 'int_parsing', loc: ['body', 'width'], msg: 'Input should be a valid integer, unable to parse string as an integer', input: 'wide' },
        { type: 'bool_parsing', loc: ['body', 'safety_check'], msg: 'Input should be a valid boolean, unable to interpret input', input: 'maybe' },
      ],
    },
  ]);
  t.same(await answer({ prompt: 5, height: 1.5 }), [
    422,
    {
      detail: [
        { type: 'string_type', loc: ['body', 'prompt'], msg: 'Input should be a valid string', input: 5 },
        { type: 'int_from_float', loc: ['body', 'height'], msg: 'Input should be a valid integer, got a number with a fractional part', input: 1.5 },
      ],
    },
  ]);
  t.match(await answer('{"prompt":'), [422, { detail: [{ type: 'json_invalid', loc: ['body', Number], msg: 'JSON decode error' }] }]);
  t.match(await answer('[1]'), [422, { detail: [{ type: 'model_attributes_type', loc: ['body'] }] }]);
  t.same(await answer({ prompt: '' }), [400, { detail: { msg: 'Prompt must be provided.' } }]);
  t.same(await answer({ prompt: 'x', model_id: 'other/model' }), [400, { detail: { msg: `pipeline configured with ${MODEL} but called with other/model.` } }]);
  t.same(await answer({ prompt: 'x', width: 100 }), [400, { detail: { msg: '`height` and `width` have to be divisible by 8 but are 576 and 100.' } }]);
  t.same(await answer({ prompt: 'x', width: 8192, height: 8192 }), [500, { detail: { msg: 'Out of memory error. Try reducing output image resolution.' } }]);
  const empty = await fetch(`${runner.url}/text-to-image`, { method: 'POST' });
  t.same([empty.status, await empty.json()], [422, { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] }]);
});

t.test('AUTH_TOKEN: pipeline routes need the bearer token, info routes do not', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'text-to-image', MODEL_ID: MODEL, AUTH_TOKEN: 'sesame' });
  await ready(runner);
  const refused = await postJson(runner, '/text-to-image', { prompt: 'x', width: 8, height: 8 });
  t.equal(refused.status, 401);
  t.equal(refused.headers.get('www-authenticate'), 'Bearer');
  t.same(await refused.json(), { detail: { msg: 'Invalid bearer token.' } });
  t.equal((await postJson(runner, '/text-to-image', { prompt: 'x', width: 8, height: 8 }, { authorization: 'Bearer wrong' })).status, 401);
  t.equal((await postJson(runner, '/text-to-image', { prompt: 'x', width: 8, height: 8 }, { authorization: 'Bearer sesame' })).status, 200);
  t.equal((await fetch(`${runner.url}/health`)).status, 200);
});

t.test('a body over MAX_BODY_BYTES is refused with 413', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'text-to-image', MODEL_ID: MODEL, MAX_BODY_BYTES: '1000' });
  await ready(runner);
  const res = await postJson(runner, '/text-to-image', { prompt: 'x'.repeat(2000) });
  t.same([res.status, await res.json()], [413, { detail: { msg: 'File size exceeds limit.' } }]);
});
