import { execFileSync } from 'node:child_process';
import { referenceRunnerImage } from '../../../helpers/reference-runner-image.js';
import type { Test } from 'tap';
import { fromDataUrl, postForm, postJson, startRunnerContainer } from './containers.js';

const png = (w: number, h: number): Blob =>
  new Blob([execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=s=${w}x${h}:d=1`, '-frames:v', '1', '-c:v', 'png', '-f', 'image2pipe', '-'])], { type: 'image/png' });
const wav = (): Blob =>
  new Blob([execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=440:d=1', '-c:a', 'pcm_s16le', '-f', 'wav', '-'])], { type: 'audio/wav' });

/** Each pipeline: the request a client sends and the response shape the runner's OpenAPI schema gives. */
export const ROUTE_CASES: { pipeline: string; model: string; send: (url: string) => Promise<Response>; shape: object; engine: string }[] = [
  { pipeline: 'text-to-image', model: 'stabilityai/sdxl-turbo', engine: 'deterministic', send: (u) => postJson(u, { prompt: 'a boat', width: 256, height: 256 }), shape: { images: [{ url: /^data:image\/png;base64,/, seed: Number, nsfw: false }] } },
  { pipeline: 'image-to-image', model: 'timbrooks/instruct-pix2pix', engine: 'deterministic', send: (u) => postForm(u, { prompt: 'blue', image: png(256, 256) }), shape: { images: [{ url: /^data:image\/png;base64,/, seed: Number, nsfw: false }] } },
  { pipeline: 'image-to-video', model: 'stabilityai/stable-video-diffusion-img2vid-xt', engine: 'deterministic', send: (u) => postForm(u, { image: png(256, 256), width: '256', height: '144' }), shape: { frames: [Array] } },
  { pipeline: 'upscale', model: 'stabilityai/stable-diffusion-x4-upscaler', engine: 'ffmpeg', send: (u) => postForm(u, { prompt: 'sharp', image: png(128, 128) }), shape: { images: [{ url: /^data:image\/png;base64,/, seed: Number, nsfw: false }] } },
  { pipeline: 'audio-to-text', model: 'openai/whisper-large-v3', engine: 'pocketsphinx', send: (u) => postForm(u, { audio: wav() }), shape: { text: String, chunks: Array } },
  { pipeline: 'segment-anything-2', model: 'facebook/sam2-hiera-large', engine: 'deterministic', send: (u) => postForm(u, { image: png(128, 96), box: '[10,10,60,60]' }), shape: { masks: /^\[\[\[/, scores: /^\[/, logits: /^\[\[\[/ } },
  { pipeline: 'llm', model: 'meta-llama/Meta-Llama-3.1-8B-Instruct', engine: 'deterministic', send: (u) => postJson(u, { messages: [{ role: 'user', content: 'hi' }], max_tokens: 32 }), shape: { id: String, model: String, created: Number, usage: { prompt_tokens: Number, completion_tokens: Number, total_tokens: Number }, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: String } }] } },
  { pipeline: 'image-to-text', model: 'Salesforce/blip-image-captioning-large', engine: 'tesseract', send: (u) => postForm(u, { image: png(128, 64) }), shape: { text: String } },
  { pipeline: 'text-to-speech', model: 'parler-tts/parler-tts-large-v1', engine: 'espeak-ng', send: (u) => postJson(u, { text: 'hello' }), shape: { audio: { url: /^data:audio\/wav;base64,/ } } },
];

/** Starts a container per pipeline named and checks its route answers the runner's shape. */
export async function checkRoutes(t: Test, pipelines: readonly string[]): Promise<void> {
  const { ref, runtime } = await referenceRunnerImage(t);
  for (const c of ROUTE_CASES.filter((r) => pipelines.includes(r.pipeline))) {
    await t.test(c.pipeline, async (t) => {
      const runner = await startRunnerContainer(t, runtime, ref, { PIPELINE: c.pipeline, MODEL_ID: c.model });
      t.equal(runner.health, 'IDLE', `cold start ${runner.coldStartMs} ms`);
      const started = Date.now();
      const res = await c.send(`${runner.url}/${c.pipeline}`);
      const ms = Date.now() - started;
      const body = (await res.json()) as Record<string, unknown>;
      t.equal(res.status, 200, JSON.stringify(body).slice(0, 300));
      t.equal(res.headers.get('x-lpx-reference-runner'), c.engine);
      t.match(body, c.shape);
      t.comment(`${c.pipeline}: cold start ${runner.coldStartMs} ms, request ${ms} ms`);
      if (c.pipeline === 'text-to-speech') t.ok(fromDataUrl((body.audio as { url: string }).url).data.subarray(0, 4).equals(Buffer.from('RIFF')));
      if (c.pipeline === 'image-to-video') t.equal((body.frames as unknown[][])[0]!.length, 25);
      // Another pipeline's route is not served by this container.
      const other = c.pipeline === 'llm' ? 'text-to-image' : 'llm';
      t.equal((await postJson(`${runner.url}/${other}`, {})).status, 404);
    });
  }
}
