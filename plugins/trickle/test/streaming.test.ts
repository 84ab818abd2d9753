// Publisher and subscriber from @lpx/sdk/trickle-kit against the plugin's
// server on real sockets: bytes reach subscribers while their segment is
// still being written, preconnects carry the stream from segment to segment,
// and several subscribers read the same segment independently.
import t from 'tap';
import { TricklePublisher, TrickleSubscriber, readSegment, writeSegment } from '@lpx/sdk/trickle-kit';
import { startPlainTrickle, until } from './helpers/plain-server.js';

t.test('a subscriber gets the first bytes of a segment before the publisher ends it', async (t) => {
  const trickle = await startPlainTrickle(t);
  trickle.server.create('live', 'video/MP2T', false);
  const publisher = new TricklePublisher(trickle.url('live'));
  const subscriber = new TrickleSubscriber(trickle.url('live'), { start: 0 });
  t.teardown(() => subscriber.close());

  const reading = subscriber.read();
  const segment = publisher.next();
  t.equal(segment.seq, 0, 'the first preconnected POST is index 0');
  await segment.write('first-half|');
  const got = await reading;
  if (got === undefined) throw new Error('expected a segment');
  t.equal(got.seq, 0);
  t.equal(got.contentType, 'video/MP2T', "the channel's mime type");
  const iterator = got[Symbol.asyncIterator]();
  const first = await iterator.next();
  t.equal(first.value?.toString(), 'first-half|', 'the first chunk arrived while the POST is still open');
  const ending = segment.end('second-half');
  const rest: Buffer[] = [];
  for (let r = await iterator.next(); r.done !== true; r = await iterator.next()) rest.push(r.value);
  t.equal(Buffer.concat(rest).toString(), 'second-half');
  t.equal(await ending, 0, 'the POST answers with Lp-Trickle-Seq 0');

  t.equal(await publisher.write('segment-1'), 1, 'the next segment goes to the preconnected index 1');
  const next = await subscriber.read();
  t.equal(next?.seq, 1);
  t.equal((await next!.bytes()).toString(), 'segment-1', 'the preconnected GET of index 1 delivers it');
  await publisher.close();
});

t.test('concurrent subscribers each get the whole segment', async (t) => {
  const trickle = await startPlainTrickle(t);
  trickle.server.create('fan', 'application/json', false);
  const readers = [0, 1, 2].map(() => readSegment(trickle.url('fan'), { seq: 0 }));
  await until(() => trickle.subscribers() === 3, 'three waiting subscribers');
  const publisher = new TricklePublisher(trickle.url('fan'), { mimeType: 'application/json' });
  const segment = publisher.next();
  const big = Buffer.alloc(3 * 1024 * 1024, 7);
  for (let offset = 0; offset < big.length; offset += 64 * 1024) await segment.write(big.subarray(offset, offset + 64 * 1024));
  t.equal(await segment.end(), 0);
  for (const result of await Promise.all(readers)) {
    t.equal(result?.seq, 0);
    t.ok(result?.data.equals(big), '3 MiB arrive whole and in order');
  }
  await publisher.close();
});

t.test('one-shot helpers: writeSegment at -1 takes the next index, readSegment at -2 the current one', async (t) => {
  const trickle = await startPlainTrickle(t);
  trickle.server.create('simple', 'text/plain', false);
  t.equal(await writeSegment(trickle.url('simple'), 'a'), 0);
  t.equal(await writeSegment(trickle.url('simple'), 'b'), 1);
  const current = await readSegment(trickle.url('simple'), { seq: -2 });
  t.same([current?.seq, current?.data.toString(), current?.contentType], [1, 'b', 'text/plain']);
  const older = await readSegment(trickle.url('simple'), { seq: 0 });
  t.same([older?.seq, older?.latest, older?.data.toString()], [0, 2, 'a'], 'Lp-Trickle-Latest names the next write when it differs');
});
