// The kit's clients on go-livepeer's rules (reference §7.2): 470 jumps to the
// latest index, Lp-Trickle-Closed is end of stream, 404 is CHANNEL_NOT_FOUND,
// a silent preconnect is re-opened, transport errors are retried then thrown.
import { createServer } from 'node:net';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { TricklePublisher, TrickleSubscriber, readSegment, writeSegment } from '@lpx/sdk/trickle-kit';
import { startPlainTrickle, until } from './helpers/plain-server.js';

t.test('a subscriber behind the window jumps to the latest segment (470)', async (t) => {
  const trickle = await startPlainTrickle(t);
  trickle.server.create('ring', 'text/plain', false);
  for (let i = 0; i < 8; i++) await writeSegment(trickle.url('ring'), `s${i}`);
  const strict = new TrickleSubscriber(trickle.url('ring'), { start: 0, jumpToLatest: false });
  t.teardown(() => strict.close());
  const refused = await strict.read().then(() => undefined, (err: unknown) => err);
  t.ok(errors.trickle.SEQUENCE_NONEXISTENT.is(refused), 'jumpToLatest off: SEQUENCE_NONEXISTENT');
  t.match((refused as { details?: unknown }).details, { seq: 0, latest: 8 });

  const subscriber = new TrickleSubscriber(trickle.url('ring'), { start: 0 });
  t.teardown(() => subscriber.close());
  const reading = subscriber.read();
  await until(() => trickle.subscribers() === 1, 'the subscriber waiting at the live edge');
  await writeSegment(trickle.url('ring'), 's8');
  const got = await reading;
  t.same([got?.seq, (await got?.bytes())?.toString()], [8, 's8'], 'it resumed at Lp-Trickle-Latest');
});

t.test('closing the channel is end of stream for subscribers and publishers', async (t) => {
  const trickle = await startPlainTrickle(t);
  trickle.server.create('eos', 'text/plain', false);
  const publisher = new TricklePublisher(trickle.url('eos'));
  const subscriber = new TrickleSubscriber(trickle.url('eos'), { start: 0 });
  t.teardown(() => subscriber.close());
  const reading = subscriber.read();
  await publisher.write('last words');
  t.equal((await (await reading)?.bytes())?.toString(), 'last words');
  await until(() => trickle.subscribers() === 1 && (trickle.requests['POST'] ?? 0) === 2, "the subscriber's preconnect of 1 and the publisher's of 1");
  trickle.server.remove('eos');
  t.equal(await subscriber.read(), undefined, 'end of stream');
  t.equal(await subscriber.read(), undefined, 'and it stays there');
  const late = await publisher.write('too late').then(() => undefined, (err: unknown) => err);
  t.ok(errors.trickle.CLOSED.is(late), `the preconnected POST reports CLOSED (${String(late)})`);
  const gone = await publisher.close().then(() => undefined, (err: unknown) => err);
  t.ok(errors.trickle.CHANNEL_NOT_FOUND.is(gone), 'DELETE of the removed channel: CHANNEL_NOT_FOUND');
});

t.test('unknown channels are CHANNEL_NOT_FOUND on every client call', async (t) => {
  const trickle = await startPlainTrickle(t);
  const subscriber = new TrickleSubscriber(trickle.url('missing'));
  t.teardown(() => subscriber.close());
  t.ok(errors.trickle.CHANNEL_NOT_FOUND.is(await subscriber.read().catch((err: unknown) => err)), 'subscriber');
  t.ok(errors.trickle.CHANNEL_NOT_FOUND.is(await readSegment(trickle.url('missing')).catch((err: unknown) => err)), 'readSegment');
  t.ok(errors.trickle.CHANNEL_NOT_FOUND.is(await writeSegment(trickle.url('missing'), 'x').catch((err: unknown) => err)), 'writeSegment');
  const publisher = new TricklePublisher(trickle.url('missing'));
  t.ok(errors.trickle.CHANNEL_NOT_FOUND.is(await publisher.write('x').catch((err: unknown) => err)), 'publisher');
  await publisher.close().catch(() => undefined);
});

t.test('a preconnect with no answer is re-opened, and still delivers', async (t) => {
  const trickle = await startPlainTrickle(t);
  trickle.server.create('quiet', 'text/plain', false);
  // Index 0, not -1: a re-opened -1 that lands after the write would rightly wait for index 1.
  const subscriber = new TrickleSubscriber(trickle.url('quiet'), { start: 0, preconnectRefreshMs: 30 });
  t.teardown(() => subscriber.close());
  const reading = subscriber.read();
  await until(() => (trickle.requests['GET'] ?? 0) >= 3, 'the GET opened again twice');
  await until(() => trickle.subscribers() === 1, 'one waiting GET (the re-opened ones replaced the old)');
  await writeSegment(trickle.url('quiet'), 'finally');
  t.equal((await (await reading)?.bytes())?.toString(), 'finally');
});

t.test('a dropped segment: abort() tells waiting subscribers, and the stream goes on', async (t) => {
  const trickle = await startPlainTrickle(t);
  trickle.server.create('drop', 'text/plain', false);
  const publisher = new TricklePublisher(trickle.url('drop'));
  const subscriber = new TrickleSubscriber(trickle.url('drop'), { start: 0 });
  t.teardown(() => subscriber.close());
  const reading = subscriber.read();
  await until(() => trickle.subscribers() === 1, 'the waiting subscriber');
  await publisher.next().abort();
  const dropped = await reading;
  t.same([dropped?.seq, (await dropped?.bytes())?.length], [0, 0], 'segment 0 ended empty');
  t.equal(await publisher.write('one'), 1);
  t.equal((await (await subscriber.read())?.bytes())?.toString(), 'one');
  await publisher.close();
});

t.test('transport errors are retried, then thrown', async (t) => {
  // A port that refuses: bound, then closed.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  const subscriber = new TrickleSubscriber(`http://127.0.0.1:${port}/ai/trickle/x`, { retryDelayMs: 1 });
  t.teardown(() => subscriber.close());
  const err = await subscriber.read().catch((e: unknown) => e);
  t.match(err, { code: 'ECONNREFUSED' }, 'the last connect error, after the retries');
});
