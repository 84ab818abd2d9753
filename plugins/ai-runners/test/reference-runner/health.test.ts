import t from 'tap';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postJson, startRunner } from './helpers.js';

const MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'reference-runner', 'src', 'main.ts');

async function health(url: string): Promise<string> {
  return ((await (await fetch(`${url}/health`)).json()) as { status: string }).status;
}

t.test('/health: LOADING until the engine is loaded (pipeline routes answer 503), then IDLE', async (t) => {
  const gate = join(await mkdtemp(join(tmpdir(), 'lpx-runner-gate-')), 'go');
  const runner = await startRunner(t, { PIPELINE: 'text-to-image', MODEL_ID: 'm', LPX_REFERENCE_LOAD_GATE: gate });
  t.equal(await health(runner.url), 'LOADING');
  const early = await postJson(runner, '/text-to-image', { prompt: 'x' });
  t.same([early.status, await early.json()], [503, { detail: { msg: 'Pipeline is loading.' } }]);
  await writeFile(gate, '');
  await runner.loaded;
  t.equal(await health(runner.url), 'IDLE');
});

t.test('/health: OK while a request is in flight, IDLE after it', async (t) => {
  const runner = await startRunner(t, { PIPELINE: 'text-to-image', MODEL_ID: 'm' });
  await runner.loaded;
  // A request whose body has not all arrived is in flight.
  const body = JSON.stringify({ prompt: 'x', width: 8, height: 8 });
  const pending = request(`${runner.url}/text-to-image`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
  const answered = new Promise<number>((resolve, reject) => {
    pending.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    pending.on('error', reject);
  });
  pending.write(body.slice(0, 5));
  pending.flushHeaders();
  for (let i = 0; i < 100 && (await health(runner.url)) !== 'OK'; i++) await new Promise((r) => setTimeout(r, 20));
  t.equal(await health(runner.url), 'OK');
  pending.end(body.slice(5));
  t.equal(await answered, 200);
  t.equal(await health(runner.url), 'IDLE');
});

/** The runner as the container runs it: its own process, env only. */
function runMain(env: Record<string, string>): { exited: Promise<{ code: number | null; output: string }>; kill(): void; firstLine: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { ...env, HOST: '127.0.0.1', PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let onLine: (line: string) => void = () => undefined;
  const firstLine = new Promise<string>((resolve) => (onLine = resolve));
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.includes('\n')) onLine(output.split('\n')[0]!);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return { exited: new Promise((resolve) => child.on('close', (code) => resolve({ code, output }))), kill: () => child.kill('SIGTERM'), firstLine };
}

t.test('/health: ERROR when the engine cannot run (here: espeak-ng and ffmpeg not on PATH); requests answer 500', async (t) => {
  const emptyBin = await mkdtemp(join(tmpdir(), 'lpx-empty-bin-'));
  const runner = runMain({ PATH: emptyBin, PIPELINE: 'text-to-speech', MODEL_ID: 'parler-tts/parler-tts-large-v1' });
  t.teardown(() => runner.kill());
  const port = /:(\d+), loading/.exec(await runner.firstLine)?.[1];
  t.ok(port, 'it listens while loading');
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200 && (await health(url)) === 'LOADING'; i++) await new Promise((r) => setTimeout(r, 25));
  t.equal(await health(url), 'ERROR');
  const res = await fetch(`${url}/text-to-speech`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' });
  t.equal(res.status, 500);
  t.match(await res.json(), { detail: { msg: /Pipeline failed to load: (ffmpeg|ffprobe|espeak-ng) is not installed/ } });
  runner.kill();
  t.equal((await runner.exited).code, 0, 'SIGTERM stops it cleanly');
});

t.test('the process refuses to start without PIPELINE and MODEL_ID, or with an unknown pipeline', async (t) => {
  const none = await runMain({ PATH: process.env['PATH'] ?? '' }).exited;
  t.equal(none.code, 1);
  t.match(none.output, /EnvironmentError: Pipeline must be provided or set through the PIPELINE and MODEL_ID environment variables/);
  const unknown = await runMain({ PATH: process.env['PATH'] ?? '', PIPELINE: 'live-video-to-video', MODEL_ID: 'noop' }).exited;
  t.equal(unknown.code, 1);
  t.match(unknown.output, /live-video-to-video is not a valid pipeline for model noop/);
});
