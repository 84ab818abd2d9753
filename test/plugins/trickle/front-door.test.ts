// The trickle plugin on a real lpx orchestrator: channels made through the
// trickle.channels service are served at /ai/trickle/ on the TLS front door,
// and the kit's publisher and subscriber speak go-livepeer's protocol to it
// over real HTTPS (self-signed: the clients run with `insecure`).
import { connect } from 'node:http2';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { readSegment, TricklePublisher, TrickleSubscriber, TRICKLE_HTTP_PATH, writeSegment } from '@lpx/sdk/trickle-kit';
import { startTrickleNode, until } from './helpers/trickle-node.js';

const insecure = { insecure: true } as const;

t.test('a segment streams from publisher to subscribers through the front door while it is written', async (t) => {
  const node = await startTrickleNode(t);
  t.equal(node.service.enabled, true);
  const channel = await node.service.create({ name: 'stream-in', mimeType: 'video/MP2T' });
  t.equal(channel.url, `${node.serviceUri}${TRICKLE_HTTP_PATH}stream-in`, 'the URL is on the service URI');
  t.match(channel.url, /^https:\/\//, 'the front door is TLS');

  const subscribers = [0, 1, 2].map(() => new TrickleSubscriber(channel.url, { ...insecure, start: 0 }));
  t.teardown(() => subscribers.forEach((s) => s.close()));
  const reads = subscribers.map((s) => s.read());
  await until(async () => (await node.metric('subscribers')) === 3, 'three subscribers waiting on the node');
  const publisher = new TricklePublisher(channel.url, insecure);
  const segment = publisher.next();
  await segment.write('head|');
  const segments = await Promise.all(reads);
  for (const got of segments) {
    t.same([got?.seq, got?.contentType], [0, 'video/MP2T']);
    const first = await got![Symbol.asyncIterator]().next();
    t.equal(first.value?.toString(), 'head|', 'the first bytes arrived before the publisher ended the segment');
  }
  t.equal(await segment.end('tail'), 0);
  for (const got of segments) {
    const rest: Buffer[] = [];
    for await (const chunk of got!.body) rest.push(chunk as Buffer);
    t.equal(Buffer.concat(rest).toString(), 'tail');
  }
  t.ok(((await node.metric('bytes_in_total')) ?? 0) >= 9, 'bytes in are counted');
  t.equal(await node.metric('channels'), 1);
  await publisher.close();
  t.notOk(node.service.exists('stream-in'), "the publisher's DELETE removed the channel");
});

t.test('the ring of five on the wire: a late subscriber gets 470 and jumps to the latest segment', async (t) => {
  const node = await startTrickleNode(t);
  const channel = await node.service.create({ name: 'ring' });
  const local = node.service.local('ring');
  for (let i = 0; i < 6; i++) await local.publish(`s${i}`);
  const refused = await readSegment(channel.url, { ...insecure, seq: 0 }).catch((e: unknown) => e);
  t.ok(errors.trickle.SEQUENCE_NONEXISTENT.is(refused), '470 for index 0');
  t.match((refused as { details?: unknown }).details, { seq: 0, latest: 6 });
  t.equal((await readSegment(channel.url, { ...insecure, seq: 1 }))?.data.toString(), 's1', 'index 1 is still kept');

  const subscriber = new TrickleSubscriber(channel.url, { ...insecure, start: 0 });
  t.teardown(() => subscriber.close());
  const reading = subscriber.read();
  await until(async () => (await node.metric('subscribers')) === 1, 'the subscriber waiting at the live edge');
  await local.publish('s6');
  const got = await reading;
  t.same([got?.seq, (await got?.bytes())?.toString()], [6, 's6']);
});

t.test('removing a channel is end of stream; unknown channels are 404', async (t) => {
  const node = await startTrickleNode(t);
  const channel = await node.service.create({ name: 'short-lived', mimeType: 'application/json' });
  await writeSegment(channel.url, '{"n":1}', insecure);
  const subscriber = new TrickleSubscriber(channel.url, { ...insecure, start: 0 });
  t.teardown(() => subscriber.close());
  t.equal((await (await subscriber.read())?.bytes())?.toString(), '{"n":1}');
  await until(async () => (await node.metric('subscribers')) === 1, 'the preconnect of index 1 waiting on the node');
  await node.service.remove('short-lived');
  t.equal(await subscriber.read(), undefined, 'end of stream');
  const unknown = new TrickleSubscriber(channel.url, insecure);
  t.teardown(() => unknown.close());
  t.ok(errors.trickle.CHANNEL_NOT_FOUND.is(await unknown.read().catch((e: unknown) => e)), '404 afterwards');
  t.ok(errors.trickle.CHANNEL_NOT_FOUND.is(await writeSegment(`${node.serviceUri}${TRICKLE_HTTP_PATH}never-made`, 'x', insecure).catch((e: unknown) => e)), 'autocreate is off: publishing does not create');
  t.notOk(node.service.exists('never-made'));
});

t.test('idle channels are swept on the configured schedule; _ names stay', async (t) => {
  const node = await startTrickleNode(t, { config: { idleTimeoutMs: 200, sweepIntervalMs: 50 } });
  const removed: string[] = [];
  node.service.onRemoved((names) => removed.push(...names));
  const idle = await node.service.create({ name: 'idle' });
  await node.service.create({ name: '_internal' });
  await until(() => removed.includes('idle'), 'the sweep to remove the idle channel');
  t.notOk(node.service.exists('idle'));
  t.ok(node.service.exists('_internal'), 'names starting with _ are exempt');
  t.ok(errors.trickle.CHANNEL_NOT_FOUND.is(await readSegment(idle.url, insecure).catch((e: unknown) => e)), 'the swept channel answers 404');
});

t.test('HTTP/2 clients are served too (the front door speaks both)', async (t) => {
  const node = await startTrickleNode(t);
  await node.service.create({ name: 'h2', mimeType: 'text/plain' });
  await node.service.local('h2').publish('over h2');
  const session = connect(node.serviceUri!, { rejectUnauthorized: false });
  t.teardown(() => session.close());
  const get = (path: string, method = 'GET', body?: string) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const stream = session.request({ ':path': `${TRICKLE_HTTP_PATH}${path}`, ':method': method });
      const chunks: Buffer[] = [];
      let headers: Record<string, unknown> = {};
      stream.on('response', (h) => (headers = h));
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve({ status: Number(headers[':status']), headers, body: Buffer.concat(chunks).toString() }));
      stream.on('error', reject);
      stream.end(body);
    });
  const ok = await get('h2/0');
  t.same([ok.status, ok.body, ok.headers['lp-trickle-seq']], [200, 'over h2', '0']);
  const gone = await get('h2/7');
  t.same([gone.status, gone.headers['lp-trickle-latest']], [470, '1']);
  const posted = await get('h2/-1', 'POST', 'posted over h2');
  t.same([posted.status, posted.headers['lp-trickle-seq']], [200, '1'], 'POST over HTTP/2');
  t.equal((await get('h2/1')).body, 'posted over h2');
  const unknown = await get('nope/0', 'POST', 'x');
  t.same([unknown.status, unknown.body], [404, 'Stream not found\n'], 'the 404 goes without Connection: close, which HTTP/2 forbids');
});

t.test("a certificate check is the client's choice: without insecure the self-signed door is refused", async (t) => {
  const node = await startTrickleNode(t);
  const channel = await node.service.create({ name: 'tls' });
  await t.rejects(readSegment(channel.url, { seq: 0 }), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
});

t.test('shutting the node down ends waiting subscribers with end of stream', async (t) => {
  const node = await startTrickleNode(t);
  const channel = await node.service.create({ name: 'until-shutdown' });
  const subscriber = new TrickleSubscriber(channel.url, insecure);
  t.teardown(() => subscriber.close());
  const reading = subscriber.read();
  await until(async () => (await node.metric('subscribers')) === 1, 'the waiting subscriber');
  await node.stop();
  t.equal(await reading, undefined);
});

t.test('without the orchestrator role the service is disabled', async (t) => {
  const node = await startTrickleNode(t, { roles: ['worker'] });
  t.equal(node.service.enabled, false);
  t.ok(errors.trickle.DISABLED.is(await node.service.create().catch((e: unknown) => e)));
});
