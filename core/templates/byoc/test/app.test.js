// The app itself, in its container: run the image the manifest pins, then
// check health, a good request and a refused one over real HTTP.
// Needs docker (DOCKER_HOST is honoured) and `npm run build:image` first.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const manifest = JSON.parse(readFileSync(new URL('../plugin.manifest.json', import.meta.url), 'utf8'));
const { container, health } = manifest.byoc;
const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

async function until(what, check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Server-sent events as {event, data} (data parsed as JSON); enough for this app's stream. */
function events(stream) {
  return stream
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return { event, data: JSON.parse(data) };
    });
}

test('the container answers its health check and uppercases text in its mode', async (t) => {
  let id;
  try {
    id = docker('image', 'inspect', '--format', '{{.Id}}', container.image);
  } catch {
    assert.fail(`image ${container.image} is not on this docker: run npm run build:image first`);
  }
  assert.equal(id, container.digest, 'plugin.manifest.json pins the image that was built (run npm run build:image after changing the app)');

  const name = `${manifest.id}-test-${process.pid}`;
  // Its own bridge network: engines run without the default bridge (an lpx node's own dockerd) still publish ports on one.
  docker('network', 'create', name);
  t.after(() => {
    for (const args of [['rm', '-f', name], ['network', 'rm', name]]) {
      try {
        docker(...args);
      } catch {
        // already gone (the run failed half-way)
      }
    }
  });
  docker('run', '-d', '--name', name, '--network', name, '-p', `127.0.0.1::${container.port}`, container.image);
  const hostPort = docker('port', name, `${container.port}/tcp`).split('\n')[0].split(':').pop();
  const base = `http://127.0.0.1:${hostPort}`;

  await until(`GET ${health.path} answers ${health.status}`, async () => (await fetch(base + health.path)).status === health.status);

  const good = await fetch(`${base}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello partner' }) });
  assert.equal(good.status, 200);
  if (manifest.byoc.mode === 'sse') {
    assert.match(good.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.deepEqual(events(await good.text()), [
      { event: 'message', data: { word: 'HELLO' } },
      { event: 'message', data: { word: 'PARTNER' } },
      { event: 'done', data: { text: 'HELLO PARTNER' } },
    ]);
  } else {
    assert.match(good.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await good.json(), { text: 'HELLO PARTNER' });
  }

  for (const body of ['{}', '{"text": 5}', 'not json']) {
    const bad = await fetch(`${base}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(bad.status, 400, `${body} is refused`);
    assert.ok(typeof (await bad.json()).error === 'string');
  }
});
