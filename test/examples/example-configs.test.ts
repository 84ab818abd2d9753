import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { makeHost } from '../helpers/host.js';
import { runCli } from '../helpers/cli.js';
import { loadConfig } from '../../core/src/config/load-config.js';
import { testDocker } from '../helpers/docker.js';
import { referenceRunnerImage } from '../helpers/reference-runner-image.js';

const dir = join(import.meta.dirname, '..', '..', 'examples', 'configs');
const configs = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));

t.ok(configs.length >= 3, 'at least three example configs');

for (const file of configs) {
  t.test(`examples/configs/${file}`, async (t) => {
    const check = await runCli('config', 'check', join(dir, file), '--json');
    t.equal(check.code, 0, check.stdout + check.stderr);
    t.match(JSON.parse(check.stdout), { ok: true });

    // Boot it for real (own port, temp data dir), run one job through it when it has a worker.
    const { config } = loadConfig({ file: join(dir, file), env: {} });
    const docker = config.plugins['runtime-docker'];
    if (docker !== undefined) {
      // Runners on the shared test engine, where the reference image is built once per machine.
      await referenceRunnerImage(t);
      docker.config = { ...docker.config, host: (await testDocker(t)).dockerHost };
    }
    const host = makeHost(t, [], { ...config, http: { ...config.http, host: '127.0.0.1', port: 0 }, grpc: { ...config.grpc, port: 0 }, orchestrator: { ...config.orchestrator, port: 0 }, log: { level: 'silent' } });
    await host.start();
    t.equal(host.state, 'ready');
    if (config.plugins['transcode-ffmpeg'] !== undefined) {
      // Probing runs in the background after start: wait for the statuses, then check what the node says about each backend.
      type Backends = { backends: { name: string; available: boolean; capacity: number; reason?: string }[] };
      let body: Backends = { backends: [] };
      for (let i = 0; i < 120 && body.backends.length < Object.keys(config.plugins).filter((p) => p.startsWith('transcode-')).length; i++) {
        body = (await (await fetch(`${host.url}/v1/transcode/backends`)).json()) as Backends;
        if (body.backends.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const byName = new Map(body.backends.map((b) => [b.name, b]));
      t.match(byName.get('ffmpeg'), { available: true, capacity: 2 }, 'ffmpeg transcodes on this CPU');
      for (const hardware of ['nvenc', 'netint']) {
        t.match(byName.get(hardware), { available: false, capacity: 0, reason: /\S/ }, `${hardware} says why it is unavailable here`);
      }
    }
    if (config.plugins['video-ingest'] !== undefined) {
      const res = await fetch(`${host.url}/stream/never-pushed.m3u8`);
      t.equal(res.status, 404, 'HLS of a stream nobody pushed is a 404');
      t.match(await res.json(), { code: 'LPX_ERR_INGEST_STREAM_NOT_FOUND' });
    }
    if (config.plugins['gateway-openai'] !== undefined) {
      const res = await fetch(`${host.url}/v1/models`);
      t.match(await res.json(), { object: 'list', data: Array }, 'the OpenAI-compatible model list answers');
    }
    if (config.plugins['ai-runners'] !== undefined) {
      // The warm model is offered once its runner container answers /health.
      type Models = { executors: { name: string; offers: { pipeline: string; modelId: string; capacity: number; warm: boolean }[] }[] };
      let offers: Models['executors'][number]['offers'] = [];
      while (!offers.some((o) => o.pipeline === 'text-to-speech' && o.capacity > 0)) {
        offers = ((await (await fetch(`${host.url}/v1/ai/models`)).json()) as Models).executors.flatMap((e) => e.offers);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      t.match(offers.find((o) => o.pipeline === 'text-to-speech'), { modelId: 'parler-tts/parler-tts-large-v1', warm: true }, 'the warm runner container serves text-to-speech');
      t.match(offers.find((o) => o.pipeline === 'llm'), { modelId: 'meta-llama/llama-3.1-8B-Instruct', warm: false }, 'the cold LLM is offered, started on demand');
    }
    // An AI-only worker has no echo capability to try; every other example runs or queues one echo job.
    const aiOnly = config.plugins['ai-runners'] !== undefined && config.plugins['example-echo'] === undefined;
    if (aiOnly) return;
    if (config.node.roles.includes('worker')) {
      const res = await fetch(`${host.url}/plugins/example-echo/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"smoke"}' });
      t.match(await res.json(), { text: /smoke/i });
    } else {
      const { id } = await host.jobs.submit('byoc/echo', { text: 'for a worker elsewhere' });
      const status = await host.jobs.getStatus('byoc/echo', id);
      t.equal(status?.state, 'waiting', 'a node without the worker role queues but does not process');
    }
  });
}

t.test('a config with an unknown key fails naming the key', async (t) => {
  const run = await runCli('config', 'check', join(import.meta.dirname, '..', 'fixtures', 'configs', 'invalid-unknown-key.yaml'));
  t.equal(run.code, 1);
  t.match(run.stderr, /LPX_ERR_CONFIG_UNKNOWN_KEY: .*unknown key "htp"/);
});
