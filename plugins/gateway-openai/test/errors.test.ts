// Refusals and failures as the openai client raises them: OpenAI's error shape, the right
// HTTP status and APIError subclass, and the lpx code in `code`; nothing routed when refused.
import t from 'tap';
import OpenAI, { toFile } from 'openai';
import { errors } from '@lpx/sdk';
import { openAIApp } from './helpers/openai-app.js';
import { toneWav } from './helpers/pipeline-gateway-double.js';

const LLM = 'meta-llama/Meta-Llama-3.1-8B-Instruct';
const chat = { model: LLM, messages: [{ role: 'user' as const, content: 'hi' }] };

t.test('an unknown model is a 404 NotFoundError, before anything is routed', async (t) => {
  const { client, gateway } = await openAIApp(t);
  const error = await client.chat.completions.create({ ...chat, model: 'gpt-4o' }).catch((e: unknown) => e);
  t.type(error, OpenAI.NotFoundError);
  t.match(error, { status: 404, code: 'LPX_ERR_AI_OPENAI_MODEL_NOT_FOUND', param: 'model', type: 'invalid_request_error', message: /gpt-4o does not exist/ });
  await t.rejects(client.models.retrieve('gpt-4o'), { status: 404, code: 'LPX_ERR_AI_OPENAI_MODEL_NOT_FOUND' });
  t.equal(gateway.calls.length, 0);
});

t.test('a model of another pipeline is a 400 that names the endpoint serving it', async (t) => {
  const { client } = await openAIApp(t);
  await t.rejects(client.images.generate({ model: LLM, prompt: 'x' }), { constructor: OpenAI.BadRequestError, code: 'LPX_ERR_AI_MODEL_UNKNOWN', param: 'model', message: /serves llm \(\/v1\/chat\/completions\), not text-to-image/ });
});

t.test('aliases let apps keep their model names', async (t) => {
  const { client, gateway } = await openAIApp(t, { aliases: { 'gpt-4o-mini': LLM } });
  const completion = await client.chat.completions.create({ ...chat, model: 'gpt-4o-mini' });
  t.equal(completion.model, LLM, 'the answer names the model that did the work');
  t.match(gateway.calls[0]!.body, { json: { model: LLM } });
  t.match(await client.models.retrieve('gpt-4o-mini'), { id: LLM });
});

