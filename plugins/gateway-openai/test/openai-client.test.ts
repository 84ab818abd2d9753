// Every endpoint through the official openai client, unchanged, against the plugin's routes:
// what the client parses, and what the gateway was asked to route (go-livepeer's bodies).
import t from 'tap';
import { toFile } from 'openai';
import { openAIApp } from './helpers/openai-app.js';
import { PNG, toneWav } from './helpers/pipeline-gateway-double.js';

const LLM = 'meta-llama/Meta-Llama-3.1-8B-Instruct';

t.test('models.list and models.retrieve: the pool as OpenAI model objects with the pipeline', async (t) => {
  const { client } = await openAIApp(t);
  const models = [];
  for await (const model of client.models.list()) models.push(model);
  t.same(
    models.map((m) => [m.id, m.object, m.owned_by, (m as unknown as { pipeline: string }).pipeline]),
    [
      ['ByteDance/SDXL-Lightning', 'model', 'ByteDance', 'text-to-image'],
      [LLM, 'model', 'meta-llama', 'llm'],
      ['openai/whisper-large-v3', 'model', 'openai', 'audio-to-text'],
      ['parler-tts/parler-tts-large-v1', 'model', 'parler-tts', 'text-to-speech'],
    ],
  );
  t.match(models[1], { created: 0, pipelines: ['llm'], orchestrators: 2, warm: true, price_per_unit: '3/2' });
  t.match(await client.models.retrieve(LLM), { id: LLM, object: 'model', pipeline: 'llm' }, 'an id with a slash, escaped by the client');
});

t.test('chat.completions.create: one chat.completion with usage; the llm body go-livepeer takes', async (t) => {
  const { client, gateway } = await openAIApp(t);
  const completion = await client.chat.completions.create({
    model: LLM,
    messages: [
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'hello' }, { type: 'text', text: 'lpx' }] },
    ],
    max_completion_tokens: 50,
    temperature: 0.2,
    top_p: 0.9,
  });
  t.match(completion, {
    id: 'chatcmpl-req-llm-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: LLM,
    choices: [{ index: 0, message: { role: 'assistant', content: 'You said: hello\nlpx' }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 },
  });
  t.same(gateway.calls[0]!.body, {
    kind: 'json',
    json: { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello\nlpx' }], max_tokens: 50, stream: false, temperature: 0.2, top_p: 0.9, model: LLM },
  });
  t.equal(gateway.calls[0]!.pipeline, 'llm');
});

t.test('a completion that used its whole max_tokens finishes with "length", as OpenAI reports it', async (t) => {
  const { client } = await openAIApp(t);
  const completion = await client.chat.completions.create({ model: LLM, messages: [{ role: 'user', content: 'one two three four' }], max_tokens: 2 });
  t.match(completion.choices[0], { message: { content: 'You said:' }, finish_reason: 'length' });
});

t.test('streaming: chat.completion.chunk events, the role first, a finishing chunk, usage when asked, [DONE]', async (t) => {
  const { client, url } = await openAIApp(t);
  const stream = await client.chat.completions.create({ model: LLM, messages: [{ role: 'user', content: 'hi there' }], stream: true, stream_options: { include_usage: true } });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  t.equal(chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''), 'You said: hi there');
  t.same(
    chunks.map((c) => [c.object, c.choices[0]?.delta ?? null, c.choices[0]?.finish_reason ?? null]),
    [
      ['chat.completion.chunk', { role: 'assistant', content: 'You' }, null],
      ['chat.completion.chunk', { content: ' said:' }, null],
      ['chat.completion.chunk', { content: ' hi' }, null],
      ['chat.completion.chunk', { content: ' there' }, null],
      ['chat.completion.chunk', {}, 'stop'],
      ['chat.completion.chunk', null, null],
    ],
  );
  t.ok(chunks.every((c) => c.id === 'chatcmpl-req-llm-2' && c.model === LLM));
  t.same(chunks.at(-1)!.usage, { prompt_tokens: 2, completion_tokens: 4, total_tokens: 6 }, 'the usage chunk has no choices');
  t.ok(chunks.slice(0, -1).every((c) => c.usage === null), 'usage is null on the other chunks, as OpenAI sends it');

  // The raw wire: SSE with a [DONE] terminator and no usage chunk unless asked.
  const raw = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: LLM, messages: [{ role: 'user', content: 'x' }], stream: true }) });
  t.match(raw.headers.get('content-type'), /^text\/event-stream/);
  const events = (await raw.text()).split('\n\n').filter(Boolean);
  t.equal(events.at(-1), 'data: [DONE]');
  t.notOk(events.some((e) => e.includes('"usage"')), 'no usage fields without stream_options.include_usage');
});

