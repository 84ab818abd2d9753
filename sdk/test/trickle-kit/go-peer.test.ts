// The kit's clients against a go-livepeer-style trickle peer: a scripted
// server written from the reference (§7.1), not from the `trickle` plugin,
// answering exactly what go-livepeer's server answers in each situation. The
// clients must read those answers the way go-livepeer's clients do (§7.2).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { errors } from '../../src/index.js';
import { readSegment, TricklePublisher, TrickleSubscriber, writeSegment } from '../../src/trickle/kit/index.js';

type Script = ((req: IncomingMessage, res: ServerResponse) => void) & { readonly early?: boolean };

/** A peer that answers each request with the next scripted handler; records what it was asked. */
async function goPeer(t: Test, script: Script[]): Promise<{ url: string; asked: string[] }> {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    req.resume();
    if (script[0]?.early === true) {
      script.shift()!(req, res);
      return;
    }
    req.on('end', () => {
      // Answers go in the order requests complete; with nothing scripted it hangs like a preconnect with no data.
      script.shift()?.(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ai/trickle/ch`, asked };
}

const answer = (status: number, headers: Record<string, string>, body = ''): Script => (_req, res) => {
  res.writeHead(status, headers);
  res.end(body);
};

t.test('subscriber: 470 → Latest, data with Lp-Trickle-Seq, then Lp-Trickle-Closed → end of stream', async (t) => {
  const peer = await goPeer(t, [
    answer(470, { 'Lp-Trickle-Latest': '12', 'Lp-Trickle-Seq': '3' }, 'Entry not found'),
    answer(200, { 'Lp-Trickle-Seq': '12', 'Content-Type': 'video/MP2T' }, 'twelve'),
    answer(200, { 'Lp-Trickle-Seq': '13', 'Lp-Trickle-Latest': '13', 'Lp-Trickle-Closed': 'terminated' }, 'Entry not found'),
  ]);
  const subscriber = new TrickleSubscriber(peer.url, { start: 3 });
  t.teardown(() => subscriber.close());
  const got = await subscriber.read();
  t.same([got?.seq, got?.contentType, (await got?.bytes())?.toString()], [12, 'video/MP2T', 'twelve']);
  t.equal(await subscriber.read(), undefined, 'end of stream');
  t.same(peer.asked, ['GET /ai/trickle/ch/3', 'GET /ai/trickle/ch/12', 'GET /ai/trickle/ch/13'], 'jumped to Latest, then preconnected Seq + 1');
});

t.test('subscriber: an unreadable Lp-Trickle-Latest on 470 means the live edge (-1); no Lp-Trickle-Seq on 200 is a protocol error', async (t) => {
  const peer = await goPeer(t, [answer(470, { 'Lp-Trickle-Latest': 'soon' }), answer(200, {}, 'no seq header')]);
  const subscriber = new TrickleSubscriber(peer.url, { start: 0 });
  t.teardown(() => subscriber.close());
  const err = await subscriber.read().catch((e: unknown) => e);
  t.ok(errors.trickle.PROTOCOL_ERROR.is(err), 'PROTOCOL_ERROR');
  t.same(peer.asked, ['GET /ai/trickle/ch/0', 'GET /ai/trickle/ch/-1']);
});

t.test('subscriber: statuses the protocol does not define are protocol errors, not retried', async (t) => {
  const peer = await goPeer(t, [answer(500, {}, 'Server error\n')]);
  const subscriber = new TrickleSubscriber(peer.url);
  t.teardown(() => subscriber.close());
  const err = await subscriber.read().catch((e: unknown) => e);
  t.ok(errors.trickle.PROTOCOL_ERROR.is(err));
  t.match((err as { details?: unknown }).details, { status: 500, body: 'Server error' });
});

t.test('publisher: Lp-Trickle-Seq is the written index; Lp-Trickle-Closed is CLOSED whatever the status; 404 is CHANNEL_NOT_FOUND', async (t) => {
  const peer = await goPeer(t, [
    answer(200, { 'Lp-Trickle-Seq': '41' }),
    answer(200, { 'Lp-Trickle-Seq': '1', 'Lp-Trickle-Closed': 'terminated', Connection: 'close' }),
    answer(200, {}),
  ]);
  const publisher = new TricklePublisher(peer.url);
  t.equal(await publisher.write('a'), 41, "the server's index, not the client's");
  t.ok(errors.trickle.CLOSED.is(await publisher.write('b').catch((e: unknown) => e)), 'CLOSED');
  t.same(peer.asked.slice(0, 2), ['POST /ai/trickle/ch/0', 'POST /ai/trickle/ch/1'], 'indices from 0, one preconnect ahead');

  const missing = await goPeer(t, [answer(404, { Connection: 'close' }, 'Stream not found\n')]);
  t.ok(errors.trickle.CHANNEL_NOT_FOUND.is(await writeSegment(missing.url, 'x').catch((e: unknown) => e)));
  await publisher.close();
  t.equal(peer.asked.at(-1), 'DELETE /ai/trickle/ch', 'close() is DELETE {channel}');
});

t.test('publisher: a preconnect the server timed out before any byte is opened again at the same index', async (t) => {
  let socketClosed!: () => void;
  const closed = new Promise<void>((resolve) => (socketClosed = resolve));
  // Node's HTTP/1 servers answer 408 and close when a request outlives requestTimeout (5 min on the front door).
  const timedOut: Script = Object.assign(
    (req: IncomingMessage, res: ServerResponse) => {
      req.socket.once('close', socketClosed);
      res.writeHead(408, { Connection: 'close' });
      res.end();
    },
    { early: true },
  );
  const peer = await goPeer(t, [timedOut, answer(200, { 'Lp-Trickle-Seq': '0' }), answer(200, {})]);
  const publisher = new TricklePublisher(peer.url);
  await closed;
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(await publisher.write('after a long pause'), 0, 'written at index 0 after all');
  t.equal(peer.asked.filter((a) => a === 'POST /ai/trickle/ch/0').length, 2, 'index 0 was opened twice');
  await publisher.close();
});

t.test('readSegment at -1 reads what the peer serves', async (t) => {
  const peer = await goPeer(t, [answer(200, { 'Lp-Trickle-Seq': '7', 'Lp-Trickle-Latest': '9', 'Content-Type': 'application/json' }, '{}')]);
  const got = await readSegment(peer.url);
  t.same(got, { seq: 7, latest: 9, contentType: 'application/json', data: Buffer.from('{}') });
  t.same(peer.asked, ['GET /ai/trickle/ch/-1']);
});