t.test('features the pipelines do not have are refused by parameter, coded', async (t) => {
  const { client, gateway } = await openAIApp(t);
  const cases: [string, Promise<unknown>, string, string][] = [
    ['tools', client.chat.completions.create({ ...chat, tools: [{ type: 'function', function: { name: 'f' } }] }), 'LPX_ERR_AI_OPENAI_UNSUPPORTED', 'tools'],
    ['n', client.chat.completions.create({ ...chat, n: 2 }), 'LPX_ERR_AI_OPENAI_UNSUPPORTED', 'n'],
    ['json mode', client.chat.completions.create({ ...chat, response_format: { type: 'json_object' } }), 'LPX_ERR_AI_OPENAI_UNSUPPORTED', 'response_format'],
    ['image parts', client.chat.completions.create({ ...chat, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] }), 'LPX_ERR_AI_OPENAI_UNSUPPORTED', 'messages[0].content[0]'],
    ['tool role', client.chat.completions.create({ ...chat, messages: [{ role: 'tool', content: 'r', tool_call_id: '1' }] }), 'LPX_ERR_AI_OPENAI_UNSUPPORTED', 'messages[0].role'],
    ['stop', client.chat.completions.create({ ...chat, stop: ['\n'] }), 'LPX_ERR_AI_OPENAI_UNSUPPORTED', 'stop'],
    ['unknown parameter', client.chat.completions.create({ ...chat, frobnicate: 1 } as never), 'LPX_ERR_AI_REQUEST_INVALID', 'frobnicate'],
    ['temperature range', client.chat.completions.create({ ...chat, temperature: 3 }), 'LPX_ERR_AI_REQUEST_INVALID', 'temperature'],
    ['no messages', client.chat.completions.create({ ...chat, messages: [] }), 'LPX_ERR_AI_REQUEST_INVALID', 'messages'],
    ['image size', client.images.generate({ model: 'ByteDance/SDXL-Lightning', prompt: 'x', size: '1000x1001' as never }), 'LPX_ERR_AI_REQUEST_INVALID', 'size'],
    ['image style', client.images.generate({ model: 'ByteDance/SDXL-Lightning', prompt: 'x', style: 'vivid' }), 'LPX_ERR_AI_OPENAI_UNSUPPORTED', 'style'],
    ['speech sse', client.audio.speech.create({ model: 'parler-tts/parler-tts-large-v1', input: 'x', voice: 'alloy', stream_format: 'sse' }), 'LPX_ERR_AI_OPENAI_UNSUPPORTED', 'stream_format'],
    ['speech format', client.audio.speech.create({ model: 'parler-tts/parler-tts-large-v1', input: 'x', voice: 'alloy', response_format: 'ogg' as never }), 'LPX_ERR_AI_REQUEST_INVALID', 'response_format'],
    ['both granularities', client.audio.transcriptions.create({ model: 'openai/whisper-large-v3', file: await toFile(toneWav(), 'a.wav'), response_format: 'verbose_json', timestamp_granularities: ['word', 'segment'] }), 'LPX_ERR_AI_OPENAI_UNSUPPORTED', 'timestamp_granularities'],
    ['granularity without verbose_json', client.audio.transcriptions.create({ model: 'openai/whisper-large-v3', file: await toFile(toneWav(), 'a.wav'), timestamp_granularities: ['word'] }), 'LPX_ERR_AI_REQUEST_INVALID', 'timestamp_granularities'],
  ];
  for (const [what, call, code, param] of cases) {
    await t.rejects(call, { constructor: OpenAI.BadRequestError, status: 400, code, param, type: 'invalid_request_error' }, what);
  }
  t.equal(gateway.calls.length, 0, 'nothing was routed or paid');
});

