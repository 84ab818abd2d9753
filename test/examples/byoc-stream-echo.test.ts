// examples/byoc-stream-echo run as a partner runs it (its one command, a child
// process, configured from the environment) against a real lpx orchestrator
// (trickle + byoc-host + byoc-stream) and a real lpx gateway on the embedded
// dev chain: it registers over /capability/register with the orchestrator
// secret; a stream started through the gateway's /process/stream/* echoes each
// ingested segment with its header line on out, a JSON line on data, takes a
// params update, stops; SIGTERM unregisters it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { request } from 'undici';
import { startClientStream, startLpxStreamNetwork, STREAM_SECRET } from '../byoc-stream/helpers/lpx-stream-network.js';

const BIN = fileURLToPath(new URL('../../examples/byoc-stream-echo/bin/byoc-stream-echo.mjs', import.meta.url));

t.test('examples/byoc-stream-echo: registers, echoes a stream through an lpx gateway, unregisters on SIGTERM', async (t) => {
  const net = await startLpxStreamNetwork(t);
  const [o] = net.orchestrators;
  const child = spawn(process.execPath, [BIN], { env: { ...process.env, LPX_ORCHESTRATOR_URL: o!.uri, LPX_ORCHESTRATOR_SECRET: STREAM_SECRET, STREAM_NAME: 'echo-stream', STREAM_PRICE: '2' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let ready: { ready: boolean; name: string; url: string } | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    ready = JSON.parse(line) as typeof ready;
    break;
  }
  t.match(ready, { ready: true, name: 'echo-stream', url: /^http:\/\/127\.0\.0\.1:\d+$/ }, stderr);
  const token = await net.token(o!, 'echo-stream');
  t.same([token.availableCapacity, token.price?.pricePerUnit], [1n, 2n], 'the orchestrator offers it at its price');

  const auth = { authorization: `Bearer ${net.apiKey}` };
  const started = await startClientStream(net, 'echo-stream', { params: JSON.stringify({ label: 'a' }) });
  t.equal(started.status, 200, JSON.stringify(started.json));
  const urls = started.json;

  const data = await request(urls.data_url, { headers: auth });
  let events = '';
  const lines = (n: number) =>
    new Promise<string[]>((resolve) => {
      const check = () => {
        const found = [...events.matchAll(/^data: (.*)$/gm)].map((m) => m[1]!);
        if (found.length >= n) resolve(found);
      };
      data.body.on('data', (chunk: Buffer) => {
        events += chunk.toString('utf8');
        check();
      });
      check();
    });
  const twoLines = lines(2);

  const segment = async (seq: number, body: string) => {
    const out = request(`${urls.out_url}?seq=${seq}`, { headers: auth });
    const ingest = await request(urls.ingest_url, { method: 'POST', body, headers: { ...auth, 'content-type': 'video/mp2t' } });
    t.same(await ingest.body.json(), { seq });
    return (await (await out).body.text());
  };
  t.equal(await segment(0, 'first'), 'echo seq=0 params={"label":"a"}\nfirst', 'segment 0 echoed with its header line');

  const livepeer = Buffer.from(JSON.stringify({ request: JSON.stringify({ stream_id: urls.stream_id }), parameters: '{}', capability: 'echo-stream', timeout_seconds: 30 })).toString('base64');
  const update = await request(urls.update_url, { method: 'POST', body: '{"label":"b"}', headers: { ...auth, livepeer, 'content-type': 'application/json' } });
  t.same([update.statusCode, await update.body.json()], [200, { applied: { label: 'b' } }], "the worker's /stream/params answer");
  t.equal(await segment(1, 'second'), 'echo seq=1 params={"label":"b"}\nsecond', 'the update applies from the next segment');
  t.same((await twoLines).map((l) => JSON.parse(l) as unknown), [{ seq: 0, bytes: 5, params: { label: 'a' } }, { seq: 1, bytes: 6, params: { label: 'b' } }], 'one JSON line per segment on data');
  data.body.on('error', () => undefined); // our own destroy below aborts the read
  data.body.destroy();

  const stop = await request(urls.stop_url, { method: 'POST', headers: auth });
  t.equal(stop.statusCode, 204);
  await stop.body.text();
  t.equal((await net.token(o!, 'echo-stream')).availableCapacity, 1n, 'capacity back after the stop');

  child.kill('SIGTERM');
  t.equal(await exited, 0, 'exits cleanly on SIGTERM');
  t.match(stderr, /stream .* stopped after 2 segment\(s\)/);
  t.notMatch(stderr, /unregister:/, 'the orchestrator took the unregistration');
  const gone = await net.token(o!, 'echo-stream');
  t.same([gone.availableCapacity, gone.price?.pricePerUnit], [0n, 0n], 'unregistered: no capacity and no price for it any more');
});
