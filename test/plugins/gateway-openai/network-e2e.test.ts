// End to end on a local network, with the official openai client as the app: a gateway Host
// (gateway-openai, the pipelines, static discovery) routes each request over go-livepeer's AI wire
// to an orchestrator + worker Host whose ai-runners plugin runs the reference AI runner in Docker
// containers — espeak-ng speaks, pocketsphinx listens, the LLM and text-to-image answers are the
// runner's labelled deterministic ones. Nothing here is a double.
import t from 'tap';
import OpenAI, { toFile } from 'openai';
import aiAudioToTextPlugin from '@lpx/plugin-ai-audio-to-text';
import aiLlmPlugin from '@lpx/plugin-ai-llm';
import aiRunnersPlugin from '@lpx/plugin-ai-runners';
import aiTextToImagePlugin from '@lpx/plugin-ai-text-to-image';
import aiTextToSpeechPlugin from '@lpx/plugin-ai-text-to-speech';
import discoveryStaticPlugin from '@lpx/plugin-discovery-static';
import gatewayOpenAIPlugin from '@lpx/plugin-gateway-openai';
import runtimeDockerPlugin from '@lpx/plugin-runtime-docker';
import { testDocker } from '../../helpers/docker.js';
import { makeHost } from '../../helpers/host.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';
import { connectedClients } from '../../helpers/redis-clients.js';
import { referenceRunnerImage } from '../../helpers/reference-runner-image.js';

const LLM = 'meta-llama/Meta-Llama-3.1-8B-Instruct';
const IMAGE = 'ByteDance/SDXL-Lightning';
const TTS = 'parler-tts/parler-tts-large-v1';
const ASR = 'openai/whisper-large-v3';
const PIPELINES = [aiLlmPlugin, aiTextToImagePlugin, aiTextToSpeechPlugin, aiAudioToTextPlugin];

async function until(check: () => Promise<boolean>): Promise<void> {
  // Bounded by tap's timeout for the file, not by a threshold of ours.
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 200));
}

/** Words two phrases share (pocketsphinx on espeak-ng's voice is rough: most, not all). */
function shared(said: string, heard: string): string[] {
  const words = new Set(heard.toLowerCase().split(/\W+/));
  return said.toLowerCase().split(/\W+/).filter((word) => word && words.has(word));
}

