import t from 'tap';
import { execFileSync } from 'node:child_process';
import { referenceRunnerImage } from '../../../helpers/reference-runner-image.js';
import { fromDataUrl, postForm, postJson, startRunnerContainer } from './containers.js';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

t.test('audio-to-text: the runner\'s errors for what is not audio', async (t) => {
  const { ref, runtime } = await referenceRunnerImage(t);
  const asr = await startRunnerContainer(t, runtime, ref, { PIPELINE: 'audio-to-text', MODEL_ID: 'openai/whisper-large-v3' });
  const garbage = await postForm(`${asr.url}/audio-to-text`, { audio: new Blob([Buffer.from('definitely not audio')]) });
  t.same([garbage.status, await garbage.json()], [400, { detail: { msg: 'Unable to calculate duration of file' } }]);
  // With the duration given, the bytes reach the decoder, which refuses them.
  const declared = await postForm(`${asr.url}/audio-to-text`, { audio: new Blob([Buffer.from('definitely not audio')]), metadata: '{"duration": 3}' });
  t.same([declared.status, await declared.json()], [415, { detail: { msg: 'Unsupported audio format or malformed file.' } }]);
  const badMetadata = await postForm(`${asr.url}/audio-to-text`, { audio: new Blob([Buffer.from('x')]), metadata: '{oops' });
  t.equal(badMetadata.status, 400);
  const missing = await postForm(`${asr.url}/audio-to-text`, { model_id: 'openai/whisper-large-v3' });
  t.match([missing.status, await missing.json()], [422, { detail: [{ type: 'missing', loc: ['body', 'audio'] }] }]);
});

t.test('image-to-text: tesseract reads text ffmpeg drew; not an image is a 400', async (t) => {
  const { ref, runtime } = await referenceRunnerImage(t);
  const ocr = await startRunnerContainer(t, runtime, ref, { PIPELINE: 'image-to-text', MODEL_ID: 'Salesforce/blip-image-captioning-large' });
  const drawn = execFileSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=white:s=640x160:d=1',
    '-vf', `drawtext=fontfile=${FONT}:text='Livepeer reference runner':fontsize=44:fontcolor=black:x=20:y=50`,
    '-frames:v', '1', '-c:v', 'mjpeg', '-f', 'image2pipe', '-',
  ]);
  const res = await postForm(`${ocr.url}/image-to-text`, { image: new Blob([drawn], { type: 'image/jpeg' }), prompt: 'ignored by OCR' });
  const body = (await res.json()) as { text: string };
  t.equal(res.status, 200);
  t.equal(body.text, 'Livepeer reference runner');
  const garbage = await postForm(`${ocr.url}/image-to-text`, { image: new Blob([Buffer.from('no picture here')]) });
  t.match([garbage.status, await garbage.json()], [400, { detail: { msg: /cannot identify image file/ } }]);
});

t.test('text-to-speech: an empty text is the runner\'s 400; the description picks the voice', async (t) => {
  const { ref, runtime } = await referenceRunnerImage(t);
  const tts = await startRunnerContainer(t, runtime, ref, { PIPELINE: 'text-to-speech', MODEL_ID: 'parler-tts/parler-tts-large-v1' });
  const empty = await postJson(`${tts.url}/text-to-speech`, { text: '' });
  t.same([empty.status, await empty.json()], [400, { detail: { msg: 'Text input must be provided.' } }]);
  const say = async (description: string): Promise<Buffer> => fromDataUrl(((await (await postJson(`${tts.url}/text-to-speech`, { text: 'good morning', description })).json()) as { audio: { url: string } }).audio.url).data;
  const slow = await say('A female speaker talks slowly');
  const fast = await say('A male speaker talks fast');
  t.ok(slow.length > fast.length, 'slow speech is longer');
});