t.test("the gateway's routing failures keep their status and code", async (t) => {
  const { client, gateway } = await openAIApp(t);
  gateway.failNext = errors.gateway.NO_ORCHESTRATORS.create('no orchestrator offers ai/llm');
  await t.rejects(client.chat.completions.create(chat), { constructor: OpenAI.InternalServerError, status: 503, code: 'LPX_ERR_GATEWAY_NO_ORCHESTRATORS', type: 'server_error' });
  gateway.failNext = errors.gateway.BUDGET_EXHAUSTED.create('spent', { details: { retryAfterSeconds: 60 } });
  const spent = await client.chat.completions.create(chat).then(() => undefined, (e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
  t.match(spent, { status: 402, code: 'LPX_ERR_GATEWAY_BUDGET_EXHAUSTED', type: 'insufficient_quota' });
  t.equal(spent?.headers?.get('retry-after'), '60');
  gateway.failNext = new Error('a bug with a secret in it');
  const bug = await client.chat.completions.create(chat).then(() => undefined, (e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
  t.match(bug, { status: 500, code: 'LPX_ERR_HTTP_INTERNAL', message: /internal error/ });
  t.notMatch(bug?.message, /secret/, 'an unexpected error does not leak its text');
});

t.test('a runner failure mid-stream reaches the client as an APIError with the code', async (t) => {
  const { client, gateway } = await openAIApp(t);
  gateway.streamFailsAfter = 2;
  const stream = await client.chat.completions.create({ ...chat, stream: true });
  const seen: string[] = [];
  const error = await (async () => {
    for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
  })().catch((e: unknown) => e);
  t.same(seen, ['You', ' said:']);
  t.type(error, OpenAI.APIError);
  t.match(error, { code: 'LPX_ERR_AI_RUNNER_FAILED', message: /CUDA out of memory/ });
});

t.test('an app that hangs up mid-stream stops the routing (the signal aborts)', async (t) => {
  const { client, gateway } = await openAIApp(t);
  gateway.streamStalls = true;
  const stream = await client.chat.completions.create({ ...chat, stream: true });
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta.content) break;
  }
  stream.controller.abort();
  while (gateway.aborted.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  t.equal(gateway.aborted[0], gateway.calls[0]);
});

t.test('tenants: the bearer key picks the tenant that pays; no key or a wrong one is a 401', async (t) => {
  const { client, gateway, url } = await openAIApp(t, {}, { apiKey: 'key-acme' });
  gateway.keys.set('key-acme', 'acme');
  await client.chat.completions.create(chat);
  t.equal(gateway.calls[0]!.tenant, 'acme');
  const wrong = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'key-nobody', maxRetries: 0 });
  await t.rejects(wrong.models.list(), { constructor: OpenAI.AuthenticationError, status: 401, code: 'LPX_ERR_GATEWAY_API_KEY_INVALID', type: 'authentication_error' });
  const bare = await fetch(`${url}/v1/audio/transcriptions`, { method: 'POST', body: 'x', headers: { 'content-type': 'multipart/form-data; boundary=b' } });
  t.equal(bare.status, 401);
  t.equal(bare.headers.get('www-authenticate'), 'Bearer realm="lpx"');
  t.match(await bare.json(), { error: { code: 'LPX_ERR_GATEWAY_API_KEY_REQUIRED', param: null } });
  t.equal(gateway.calls.length, 1);
});

t.test('bodies: bad JSON, a wrong content type, an upload over maxAudioBytes', async (t) => {
  const { url } = await openAIApp(t, { maxAudioBytes: 1000 });
  const post = (path: string, body: string | Buffer, type: string) => fetch(`${url}${path}`, { method: 'POST', body, headers: { 'content-type': type } });
  const bad = await post('/v1/chat/completions', '{"model":', 'application/json');
  t.match({ status: bad.status, ...((await bad.json()) as object) }, { status: 400, error: { code: 'LPX_ERR_HTTP_BODY_INVALID', type: 'invalid_request_error' } });
  const notJson = await post('/v1/chat/completions', JSON.stringify(['x']), 'application/json');
  t.match(await notJson.json(), { error: { code: 'LPX_ERR_AI_REQUEST_INVALID' } });
  const notForm = await post('/v1/audio/transcriptions', '{}', 'application/json');
  t.match({ status: notForm.status, ...((await notForm.json()) as object) }, { status: 415, error: { code: 'LPX_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE' } });
  const form = new FormData();
  form.set('model', 'openai/whisper-large-v3');
  form.set('file', new Blob([toneWav()]), 'a.wav');
  const big = await fetch(`${url}/v1/audio/transcriptions`, { method: 'POST', body: form });
  t.match({ status: big.status, ...((await big.json()) as object) }, { status: 413, error: { code: 'LPX_ERR_HTTP_BODY_TOO_LARGE', param: 'file' } });
});

t.test('OpenAI endpoints with no pipeline behind them are a coded 404', async (t) => {
  const { client } = await openAIApp(t);
  await t.rejects(client.embeddings.create({ model: LLM, input: 'x' }), { constructor: OpenAI.NotFoundError, code: 'LPX_ERR_AI_OPENAI_ENDPOINT_UNSUPPORTED' });
  await t.rejects(client.audio.translations.create({ model: 'openai/whisper-large-v3', file: await toFile(toneWav(), 'a.wav') }), { status: 404, code: 'LPX_ERR_AI_OPENAI_ENDPOINT_UNSUPPORTED' });
});

t.test('without ffmpeg only wav at speed 1 is served, and the refusal says so', async (t) => {
  const { client, gateway } = await openAIApp(t, { ffmpegPath: '/nonexistent/ffmpeg' });
  const speech = { model: 'parler-tts/parler-tts-large-v1', input: 'x', voice: 'alloy' };
  await t.rejects(client.audio.speech.create(speech), { status: 400, code: 'LPX_ERR_AI_OPENAI_UNSUPPORTED', param: 'response_format', message: /no ffmpeg/ });
  const wav = await client.audio.speech.create({ ...speech, response_format: 'wav' });
  t.equal(wav.status, 200);
  t.equal(gateway.calls.length, 2);
});
