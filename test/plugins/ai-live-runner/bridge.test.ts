// The AI → Live Runner bridge on an offchain lpx orchestrator + worker: the
// models ai-runners serves (the lpx reference runner, in this process as an
// external runner URL) appear in /discovery as single-shot apps
// `<pipeline>/<model_id>`; a go-livepeer-style Live Runner client calls
// `POST …/app/<pipeline>` and gets the ai-runner answer (media inline);
// refused input is a coded 4xx; a runner that drops a request is a coded 500;
// a runner that goes away takes its app out of discovery.
import t from 'tap';
import { call } from '../live-runner/helpers/live-runner-client.js';
import { until } from '../live-runner/helpers/node.js';
import { droppingFront, LLM_MODEL, startAIOrchestrator, T2I_MODEL, type DiscoveredApp } from './helpers.js';

const T2I_APP = `text-to-image/${T2I_MODEL}`;
const LLM_APP = `llm/${LLM_MODEL}`;

async function apps(uri: string): Promise<DiscoveredApp[]> {
  const answer = await call(`${uri}/discovery`);
  if (answer.status !== 200) return [];
  return answer.json<{ runners?: DiscoveredApp[] }[]>()[0]?.runners ?? [];
}

async function appUrl(uri: string, app: string): Promise<DiscoveredApp> {
  return until(async () => (await apps(uri)).find((a) => a.app === app), `${app} in /discovery`);
}

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

t.test('batch AI models become single-shot Live Runner apps that answer like ai-runner', async (t) => {
  const node = await startAIOrchestrator(t, { bridge: { maxUnits: { 'text-to-image': String(256 * 256 * 2) } } });
  const t2i = await appUrl(node.uri, T2I_APP);
  const llm = await appUrl(node.uri, LLM_APP);
  t.equal(t2i.mode, 'single-shot');
  t.match(t2i.url, new RegExp(`^${node.uri}/apps/[^/]+/app$`), 'a single-shot app URL on the front door');
  t.equal(t2i.capacity, 2, "the model's capacity");
  t.equal(t2i.price_info, undefined, 'offchain: no price');
  t.same(JSON.parse(t2i.metadata!), { api: 'ai-runner', pipeline: 'text-to-image', model_id: T2I_MODEL, unit: 'output pixel (height × width × images)', warm: false, max_units: '131072', price_per_unit: '0', pixels_per_unit: '1' });
  t.notOk(t2i.url.includes(node.t2i.url) || JSON.stringify(await apps(node.uri)).includes('127.0.0.1:'.concat(new URL(node.t2i.url).port)), 'the runner URL is never shown');

  const image = await call(`${t2i.url}/text-to-image`, json({ prompt: 'a lighthouse at dusk', width: 128, height: 64 }));
  t.equal(image.status, 200, 'text-to-image answered');
  const images = image.json<{ images: { url: string; seed: number; nsfw: boolean }[] }>().images;
  t.equal(images.length, 1);
  t.match(images[0]!.url, /^data:image\/png;base64,/, 'media inline, as ai-runner answers');
  const png = Buffer.from(images[0]!.url.slice('data:image/png;base64,'.length), 'base64');
  t.same([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 64], "the reference runner's PNG of the size asked for");
  t.ok(png.includes(Buffer.from('lpx reference runner')), 'labelled as the reference runner output');

  const named = await call(`${t2i.url}/text-to-image`, json({ prompt: 'same model named', model_id: T2I_MODEL, width: 64, height: 64 }));
  t.equal(named.status, 200, 'naming the app model is fine');

  const answer = await call(`${llm.url}/llm`, json({ messages: [{ role: 'user', content: 'hello' }], max_tokens: 4, stream: false }));
  t.equal(answer.status, 200, answer.text);
  t.match(answer.json(), { choices: [{ message: { content: /^\[lpx-reference-runner\]/ } }] });
  const streamed = await call(`${llm.url}/llm`, json({ messages: [{ role: 'user', content: 'count' }], max_tokens: 3, stream: true }));
  t.equal(streamed.status, 200);
  t.match(String(streamed.headers['content-type']), /^text\/event-stream/);
  const events = streamed.text.split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => JSON.parse(e.slice(6)) as { choices?: { delta?: { content?: string } }[] });
  t.ok(events.length >= 2, 'an SSE event per chunk');

  // Refusals: coded 4xx, before any work.
  const refused = async (url: string, body: unknown) => {
    const r = await call(url, json(body));
    return { status: r.status, code: r.headers['lpx-error-code'], body: r.json<{ error: { message: string; code: string }; detail: { msg: string } }>() };
  };
  const other = await refused(`${t2i.url}/text-to-image`, { prompt: 'x', model_id: 'someone/else' });
  t.match(other, { status: 400, code: 'LPX_ERR_AI_REQUEST_INVALID', body: { error: { message: /serves text-to-image with model/ } } }, 'another model is refused');
  t.match(await refused(`${t2i.url}/text-to-image`, { prompt: '', width: 64, height: 64 }), { status: 400, code: 'LPX_ERR_AI_REQUEST_INVALID' }, 'the runner refusing the input');
  t.match(await refused(`${t2i.url}/text-to-image`, { prompt: 'big', width: 512, height: 512 }), { status: 400, code: 'LPX_ERR_AI_UNITS_NOT_COVERED', body: { error: { message: /needs 262144 billing units \(output pixel .*\); the app's fixed price covers 131072/ } } }, 'more units than one call covers');
  t.equal((await call(`${t2i.url}/llm`, json({ messages: [] }))).status, 404, "another pipeline's route is not this app's");
  t.equal(node.host.capabilities.available('ai/text-to-image', T2I_MODEL), 2, 'no capacity held after the calls');
});

t.test('a runner that drops a request answers a coded 500; a runner that goes away leaves discovery', async (t) => {
  let front: Awaited<ReturnType<typeof droppingFront>> | undefined;
  const node = await startAIOrchestrator(t, { t2iFront: async (runnerUrl) => (front = await droppingFront(t, runnerUrl)).url });
  const t2i = await appUrl(node.uri, T2I_APP);
  t.equal((await call(`${t2i.url}/text-to-image`, json({ prompt: 'fine', width: 64, height: 64 }))).status, 200);

  front!.dropNext();
  const dropped = await call(`${t2i.url}/text-to-image`, json({ prompt: 'dropped', width: 64, height: 64 }));
  t.equal(dropped.status, 500, dropped.text);
  t.equal(dropped.headers['lpx-error-code'], 'LPX_ERR_AI_RUNNER_FAILED', 'a clear, coded runner failure');
  t.equal((await call(`${t2i.url}/text-to-image`, json({ prompt: 'again', width: 64, height: 64 }))).status, 200, 'the next call is served');

  await node.t2i.close();
  await until(async () => ((await apps(node.uri)).some((a) => a.app === T2I_APP) ? undefined : true), 'the app to leave discovery once its runner is gone');
  t.equal((await call(`${t2i.url}/text-to-image`, json({ prompt: 'gone', width: 64, height: 64 }))).status, 404, 'its route answers 404 (the runner is unknown)');
  t.ok((await apps(node.uri)).some((a) => a.app === LLM_APP), 'the other model stays');
});