t.test('the openai client against a gateway and an orchestrator running the reference runner', async (t) => {
  // The image on the shared test engine first: the orchestrator's runners find its tag there.
  await referenceRunnerImage(t);
  const { dockerHost } = await testDocker(t);
  const redis = await testRedis(t);
  const prefixes = [uniquePrefix('openai-orch'), uniquePrefix('openai-gw')];
  const orchestrator = makeHost(t, [runtimeDockerPlugin, aiRunnersPlugin, ...PIPELINES], {
    redis: { url: redis.url, prefix: prefixes[0] },
    node: { roles: ['orchestrator', 'worker'] },
    orchestrator: { port: 0 },
    ai: { heartbeatMs: 200 },
    plugins: {
      'runtime-docker': { config: { host: dockerHost } },
      'ai-runners': {
        config: {
          // One warm runner per model on four CPU slots (no GPU here: the slots run without a device).
          gpus: '0',
          containersPerGpu: 4,
          aiModels: [LLM, IMAGE, TTS, ASR].map((model_id, i) => ({ pipeline: ['llm', 'text-to-image', 'text-to-speech', 'audio-to-text'][i], model_id, warm: true, price_per_unit: i + 1, pixels_per_unit: 1 })),
        },
      },
    },
  });
  await orchestrator.start();

  const gateway = makeHost(t, [discoveryStaticPlugin, ...PIPELINES, gatewayOpenAIPlugin], {
    redis: { url: redis.url, prefix: prefixes[1] },
    node: { roles: ['gateway'] },
    gateway: { poolRefreshMs: 500 },
    plugins: { 'discovery-static': { config: { orchAddr: orchestrator.serviceUri } }, 'gateway-openai': { config: { aliases: { 'gpt-4o-mini': LLM } } } },
  });
  await gateway.start();
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused-on-an-open-gateway', maxRetries: 0 });

  // The warm runners come up (healthy, so capacity), the orchestrator advertises them, the gateway's pool picks them up.
  const capabilities = ['ai/llm', 'ai/text-to-image', 'ai/text-to-speech', 'ai/audio-to-text'];
  await until(async () => capabilities.every((id) => (orchestrator.capabilities.get(id)?.capacity ?? 0) > 0));
  await until(async () => (await client.models.list()).data.length === 4);
  const models = (await client.models.list()).data as unknown as { id: string; pipeline: string; orchestrators: number; price_per_unit: string }[];
  t.same(models.map((m) => [m.id, m.pipeline, m.orchestrators]), [
    [IMAGE, 'text-to-image', 1],
    [LLM, 'llm', 1],
    [ASR, 'audio-to-text', 1],
    [TTS, 'text-to-speech', 1],
  ]);

  const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello to Livepeer.' }], max_tokens: 12 });
  t.match(completion, { object: 'chat.completion', model: LLM, choices: [{ message: { role: 'assistant', content: /^\[lpx-reference-runner\]/ } }] });
  t.ok(completion.usage!.completion_tokens > 0 && completion.usage!.completion_tokens <= 12, `usage: ${JSON.stringify(completion.usage)}`);

  const stream = await client.chat.completions.create({ model: LLM, messages: [{ role: 'user', content: 'Count to three.' }], max_tokens: 8, stream: true, stream_options: { include_usage: true } });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  t.equal(chunks[0]!.choices[0]!.delta.role, 'assistant');
  t.match(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), /^\[lpx-reference-runner\]/);
  t.ok(['stop', 'length'].includes(chunks.at(-2)!.choices[0]!.finish_reason!), 'a finishing chunk');
  t.match(chunks.at(-1), { choices: [], usage: { completion_tokens: Number } }, 'the usage chunk');

  const image = await client.images.generate({ model: IMAGE, prompt: 'a lighthouse at dusk', size: '256x128', response_format: 'b64_json' });
  const png = Buffer.from(image.data![0]!.b64_json!, 'base64');
  t.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  t.same([png.readUInt32BE(16), png.readUInt32BE(20)], [256, 128], 'the size asked for');
  const linked = await client.images.generate({ model: IMAGE, prompt: 'a lighthouse at dusk', size: '256x128' });
  const fetched = await fetch(linked.data![0]!.url!);
  t.equal(fetched.status, 200, `the gateway serves ${linked.data![0]!.url}`);
  t.same(Buffer.from(await fetched.arrayBuffer()), png, 'the same deterministic image');

  const said = 'one two three four five six seven';
  const wav = Buffer.from(await (await client.audio.speech.create({ model: TTS, input: said, voice: 'echo', response_format: 'wav' })).arrayBuffer());
  t.equal(wav.subarray(0, 4).toString('latin1'), 'RIFF');
  const mp3 = await client.audio.speech.create({ model: TTS, input: said, voice: 'echo' });
  t.equal(mp3.headers.get('content-type'), 'audio/mpeg');

  const heard = await client.audio.transcriptions.create({ model: ASR, file: await toFile(wav, 'speech.wav', { type: 'audio/wav' }) });
  t.comment(`said "${said}", heard "${heard.text}"`);
  t.ok(shared(said, heard.text).length >= 3, `most of the words came back: ${shared(said, heard.text).join(' ')}`);
  const subtitles = await client.audio.transcriptions.create({ model: ASR, file: await toFile(Buffer.from(await mp3.arrayBuffer()), 'speech.mp3', { type: 'audio/mpeg' }), response_format: 'vtt' });
  t.match(subtitles, /^WEBVTT\n\n\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}\n/, 'WebVTT cues from the runner timestamps, from the mp3 we made');

  await t.rejects(client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] }), { constructor: OpenAI.NotFoundError, code: 'LPX_ERR_AI_OPENAI_MODEL_NOT_FOUND' });
  await t.rejects(client.chat.completions.create({ model: LLM, messages: [{ role: 'user', content: 'hi' }], max_tokens: 0 }), { status: 400, code: 'LPX_ERR_AI_REQUEST_INVALID' });

  // Stopping leaves no Redis connection behind: the orchestrator's runners going away as it stopped
  // once reopened its ai/<pipeline> workers' blocking connections, which then kept the process alive.
  await gateway.stop();
  await orchestrator.stop();
  t.same(await connectedClients(redis, prefixes), [], 'no Redis client of either Host is left connected');
});
