// go-livepeer's trickle server semantics (reference §7.1), checked on the
// wire with plain HTTP requests: status codes, the Lp-Trickle-* headers,
// Go's refusal texts, the ring of five, -1/-2, /next, closes and resets.
import t from 'tap';
import { raw } from './helpers/raw-http.js';
import { startPlainTrickle, until } from './helpers/plain-server.js';

t.test('unknown channels and bad indices', async (t) => {
  const trickle = await startPlainTrickle(t);
  const get = await raw('GET', trickle.url('nope/0'));
  t.same([get.status, get.body], [404, 'Stream not found\n'], 'GET of an unknown channel');
  const post = await raw('POST', trickle.url('nope/0'), { body: 'x' });
  t.same([post.status, post.headers.connection, post.body], [404, 'close', 'Stream not found\n'], 'POST: 404 with Connection: close');
  t.equal((await raw('GET', trickle.url('nope/next'))).status, 404, '/next of an unknown channel');
  t.equal((await raw('DELETE', trickle.url('nope/3'))).status, 404, 'DELETE of a segment of an unknown channel');
  const deleted = await raw('DELETE', trickle.url('nope'));
  t.same([deleted.status, deleted.body], [400, 'Invalid stream\n'], 'DELETE of an unknown channel: 400');
  t.equal((await raw('POST', trickle.url('nope'), { headers: { 'expect-content': 'video/MP2T' } })).status, 404, 'autocreate is off: POST {channel} does not create');
  t.notOk(trickle.server.get('nope'), 'nothing was created');

  trickle.server.create('known', 'video/MP2T', false);
  t.equal((await raw('POST', trickle.url('known'))).status, 200, 'POST {channel} of an existing channel: 200');
  t.same([(await raw('GET', trickle.url('known/abc'))).status, (await raw('GET', trickle.url('known/abc'))).body], [400, 'Invalid idx\n']);
  t.same([(await raw('POST', trickle.url('known/1.5'), { body: 'x' })).status], [400]);
  t.same([(await raw('DELETE', trickle.url('known/0'))).body], ['Nonexistent segment\n'], 'DELETE of a segment not in the window');
  t.equal((await raw('GET', trickle.url('known/0/extra'))).status, 404, 'deeper paths are not routes');
  t.equal((await raw('GET', trickle.url('known%zz/0'))).status, 400, 'a broken escape is a bad request');
});

t.test('the ring keeps five segments; older ones answer 470 with Lp-Trickle-Latest', async (t) => {
  const trickle = await startPlainTrickle(t);
  trickle.server.create('ring', 'application/octet-stream', false);
  for (let i = 0; i < 7; i++) {
    const post = await raw('POST', trickle.url('ring/-1'), { body: `s${i}` });
    t.same([post.status, post.headers['lp-trickle-seq']], [200, String(i)], `POST -1 wrote index ${i}`);
  }
  const gone = await raw('GET', trickle.url('ring/1'));
  t.same([gone.status, gone.headers['lp-trickle-latest'], gone.headers['lp-trickle-seq'], gone.body], [470, '7', '1', 'Entry not found'], 'index 1 was overwritten by 6');
  const kept = await raw('GET', trickle.url('ring/2'));
  t.same([kept.status, kept.body, kept.headers['lp-trickle-seq'], kept.headers['lp-trickle-latest']], [200, 's2', '2', '7'], 'index 2 is the oldest kept');
  const current = await raw('GET', trickle.url('ring/-2'));
  t.same([current.body, current.headers['lp-trickle-seq'], current.headers['lp-trickle-latest']], ['s6', '6', '7'], '-2 is the last written');
  const far = await raw('GET', trickle.url('ring/9'));
  t.same([far.status, far.headers['lp-trickle-latest']], [470, '7'], 'an index beyond the write head is not precreated');
  const next = await raw('GET', trickle.url('ring/next'));
  t.same([next.status, next.body, next.headers['lp-trickle-latest'], next.headers['lp-trickle-closed']], [200, '7', '7', undefined], '/next');
});

t.test('a GET at the write head waits for the segment; -1 is the next one', async (t) => {
  const trickle = await startPlainTrickle(t);
  trickle.server.create('head', 'text/plain', false);
  const early = raw('GET', trickle.url('head/1')); // index 1 before anything was written: allowed
  const live = raw('GET', trickle.url('head/-1'));
  await until(() => trickle.subscribers() === 2, 'two waiting GETs');
  await raw('POST', trickle.url('head/0'), { body: 'zero' });
  const first = await live;
  t.same([first.status, first.body, first.headers['lp-trickle-seq'], first.headers['lp-trickle-latest'], first.headers['content-type']], [200, 'zero', '0', undefined, 'text/plain'], 'the -1 GET got index 0; Latest is left out when it equals the served segment');
  await raw('POST', trickle.url('head/1'), { body: 'one' });
  t.same([(await early).body, (await early).headers['lp-trickle-seq']], ['one', '1']);
});

