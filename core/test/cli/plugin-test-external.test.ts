// `lpx plugin test` without an image: an external app (the partner runs it,
// the node proxies) is checked where its manifest points, and a project whose
// manifest is invalid fails before any engine is touched.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runCli } from '../../../test/helpers/cli.js';

async function project(t: Test, manifest: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-plugin-test-ext-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'plugin.manifest.json'), JSON.stringify(manifest));
  return dir;
}

t.test('an external app is tested at its URL, with no image and no engine', async (t) => {
  const server = createServer((req, res) => {
    if (req.url === '/health') return void res.writeHead(200).end('ok');
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const text = (JSON.parse(body || 'null') as { text?: unknown } | null)?.text;
      if (typeof text !== 'string') return void res.writeHead(422, { 'content-type': 'application/json' }).end('{"error":"text"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: text.toUpperCase() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = await project(t, {
    id: 'remote-upper',
    version: '1.0.0',
    host: '^0.1.0',
    permissions: ['network'],
    grants: { network: { hosts: ['127.0.0.1'] } },
    byoc: { name: 'remote-upper', description: 'Uppercases, elsewhere', inputSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } }, mode: 'request-response', price: { unit: 'request', pricePerUnit: '5000' }, capacity: 4, external: { url } },
  });
  // No engine anywhere: a container step would fail on it.
  const run = await runCli('plugin', 'test', dir, '--docker-host', 'unix:///nonexistent/docker.sock', '--json');
  t.equal(run.code, 0, run.stdout);
  const report = JSON.parse(run.stdout) as { ok: boolean; steps: { name: string; status: string; detail?: string }[] };
  t.same(
    report.steps.map((s) => [s.name, s.status]),
    [
      ['manifest', 'passed'],
      ['image archive', 'skipped'],
      ['conformance: the manifest is a valid lpx manifest with a byoc section', 'passed'],
      ['conformance: price and capacity are sane', 'passed'],
      ['conformance: the health path answers the declared status', 'passed'],
      ['conformance: a valid request succeeds in the declared mode', 'passed'],
      ['conformance: input the schema forbids is refused with a 4xx', 'passed'],
      ['local network: gateway and orchestrator', 'skipped'],
      ['own tests (npm test)', 'skipped'],
    ],
  );
});

t.test('an invalid manifest fails the run and nothing else is attempted', async (t) => {
  const dir = await project(t, { id: 'Bad_Id', version: '1', host: '^0.1.0', byoc: { name: 'x', mode: 'carrier-pigeon' } });
  const run = await runCli('plugin', 'test', dir, '--docker-host', 'unix:///nonexistent/docker.sock');
  t.equal(run.code, 1);
  t.match(run.stdout, /^FAIL manifest\n\s+plugin manifest "Bad_Id" \(.*plugin\.manifest\.json\) is invalid/m);
  t.match(run.stdout, /^skip image archive\n\s+no valid manifest$/m);
  t.notMatch(run.stdout, /conformance|container/);
  t.match(run.stderr, /^error LPX_ERR_BYOC_PLUGIN_TEST_FAILED: 1 of 4 steps failed in .*: manifest$/m);

  const none = await project(t, {});
  await rm(join(none, 'plugin.manifest.json'));
  const missing = await runCli('plugin', 'test', none, '--json');
  t.match(JSON.parse(missing.stdout), { ok: false, steps: [{ name: 'manifest', status: 'failed', detail: /cannot read .*plugin\.manifest\.json: ENOENT/ }] });
});
