import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { ingestApp, push, testSegment } from './helpers/ingest-app.js';
import { parseMaster } from './helpers/parse-answers.js';

type Reply = { status?: number; body?: string; delayMs?: number };

/** A real local auth webhook: answers as scripted, records the JSON it was posted. */
async function authWebhook(t: Test) {
  let reply: Reply = { body: '' };
  const posted: unknown[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      posted.push({ method: req.method, contentType: req.headers['content-type'], json: JSON.parse(body) });
      const { status = 200, body: answer = '', delayMs = 0 } = reply;
      const timer = setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(answer), delayMs);
      res.on('close', () => clearTimeout(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth`, posted, answer: (next: Reply) => void (reply = next) };
}

t.test('the webhook is asked once per stream with the push URL; its manifestID and presets apply', async (t) => {
  const hook = await authWebhook(t);
  const { app, gateway } = await ingestApp(t, { authWebhookUrl: hook.url });
  hook.answer({ body: JSON.stringify({ manifestID: 'internal', presets: ['P144p30fps16x9'], objectStore: 'ignored' }) });
  const segment = await testSegment();
  t.equal((await push(app, '/live/public/1.ts', segment)).statusCode, 200);
  t.equal((await push(app, '/live/public/2.ts', segment)).statusCode, 200);
  t.equal(hook.posted.length, 1, 'cached for the stream');
  t.match(hook.posted[0], { method: 'POST', contentType: 'application/json', json: { url: /^http:\/\/[^/]+\/live\/public\/1\.ts$/ } });
  t.same(gateway.calls.map((c) => [c.streamId, c.profiles.map((p) => p.name)]), [['internal', ['P144p30fps16x9']], ['internal', ['P144p30fps16x9']]]);
  t.same(parseMaster((await app.inject({ url: '/stream/internal.m3u8' })).body).variants.map((v) => v.uri), ['internal/source.m3u8', 'internal/P144p30fps16x9.m3u8'], 'HLS under the webhook’s manifest id');
  t.equal((await app.inject({ url: '/stream/public.m3u8' })).statusCode, 404);
});

t.test('an empty 200 accepts with the configured ladder; JSON profiles from the webhook are parsed', async (t) => {
  const hook = await authWebhook(t);
  const { app, gateway } = await ingestApp(t, { authWebhookUrl: hook.url });
  const segment = await testSegment();
  await push(app, '/live/a/1.ts', segment);
  hook.answer({ body: JSON.stringify({ manifestID: 'b', profiles: [{ name: 'wh', width: 128, height: 72, bitrate: 90000, fps: 15, profile: 'H264Baseline', gop: '1' }] }) });
  await push(app, '/live/b/1.ts', segment);
  t.same(gateway.calls.map((c) => c.profiles.map((p) => p.name)), [['P144p30fps16x9', 'tiny'], ['wh']]);
  t.match(gateway.calls[1]?.profiles[0], { width: 128, height: 72, fps: 15, profile: 'baseline', gopMs: 1000 });
});

t.test('refusals: non-200 is 403; unreachable, slow or malformed is 502; nothing transcoded', async (t) => {
  const hook = await authWebhook(t);
  const { app, gateway } = await ingestApp(t, { authWebhookUrl: hook.url, authTimeoutMs: 200 });
  const segment = await testSegment();
  const cases: [Reply, number, string][] = [
    [{ status: 401, body: 'no' }, 403, 'LPX_ERR_INGEST_AUTH_REFUSED'],
    [{ status: 500 }, 403, 'LPX_ERR_INGEST_AUTH_REFUSED'],
    [{ body: '{"presets":["P144p30fps16x9"]}' }, 502, 'LPX_ERR_INGEST_AUTH_WEBHOOK_FAILED'],
    [{ body: 'not json' }, 502, 'LPX_ERR_INGEST_AUTH_WEBHOOK_FAILED'],
    [{ body: '{"manifestID":"a/b"}' }, 502, 'LPX_ERR_INGEST_AUTH_WEBHOOK_FAILED'],
    [{ body: '', delayMs: 2000 }, 502, 'LPX_ERR_INGEST_AUTH_WEBHOOK_FAILED'],
  ];
  for (const [reply, status, code] of cases) {
    hook.answer(reply);
    t.match((await push(app, '/live/x/1.ts', segment)).json(), { status, code }, JSON.stringify(reply));
  }
  t.equal(gateway.calls.length, 0);
  hook.answer({ body: '' });
  t.equal((await push(app, '/live/x/1.ts', segment)).statusCode, 200, 'a refused stream may come back once the webhook accepts');
});

t.test('an unreachable webhook is a 502', async (t) => {
  const { app } = await ingestApp(t, { authWebhookUrl: 'http://127.0.0.1:1/auth' });
  t.match((await push(app, '/live/x/1.ts', await testSegment())).json(), { status: 502, code: 'LPX_ERR_INGEST_AUTH_WEBHOOK_FAILED' });
});

t.test('the header overrides the webhook, but may not change profiles the webhook set', async (t) => {
  const hook = await authWebhook(t);
  const { app, gateway } = await ingestApp(t, { authWebhookUrl: hook.url });
  const segment = await testSegment();
  const webhookProfiles = [{ name: 'wh', width: 128, height: 72, bitrate: 90000 }];
  hook.answer({ body: JSON.stringify({ manifestID: 'm', profiles: webhookProfiles }) });
  const other = JSON.stringify({ profiles: [{ name: 'mine', width: 64, height: 36, bitrate: 1000 }] });
  t.match((await push(app, '/live/m/1.ts', segment, { 'livepeer-transcode-configuration': other })).json(), { status: 403, code: 'LPX_ERR_INGEST_AUTH_REFUSED' });
  const same = JSON.stringify({ manifestID: 'renamed', profiles: webhookProfiles });
  t.equal((await push(app, '/live/m/1.ts', segment, { 'livepeer-transcode-configuration': same })).statusCode, 200);
  t.match(gateway.calls[0], { streamId: 'renamed' });
});

t.test('without a webhook the header sets the ladder when it opens the stream; later headers do not change it (go-livepeer)', async (t) => {
  const { app, gateway } = await ingestApp(t);
  const segment = await testSegment();
  await push(app, '/live/h/1.ts', segment, { 'livepeer-transcode-configuration': '{"presets":["P144p30fps16x9"]}' });
  await push(app, '/live/h/2.ts', segment, { 'livepeer-transcode-configuration': '{"profiles":[{"name":"x","width":64,"height":36,"bitrate":1000}]}' });
  t.same(gateway.calls.map((c) => c.profiles.map((p) => p.name)), [['P144p30fps16x9'], ['P144p30fps16x9']]);
  await push(app, '/live/empty/1.ts', segment, { 'livepeer-transcode-configuration': '{"profiles":[]}', accept: 'multipart/mixed' });
  t.equal(gateway.calls.length, 2, 'an explicitly empty ladder transcodes nothing');
  t.same(parseMaster((await app.inject({ url: '/stream/empty.m3u8' })).body).variants.map((v) => v.uri), ['empty/source.m3u8'], 'the source is still served');
});

t.test('idle streams are ended after idleTimeoutMs without a push: sessions closed, HLS gone, the webhook asked again', async (t) => {
  const hook = await authWebhook(t);
  const { app, gateway, ingest, advance, counts } = await ingestApp(t, { authWebhookUrl: hook.url, idleTimeoutMs: 60_000 });
  const segment = await testSegment();
  await push(app, '/live/a/1.ts', segment);
  await push(app, '/live/b/1.ts', segment);
  advance(30_000);
  await push(app, '/live/b/2.ts', segment);
  advance(30_000);
  t.same(await ingest.sweep(), ['a'], 'only a has been idle for 60 s');
  t.same(gateway.ended, ['a']);
  t.equal((await app.inject({ url: '/stream/a.m3u8' })).statusCode, 404);
  t.equal((await app.inject({ url: '/stream/b.m3u8' })).statusCode, 200);
  t.equal(counts.streams, 1);
  await push(app, '/live/a/1.ts', segment);
  t.equal(hook.posted.length, 3, 'a returning stream is authenticated again');
  t.equal(gateway.calls.filter((c) => c.streamId === 'a').length, 2, 'and its seqs start afresh');
});

t.test('a stream with a segment in flight is not idle', async (t) => {
  const { app, gateway, ingest, advance } = await ingestApp(t, { idleTimeoutMs: 1000 });
  const release = gateway.hold();
  const pending = push(app, '/live/slow/1.ts', await testSegment());
  while (gateway.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
  advance(5000);
  t.same(await ingest.sweep(), []);
  release();
  t.equal((await pending).statusCode, 200);
  advance(999);
  t.same(await ingest.sweep(), [], 'idle time counts from the end of the last push');
  advance(1);
  t.same(await ingest.sweep(), ['slow']);
  await ingest.close();
});

t.test('close() ends every stream (shutdown)', async (t) => {
  const { app, gateway, ingest } = await ingestApp(t);
  await push(app, '/live/a/1.ts', await testSegment());
  await push(app, '/live/b/1.ts', await testSegment());
  await ingest.close();
  t.same(gateway.ended.sort(), ['a', 'b']);
  t.equal(ingest.bufferedBytes, 0);
});
