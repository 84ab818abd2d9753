/**
 * The demo's AI part: one request per kind of engine the reference runner
 * has (espeak-ng, pocketsphinx, tesseract, ffmpeg, deterministic, LLM over
 * SSE) sent to the gateway's go-livepeer AI routes, each routed to an
 * orchestrator that runs it in a runner container. Speech is made, then
 * transcribed back; text is drawn with ffmpeg, then read by OCR.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DemoAIResult {
  /** Requests answered 200 with the pipeline's response shape. */
  readonly ok: number;
  readonly failed: number;
  readonly lines: readonly string[];
}

type Ask = (path: string, init: { json?: unknown; form?: FormData }) => Promise<Response>;

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

async function ffmpegImage(filter: string): Promise<Buffer> {
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', filter, '-frames:v', '1', '-c:v', 'png', '-f', 'image2pipe', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

function textImage(text: string): Promise<Buffer> {
  return ffmpegImage(`color=white:s=640x160:d=1,drawtext=fontfile=${FONT}:text='${text}':fontsize=44:fontcolor=black:x=20:y=50`);
}

/** Media URLs in gateway answers are the gateway's own (absolute or root-relative). */
async function download(gatewayUrl: string, url: string): Promise<Buffer> {
  if (url.startsWith('data:')) return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
  const response = await fetch(new URL(url, gatewayUrl));
  if (response.status !== 200) throw new Error(`media ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

async function readJson(response: Response, pipeline: string): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${pipeline}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Reads an SSE body and joins the LLM's content deltas. */
async function readStream(response: Response): Promise<{ text: string; events: number }> {
  if (response.status !== 200) throw new Error(`llm: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  const body = await response.text();
  let text = '';
  let events = 0;
  for (const line of body.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]' || data === '') continue;
    const event = JSON.parse(data) as { choices?: { delta?: { content?: string } }[] };
    events++;
    text += event.choices?.[0]?.delta?.content ?? '';
  }
  return { text, events };
}

interface AIStatus {
  readonly executors?: readonly { readonly name: string; readonly offers: readonly { readonly pipeline: string; readonly modelId: string; readonly capacity: number }[] }[];
}

/**
 * Waits until an orchestrator's warm runners all offer capacity: they start
 * with the node (engine checks included), and the demo's other parts would
 * otherwise share the two cores with six container starts.
 */
export async function waitForAIRunners(orchestratorHttpUrl: string, models: readonly { readonly pipeline: string; readonly model_id: string }[], log: (line: string) => void, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let missing: string[] = models.map((m) => `${m.pipeline} ${m.model_id}`);
  let said = '';
  while (Date.now() < deadline) {
    const status = (await fetch(`${orchestratorHttpUrl}/v1/ai/models`)
      .then((r) => r.json())
      .catch(() => ({}))) as AIStatus;
    const ready = new Set((status.executors ?? []).flatMap((e) => e.offers.filter((o) => o.capacity > 0).map((o) => `${o.pipeline} ${o.modelId}`)));
    missing = models.map((m) => `${m.pipeline} ${m.model_id}`).filter((key) => !ready.has(key));
    if (missing.length === 0) return;
    const line = `waiting for ${missing.length} warm runner(s): ${missing.map((key) => key.split(' ')[0]).join(', ')}`;
    if (line !== said) log(line);
    said = line;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`warm AI runners not ready after ${Math.round(timeoutMs / 1000)} s: ${missing.join(', ')} (see the orchestrator's log)`);
}

export async function runDemoAI(gatewayUrl: string, apiKey: string | undefined, log: (line: string) => void): Promise<DemoAIResult> {
  const headers: Record<string, string> = apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` };
  const ask: Ask = (path, init) =>
    fetch(`${gatewayUrl}${path}`, {
      method: 'POST',
      headers: init.json !== undefined ? { ...headers, 'content-type': 'application/json' } : headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.form!,
      signal: AbortSignal.timeout(180_000),
    });
  const lines: string[] = [];
  let ok = 0;
  let failed = 0;
  const step = async (name: string, work: () => Promise<string>): Promise<void> => {
    const started = Date.now();
    try {
      const line = `${name}: ${await work()} (${Date.now() - started} ms)`;
      ok++;
      lines.push(line);
      log(line);
    } catch (error) {
      failed++;
      const line = `${name}: failed: ${(error as Error).message}`;
      lines.push(line);
      log(line);
    }
  };

  const phrase = 'hello world';
  let speech: Buffer | undefined;
  await step('text-to-speech (espeak-ng)', async () => {
    const body = await readJson(await ask('/text-to-speech', { json: { text: phrase } }), 'text-to-speech');
    speech = await download(gatewayUrl, (body.audio as { url: string }).url);
    return `${speech.length} bytes of WAV for "${phrase}"`;
  });
  await step('audio-to-text (pocketsphinx)', async () => {
    if (speech === undefined) throw new Error('no speech to transcribe (text-to-speech failed)');
    const form = new FormData();
    form.set('audio', new Blob([speech], { type: 'audio/wav' }), 'speech.wav');
    const body = await readJson(await ask('/audio-to-text', { form }), 'audio-to-text');
    return `heard "${String(body.text).trim()}"`;
  });
  await step('image-to-text (tesseract)', async () => {
    const form = new FormData();
    form.set('image', new Blob([await textImage('Livepeer on lpx')], { type: 'image/png' }), 'text.png');
    const body = await readJson(await ask('/image-to-text', { form }), 'image-to-text');
    return `read "${String(body.text).trim()}"`;
  });
  await step('upscale (ffmpeg)', async () => {
    const form = new FormData();
    form.set('image', new Blob([await ffmpegImage('testsrc2=s=128x72:d=1')], { type: 'image/png' }), 'small.png');
    form.set('prompt', 'sharper');
    const body = await readJson(await ask('/upscale', { form }), 'upscale');
    const image = await download(gatewayUrl, (body.images as { url: string }[])[0]!.url);
    return `128x72 in, ${image.length} bytes of PNG out`;
  });
  await step('text-to-image (deterministic)', async () => {
    const body = await readJson(await ask('/text-to-image', { json: { prompt: 'a lighthouse at dusk', width: 256, height: 256 } }), 'text-to-image');
    const images = body.images as { url: string; seed: number }[];
    const image = await download(gatewayUrl, images[0]!.url);
    return `${images.length} image(s), ${image.length} bytes, seed ${images[0]!.seed}`;
  });
  await step('llm (SSE)', async () => {
    const streamed = await readStream(
      await ask('/llm', { json: { model: 'meta-llama/llama-3.1-8B-Instruct', messages: [{ role: 'user', content: 'What is Livepeer?' }], stream: true, max_tokens: 24 } }),
    );
    return `${streamed.events} events: "${streamed.text.trim().slice(0, 60)}"`;
  });
  return { ok, failed, lines };
}
