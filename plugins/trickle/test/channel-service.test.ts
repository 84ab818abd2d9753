// The trickle.channels service: channel creation (names, idempotence, the
// role check), URLs from the orchestrator wire, in-process publish/subscribe
// meeting HTTP clients on the same segments, and the idle sweep.
import t from 'tap';
import { errors, type OrchestratorWireService } from '@lpx/sdk';
import { readSegment, TRICKLE_HTTP_PATH, writeSegment } from '@lpx/sdk/trickle-kit';
import { createTrickleService, TrickleServer } from '../src/index.js';
import { startPlainTrickle, until } from './helpers/plain-server.js';

/** The three wire members the service reads; the rest is the kernel's business. */
function wireDouble(enabled: boolean, serviceUri?: string, internalUri?: string): OrchestratorWireService {
  return { enabled, serviceUri: () => serviceUri, internalUri: () => internalUri } as unknown as OrchestratorWireService;
}

t.test('create: random unguessable names, idempotent by name, URLs on the service and internal addresses', async (t) => {
  const service = createTrickleService(new TrickleServer(), wireDouble(true, 'https://o.example:8935', 'https://10.0.0.2:8935'));
  t.equal(service.enabled, true);
  const a = await service.create();
  const b = await service.create();
  t.match(a.name, /^[0-9a-f]{32}$/, '128 random bits');
  t.not(a.name, b.name);
  t.equal(a.mimeType, 'application/octet-stream');
  t.equal(a.url, `https://o.example:8935${TRICKLE_HTTP_PATH}${a.name}`);
  t.equal(a.internalUrl, `https://10.0.0.2:8935${TRICKLE_HTTP_PATH}${a.name}`);
  const named = await service.create({ name: 'session-1-in', mimeType: 'video/MP2T' });
  const again = await service.create({ name: 'session-1-in', mimeType: 'application/json' });
  t.same([again.name, again.mimeType], ['session-1-in', 'video/MP2T'], 'an existing name returns the channel as it is');
  t.ok(service.exists(named.name));
  for (const bad of ['', 'a/b', 'has space', 'x'.repeat(129), '../up']) {
    const err = await service.create({ name: bad }).catch((e: unknown) => e);
    t.ok(errors.trickle.NAME_INVALID.is(err), `NAME_INVALID for ${JSON.stringify(bad.slice(0, 12))}`);
    t.notOk(service.exists(bad));
  }
  await service.remove('session-1-in');
  t.notOk(service.exists('session-1-in'));
  await service.remove('never-there');
  t.pass('removing an unknown name is not an error');
});

t.test('without the orchestrator role the service says so and creates nothing', async (t) => {
  const server = new TrickleServer();
  const service = createTrickleService(server, wireDouble(false));
  t.equal(service.enabled, false);
  t.ok(errors.trickle.DISABLED.is(await service.create({ name: 'x' }).catch((e: unknown) => e)));
  t.notOk(server.get('x'));
});

t.test('local publish and subscribe share segments with HTTP clients', async (t) => {
  const trickle = await startPlainTrickle(t);
  const service = createTrickleService(trickle.server, wireDouble(true, trickle.base.slice(0, -TRICKLE_HTTP_PATH.length)));
  const channel = await service.create({ name: 'o2r', mimeType: 'application/json' });
  t.equal(channel.url, trickle.url('o2r'), 'the URL reaches this server');
  const local = service.local('o2r');
  const waiting = readSegment(channel.url, { seq: -1 });
  await until(() => trickle.subscribers() === 1, 'an HTTP subscriber at the live edge');
  t.equal(await local.publish(JSON.stringify({ type: 'params' })), 0);
  const got = await waiting;
  t.same([got?.seq, got?.contentType, got?.data.toString()], [0, 'application/json', '{"type":"params"}'], 'local publish → HTTP subscriber');

  const abort = new AbortController();
  const seen: string[] = [];
  const reading = (async () => {
    for await (const segment of local.subscribe({ seq: 1, signal: abort.signal })) seen.push(`${segment.seq}:${Buffer.from(segment.data).toString()}`);
  })();
  await writeSegment(channel.url, 'from-http');
  await local.publish(new Uint8Array([104, 105]));
  await until(() => seen.length === 2, 'two segments read in-process');
  t.same(seen, ['1:from-http', '2:hi'], 'HTTP and local publishers, one sequence');
  await local.close();
  await reading;
  t.pass('removing the channel ends the local subscription');
  t.notOk(service.exists('o2r'));
  t.ok(errors.trickle.CHANNEL_NOT_FOUND.is(await local.publish('x').catch((e: unknown) => e)), 'publishing to a removed channel');
  const never = service.local('never').subscribe()[Symbol.asyncIterator]();
  t.ok(errors.trickle.CHANNEL_NOT_FOUND.is(await never.next().catch((e: unknown) => e)), 'subscribing to an unknown channel');
});

t.test('a local subscriber behind the window resumes at the live edge; abort ends it', async (t) => {
  const server = new TrickleServer();
  const service = createTrickleService(server, wireDouble(true, 'https://o'));
  await service.create({ name: 'ring' });
  const local = service.local('ring');
  for (let i = 0; i < 7; i++) await local.publish(`s${i}`);
  const abort = new AbortController();
  const iterator = local.subscribe({ seq: 0, signal: abort.signal })[Symbol.asyncIterator]();
  const next = iterator.next();
  await local.publish('s7');
  t.same((await next).value?.seq, 7, 'index 0 left the window: the next one written comes');
  const pending = iterator.next();
  abort.abort();
  t.equal((await pending).done, true, 'abort ends the iteration');
});

t.test('the idle sweep removes channels without writes, except _ names and keepIdle ones', async (t) => {
  let now = 1_000_000;
  const server = new TrickleServer({ idleTimeoutMs: 5 * 60_000, now: () => now });
  const service = createTrickleService(server, wireDouble(true, 'https://o'));
  const removed: string[][] = [];
  const off = service.onRemoved((names) => removed.push([...names]));
  await service.create({ name: 'idle' });
  await service.create({ name: 'busy' });
  await service.create({ name: '_changes' });
  await service.create({ name: 'pinned', keepIdle: true });
  now += 4 * 60_000;
  await service.local('busy').publish('tick');
  now += 2 * 60_000;
  t.same(server.sweep(), ['idle'], 'six minutes without a write: removed');
  t.same(removed, [['idle']], 'listeners hear of it');
  t.same(['busy', '_changes', 'pinned'].map((n) => service.exists(n)), [true, true, true]);
  now += 10 * 60_000;
  t.same(server.sweep(), ['busy']);
  off();
  await service.remove('pinned');
  t.same(removed, [['idle'], ['busy']], 'remove() by the owner is not reported, and off() unsubscribed');
});
