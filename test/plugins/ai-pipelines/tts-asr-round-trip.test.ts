import t from 'tap';
import { AI_SUITE_LIMITS } from '@lpx/sdk/testing';
import { referenceRunnerImage } from '../../helpers/reference-runner-image.js';
import { startRunnerContainer } from '../ai-runners/reference-image/containers.js';
import { PIPELINES } from './pipelines.js';

/**
 * Real engines behind the pipelines (lpx's reference runner: espeak-ng and
 * pocketsphinx): the text-to-speech pipeline's WAV, transcribed by the
 * audio-to-text pipeline, with each side's units.
 */
t.test('text-to-speech → audio-to-text through the pipelines: units on each side, words heard back', async (t) => {
  const { ref, runtime } = await referenceRunnerImage(t);
  const tts = await startRunnerContainer(t, runtime, ref, { PIPELINE: 'text-to-speech', MODEL_ID: PIPELINES['text-to-speech'].defaultModel });
  const asr = await startRunnerContainer(t, runtime, ref, { PIPELINE: 'audio-to-text', MODEL_ID: PIPELINES['audio-to-text'].defaultModel });
  const said = 'one two three four five six seven';
  const speak = PIPELINES['text-to-speech'];
  const spoken = await speak.validate({ kind: 'json', json: { text: said } }, AI_SUITE_LIMITS);
  t.equal(speak.units(spoken, 'gateway'), BigInt(said.length));
  t.equal(speak.units(spoken, 'orchestrator'), 1000n * BigInt(said.length));
  const speech = await speak.run(spoken, { baseUrl: tts.url }, new AbortController().signal);
  if (speech.kind !== 'json') throw new Error('json result');
  const wav = speech.files[0]!;
  t.equal(wav.contentType, 'audio/wav');

  const listen = PIPELINES['audio-to-text'];
  const heard = await listen.validate({ kind: 'multipart', fields: {}, files: [{ field: 'audio', filename: 'speech.wav', contentType: 'audio/wav', data: wav.data }] }, AI_SUITE_LIMITS);
  const ms = heard.measures['audioMs']!;
  t.ok(ms > 1000, `a spoken phrase of ${ms} ms`);
  t.equal(listen.units(heard, 'orchestrator'), BigInt(Math.floor(ms / 1000) * 1000), 'whole seconds × 1000');
  const text = await listen.run(heard, { baseUrl: asr.url }, new AbortController().signal);
  if (text.kind !== 'json') throw new Error('json result');
  const transcript = String((text.json as { text: string }).text).toLowerCase();
  const words = said.split(' ').filter((w) => transcript.includes(w));
  t.comment(`said "${said}", heard "${transcript}"`);
  t.ok(words.length >= 3, `at least three words heard back: ${words.join(' ')}`);
});