t.test('images.generate: url (absolute, on the gateway) or b64_json; n and size map to go-livepeer', async (t) => {
  const { client, gateway, url } = await openAIApp(t);
  const byUrl = await client.images.generate({ model: 'ByteDance/SDXL-Lightning', prompt: 'a lighthouse', n: 2, size: '1024x768' });
  t.match(byUrl, { created: Number, data: [{ url: `${url}/v1/ai/media/req-1/0.png`, seed: 42 }, { url: `${url}/v1/ai/media/req-1/1.png`, seed: 43 }] });
  t.same(gateway.calls[0]!.body, { kind: 'json', json: { prompt: 'a lighthouse', num_images_per_prompt: 2, width: 1024, height: 768, model_id: 'ByteDance/SDXL-Lightning' } });
  const inline = await client.images.generate({ model: 'ByteDance/SDXL-Lightning', prompt: 'a lighthouse', response_format: 'b64_json', seed: 7, negative_prompt: 'fog' } as never);
  t.same(Buffer.from(inline.data![0]!.b64_json!, 'base64'), PNG);
  t.match(gateway.calls[1]!.body, { json: { seed: 7, negative_prompt: 'fog' } }, 'Livepeer knobs pass through as extensions');
});

t.test('audio.speech.create: wav as produced; mp3 (the default), opus and pcm converted by ffmpeg', async (t) => {
  const { client, gateway } = await openAIApp(t);
  const wav = await client.audio.speech.create({ model: 'parler-tts/parler-tts-large-v1', input: 'Hello.', voice: 'nova', response_format: 'wav' });
  t.equal(wav.headers.get('content-type'), 'audio/wav');
  t.same(Buffer.from(await wav.arrayBuffer()), toneWav(), 'the runner WAV, byte for byte');
  t.match(gateway.calls[0]!.body, { json: { text: 'Hello.', description: /energetic voice/, model_id: 'parler-tts/parler-tts-large-v1' } });

  const mp3 = Buffer.from(await (await client.audio.speech.create({ model: 'parler-tts/parler-tts-large-v1', input: 'Hello.', voice: 'A calm old man.' })).arrayBuffer());
  t.ok(mp3.subarray(0, 3).toString('latin1') === 'ID3' || (mp3[0] === 0xff && (mp3[1]! & 0xe0) === 0xe0), 'an MP3 stream');
  t.match(gateway.calls[1]!.body, { json: { description: 'A calm old man.' } }, 'a voice that is no name is the description');

  const opus = await client.audio.speech.create({ model: 'parler-tts/parler-tts-large-v1', input: 'Hello.', voice: 'alloy', response_format: 'opus' });
  t.equal(opus.headers.get('content-type'), 'audio/ogg');
  t.equal(Buffer.from(await opus.arrayBuffer()).subarray(0, 4).toString('latin1'), 'OggS');

  const pcm = Buffer.from(await (await client.audio.speech.create({ model: 'parler-tts/parler-tts-large-v1', input: 'Hello.', voice: 'alloy', response_format: 'pcm', speed: 2 })).arrayBuffer());
  // 0.5 s at 24 kHz, 16-bit, twice as fast: about 0.25 s of samples (resampler edges vary by a few).
  t.ok(Math.abs(pcm.length - 12_000) < 600, `raw 24 kHz s16le at speed 2: ${pcm.length} bytes`);
});

t.test('audio.transcriptions.create: json, text, srt, vtt, verbose_json with segments or words', async (t) => {
  const { client, gateway } = await openAIApp(t);
  const file = () => toFile(toneWav(), 'speech.wav', { type: 'audio/wav' });
  const model = 'openai/whisper-large-v3';
  t.same(await client.audio.transcriptions.create({ model, file: await file() }), { text: ' Hello there. General Kenobi.' });
  const call = gateway.calls[0]!;
  t.equal(call.pipeline, 'audio-to-text');
  t.match(call.body, { kind: 'multipart', fields: { model_id: model, return_timestamps: 'false' }, files: [{ field: 'audio', filename: 'speech.wav', contentType: 'audio/wav' }] });
  t.same(call.body.kind === 'multipart' ? Buffer.from(call.body.files[0]!.data) : undefined, toneWav(), 'the upload reaches the pipeline as is');

  t.equal(await client.audio.transcriptions.create({ model, file: await file(), response_format: 'text' }), ' Hello there. General Kenobi.\n');
  t.equal(await client.audio.transcriptions.create({ model, file: await file(), response_format: 'srt' }), '1\n00:00:00,000 --> 00:00:01,500\nHello there.\n\n2\n00:00:01,500 --> 00:00:01,500\nGeneral Kenobi.\n');
  t.equal(await client.audio.transcriptions.create({ model, file: await file(), response_format: 'vtt' }), 'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello there.\n\n00:00:01.500 --> 00:00:01.500\nGeneral Kenobi.\n');
  t.match(gateway.calls.at(-1)!.body, { fields: { return_timestamps: 'true' } });

  const verbose = await client.audio.transcriptions.create({ model, file: await file(), response_format: 'verbose_json', language: 'en' });
  t.match(verbose, { task: 'transcribe', language: 'en', duration: 1.5, text: ' Hello there. General Kenobi.', segments: [{ id: 0, start: 0, end: 1.5, text: ' Hello there.' }, { id: 1, start: 1.5, end: 1.5 }] });
  const words = await client.audio.transcriptions.create({ model, file: await file(), response_format: 'verbose_json', timestamp_granularities: ['word'] });
  t.match(words, { words: [{ word: 'Hello there.', start: 0, end: 1.5 }, { word: 'General Kenobi.' }] });
  t.match(gateway.calls.at(-1)!.body, { fields: { return_timestamps: 'word' } });
});