t.test('closing a channel answers waiting GETs and preconnected POSTs with Lp-Trickle-Closed', async (t) => {
  const trickle = await startPlainTrickle(t);
  trickle.server.create('bye', 'text/plain', false);
  await raw('POST', trickle.url('bye/0'), { body: 'only' });
  const waiting = raw('GET', trickle.url('bye/1'));
  let release!: () => void;
  const preconnect = raw('POST', trickle.url('bye/1'), { body: 'late', beforeEnd: new Promise<void>((resolve) => (release = resolve)) });
  await until(() => trickle.subscribers() === 1 && (trickle.requests['POST'] ?? 0) === 2, 'the waiting GET and the preconnected POST');
  t.equal((await raw('DELETE', trickle.url('bye'))).status, 200, 'DELETE {channel}');
  const got = await waiting;
  t.same([got.status, got.headers['lp-trickle-closed'], got.headers['lp-trickle-seq'], got.body], [200, 'terminated', '1', ''], 'the GET ends empty with Lp-Trickle-Closed');
  const posted = await preconnect;
  t.same([posted.status, posted.headers['lp-trickle-closed'], posted.headers['lp-trickle-seq'], posted.headers.connection], [200, 'terminated', '1', 'close'], 'the preconnected POST is answered without its body');
  release();
  t.equal((await raw('GET', trickle.url('bye/0'))).status, 404, 'the channel is gone');
});

t.test('DELETE {channel}/{seq} ends a waiting segment; Lp-Trickle-Reset closes earlier ones', async (t) => {
  const trickle = await startPlainTrickle(t);
  trickle.server.create('seg', 'text/plain', false);
  const waiting = raw('GET', trickle.url('seg/0'));
  await until(() => trickle.subscribers() === 1, 'the waiting GET');
  t.equal((await raw('DELETE', trickle.url('seg/0'))).status, 200);
  const dropped = await waiting;
  t.same([dropped.status, dropped.body, dropped.headers['lp-trickle-seq'], dropped.headers['lp-trickle-closed']], [200, '', '0', undefined], 'an empty segment, not end of stream');

  let finish!: () => void;
  const hanging = raw('POST', trickle.url('seg/1'), { body: 'never-finished', beforeEnd: new Promise<void>((resolve) => (finish = resolve)) });
  const reader = raw('GET', trickle.url('seg/1'));
  await until(() => trickle.subscribers() === 1, 'a reader of segment 1');
  const restarted = await raw('POST', trickle.url('seg/2'), { body: 'after-restart', headers: { 'lp-trickle-reset': '1' } });
  t.equal(restarted.headers['lp-trickle-seq'], '2');
  const cut = await reader;
  t.equal(cut.status, 200, 'the reader of the abandoned segment 1 was released by the reset');
  finish();
  await hanging;
});

t.test('100 Continue keepalives while a POST sends nothing', async (t) => {
  const trickle = await startPlainTrickle(t, { firstByteKeepaliveMs: 20 });
  trickle.server.create('slow', 'text/plain', false);
  let go!: () => void;
  const start = new Promise<void>((resolve) => (go = resolve));
  let seen = 0;
  // The body is sent only after the second keepalive reached the client.
  const answer = await raw('POST', trickle.url('slow/0'), { body: 'eventually', beforeEnd: start, onInterim: () => ++seen === 2 && go() });
  t.equal(answer.status, 200);
  t.ok(answer.interim.length >= 2 && answer.interim.every((s) => s === 100), 'the interim answers are 100 Continue');
  t.equal((await raw('GET', trickle.url('slow/0'))).body, 'eventually');
});

t.test('a publisher that breaks off mid-segment ends it for subscribers; a retry of an index replaces it', async (t) => {
  const trickle = await startPlainTrickle(t);
  trickle.server.create('cut', 'text/plain', false);
  const reader = raw('GET', trickle.url('cut/0'));
  const { request } = await import('node:http');
  const req = request(trickle.url('cut/0'), { method: 'POST', agent: false });
  req.on('error', () => undefined);
  req.write('partial');
  await until(() => trickle.server.get('cut')?.at(0)?.size === 7, 'the first bytes in the segment');
  req.destroy();
  t.equal((await reader).body, 'partial', 'the subscriber gets what was written, then the end');
  t.equal((await raw('POST', trickle.url('cut/0'), { body: 'whole' })).status, 200, 'the index is written again');
  t.equal((await raw('GET', trickle.url('cut/0'))).body, 'whole', 'the retry replaced the broken segment');
});
