import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { referenceRunnerImage } from '../../../helpers/reference-runner-image.js';
import { fromDataUrl, postForm, postJson, startRunnerContainer } from './containers.js';

/** Words two sets share (pocketsphinx on espeak-ng's voice is rough: the test asks for most, not all). */
function shared(said: string, heard: string): string[] {
  const words = new Set(heard.toLowerCase().split(/\W+/));
  return said.toLowerCase().split(/\W+/).filter((w) => w && words.has(w));
}

t.test('text-to-speech → audio-to-text round trip: espeak-ng speaks, pocketsphinx hears most of it', async (t) => {
  const { ref, runtime } = await referenceRunnerImage(t);
  const tts = await startRunnerContainer(t, runtime, ref, { PIPELINE: 'text-to-speech', MODEL_ID: 'parler-tts/parler-tts-large-v1' });
  const asr = await startRunnerContainer(t, runtime, ref, { PIPELINE: 'audio-to-text', MODEL_ID: 'openai/whisper-large-v3' });
  const said = 'one two three four five six seven';
  const speech = (await (await postJson(`${tts.url}/text-to-speech`, { text: said })).json()) as { audio: { url: string } };
  const audio = fromDataUrl(speech.audio.url);
  t.equal(audio.mime, 'audio/wav');
  const wavFile = join(t.testdir({}), 'speech.wav');
  writeFileSync(wavFile, audio.data);
  const seconds = Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', wavFile]).toString());
  t.ok(seconds > 1 && seconds < 10, `a spoken phrase (${seconds} s)`);

  const heard = (await (await postForm(`${asr.url}/audio-to-text`, { audio: new Blob([audio.data], { type: 'audio/wav' }) })).json()) as { text: string; chunks: { text: string; timestamp: [number, number] }[] };
  t.comment(`said "${said}", heard "${heard.text}"`);
  t.ok(shared(said, heard.text).length >= 3, `at least three of the words: ${shared(said, heard.text).join(' ')}`);
  t.ok(heard.chunks.length >= 1);
  t.ok(heard.chunks.every((c) => c.timestamp[0] <= c.timestamp[1] && c.timestamp[1] <= seconds + 0.5));

  const words = (await (await postForm(`${asr.url}/audio-to-text`, { audio: new Blob([audio.data]), return_timestamps: 'word' })).json()) as typeof heard;
  t.ok(words.chunks.length >= 3, 'word chunks');
  // Another container format goes through ffmpeg too (lossless, so the words survive).
  // Written to a file: a FLAC piped out has no length in its header, and the runner (as ai-runner) needs the duration.
  const flacFile = wavFile.replace(/\.wav$/, '.flac');
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', wavFile, flacFile]);
  const flac = readFileSync(flacFile);
  const fromFlac = (await (await postForm(`${asr.url}/audio-to-text`, { audio: new Blob([flac], { type: 'audio/flac' }), return_timestamps: 'false' })).json()) as typeof heard;
  t.ok(shared(said, fromFlac.text).length >= 3, `flac: ${fromFlac.text}`);
  t.same(fromFlac.chunks, [], 'return_timestamps false: no chunks');
});
