import t from 'tap';
import { parseReturnTimestamps } from '../../reference-runner/src/pipelines/audio-to-text.js';
import { parsePocketsphinx, toChunks } from '../../reference-runner/src/pipelines/pocketsphinx-output.js';
import { voiceFor, DEFAULT_VOICE_DESCRIPTION } from '../../reference-runner/src/pipelines/text-to-speech.js';
import { countTokens, replyTokens } from '../../reference-runner/src/pipelines/llm.js';
import { crc32, labelPng, readPngText } from '../../reference-runner/src/png-label.js';

// pocketsphinx_continuous -time yes, as Debian bookworm's 0.8+5prealpha prints it (two utterances).
const OUTPUT = `well you got to stop
<s> 0.000 0.320 0.999200
well 0.330 0.570 0.831086
<sil> 0.580 0.710 0.970928
you 0.720 0.910 0.008113
got 0.920 1.030 0.002841
to(2) 1.040 1.170 0.010014
stop 1.180 1.390 0.011177
</s> 1.400 1.600 1.000000
one two
<s> 2.000 2.100 1.000000
one 2.110 2.400 0.900000
[NOISE] 2.400 2.500 0.500000
two 2.500 2.900 0.800000
</s> 2.900 3.000 1.000000
`;

t.test('pocketsphinx output: utterances and word segments without fillers, as sentence or word chunks', async (t) => {
  const utterances = parsePocketsphinx(OUTPUT);
  t.same(utterances.map((u) => u.text), ['well you got to stop', 'one two']);
  t.same(utterances[0]!.words.map((w) => w.word), ['well', 'you', 'got', 'to', 'stop']);
  t.same(toChunks(utterances, true), [
    { text: ' well you got to stop', timestamp: [0.33, 1.39] },
    { text: ' one two', timestamp: [2.11, 2.9] },
  ]);
  t.same(toChunks(utterances, 'word').map((c) => c.text), [' well', ' you', ' got', ' to', ' stop', ' one', ' two']);
  t.same(toChunks(utterances, false), []);
  t.same(parsePocketsphinx(''), []);
});

t.test('return_timestamps is read as the runner reads it', async (t) => {
  t.same(['true', '1', 'Sentence', 'false', '0', 'WORD', 'chunk'].map(parseReturnTimestamps), [true, true, true, false, false, 'word', 'chunk']);
});

t.test('text-to-speech voice from the description', async (t) => {
  t.same(voiceFor(DEFAULT_VOICE_DESCRIPTION), { voice: 'en-us+m3', speed: 165, pitch: 50 });
  t.same(voiceFor('A female speaker talks slowly with a high pitch'), { voice: 'en-us+f3', speed: 130, pitch: 70 });
  t.same(voiceFor('a deep voice, fast'), { voice: 'en-us+m3', speed: 200, pitch: 30 });
});

t.test('llm tokens: counted over words and punctuation; replies capped by max_tokens and deterministic', async (t) => {
  t.equal(countTokens('Hello, world! Tickets win 1 in 100.'), 10);
  t.same(replyTokens(42, 5), replyTokens(42, 5));
  t.equal(replyTokens(42, 1).length, 1);
  t.ok(replyTokens(42, 1000).length <= 64);
});

t.test('PNG labels: tEXt chunks with valid CRCs right after IHDR', async (t) => {
  t.equal(crc32(Buffer.from('123456789')), 0xcbf43926, 'the standard check value');
  const { execFileSync } = await import('node:child_process');
  const png = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=red:s=4x4:d=1', '-frames:v', '1', '-c:v', 'png', '-f', 'image2pipe', '-']);
  const labelled = labelPng(png, { Software: 'lpx reference runner', Comment: 'naïve → ascii' });
  t.same(readPngText(labelled), { Software: 'lpx reference runner', Comment: 'na?ve ? ascii' });
  // ffprobe decodes it: the chunks are well formed.
  const probe = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width', '-of', 'csv=p=0', '-'], { input: labelled }).toString().trim();
  t.equal(probe, '4');
  t.equal(labelPng(Buffer.from('not a png'), { a: 'b' }).toString(), 'not a png');
});
