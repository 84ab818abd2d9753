// The pool's selection and accounting without sockets (fake links): least
// loaded by load/capacity with session stickiness, capability filtering,
// capacity-change values, teardown notifies, send failures retried, the
// message codecs and the segment store's bounds.
import t from 'tap';
import { bitstringOf, DEFAULT_CAPABILITY_IDS } from '../../src/capabilities/index.js';
import {
  decodeNotifySegment,
  decodeRegisterRequest,
  defaultTaskTimeoutMs,
  encodeNotifySegment,
  encodeRegisterRequest,
  RemoteTranscoderPool,
  SegmentStore,
  type NotifySegment,
  type TranscoderLink,
} from '../../src/network/remote-transcoder/index.js';
import { emptySegData } from '../../src/network/segment/index.js';

interface FakeLink extends TranscoderLink {
  readonly sent: NotifySegment[];
  ended: boolean;
  broken: boolean;
}

function fakeLink(peer: string): FakeLink {
  const link: FakeLink = {
    peer,
    sent: [],
    ended: false,
    broken: false,
    send: (notify) => {
      if (link.broken) return false;
      link.sent.push(notify);
      return true;
    },
    end: () => void (link.ended = true),
  };
  return link;
}

function setup() {
  const events: [number, number][] = [];
  const pool = new RemoteTranscoderPool({ secret: 's', onCapacityChange: (c, l) => events.push([c, l]), taskTimeoutMs: () => 1_000 });
  const add = (peer: string, capacity: number, bitstring?: bigint[]) => {
    const link = fakeLink(peer);
    pool.register({ secret: 's', capacity: BigInt(capacity), ...(bitstring ? { capabilities: { bitstring, mandatories: [], capacities: {}, version: '', constraints: { minVersion: '', perCapability: {} } } } : {}) }, link);
    return link;
  };
  /** Starts a task for `sessionId` and answers it from whichever link got it. */
  const run = async (sessionId: string, links: FakeLink[], capabilities?: { bitstring: bigint[] }) => {
    const before = links.map((l) => l.sent.length);
    const pending = pool.transcode({ sessionId, durationMs: 2_000, ...(capabilities ? { capabilities } : {}), notify: (taskId) => ({ url: 'u', taskId, orchId: 'o', profiles: new Uint8Array(0) }) });
    // Observed at once so a synchronous refusal is not an unhandled rejection while we look.
    const settled = pending.then(() => undefined, (error: unknown) => error);
    await new Promise((resolve) => setImmediate(resolve));
    const index = links.findIndex((l, i) => l.sent.length > before[i]!);
    if (index >= 0) pool.deliver(links[index]!.sent.at(-1)!.taskId, { result: { renditions: [], decodedPixels: 0n } });
    const error = await settled;
    if (error !== undefined) throw error;
    return links[index]?.peer;
  };
  return { pool, events, add, run };
}

t.test('least loaded by load/capacity, sticky sessions, capacity events', async (t) => {
  const { pool, events, add, run } = setup();
  const a = add('a', 1);
  const b = add('b', 3);
  t.same(events, [[1, 0], [4, 0]]);
  t.equal(await run('s1', [a, b]), 'a', 'a tie (0/1 vs 0/3) goes to the first registered');
  t.equal(await run('s2', [a, b]), 'b', 'a is full (1/1), b is at 0/3');
  t.equal(await run('s1', [a, b]), 'a', 'a session sticks to its transcoder');
  t.equal(await run('s3', [a, b]), 'b');
  t.equal(await run('s4', [a, b]), 'b');
  await t.rejects(run('s5', [a, b]), { message: 'no transcoders available', code: 'LPX_ERR_TRANSCODER_NONE_AVAILABLE' });
  t.same(events.at(-1), [4, 4]);
  pool.endSession('s2');
  t.same(b.sent.at(-1), { url: '', segData: { teardownSessionId: 's2' }, taskId: 0n, orchId: '', profiles: new Uint8Array(0) }, 'teardown notify');
  t.same(events.at(-1), [4, 3]);
  pool.endSession('unknown');
  t.same(events.at(-1), [4, 3], 'an unknown session changes nothing');
  t.equal(await run('s6', [a, b]), 'b');
  pool.unregister(a);
  t.same(events.at(-1), [3, 3], 'a leaving takes its capacity and load');
  t.same(pool.stats(), { transcoders: 1, capacity: 3, load: 3, pendingTasks: 0 });
});

t.test('capabilities: job bits must be a subset; legacy transcoders get the defaults', async (t) => {
  const { add, run } = setup();
  const legacy = add('legacy', 5);
  const extra = add('extra', 1, bitstringOf([...DEFAULT_CAPABILITY_IDS, 16]));
  t.equal(await run('h', [legacy, extra], { bitstring: bitstringOf([16]) }), 'extra', 'only one has HEVC encode');
  t.equal(await run('d', [legacy, extra], { bitstring: bitstringOf([DEFAULT_CAPABILITY_IDS[0]!]) }), 'legacy');
  await t.rejects(run('x', [legacy, extra], { bitstring: bitstringOf([36]) }), { message: 'no transcoders can provide requested capabilities' });
});

t.test('a failed send drops the transcoder and retries on another; refusals', async (t) => {
  const { pool, add, run } = setup();
  const a = add('a', 5);
  const b = add('b', 1);
  a.broken = true;
  t.equal(await run('s', [a, b]), 'b');
  t.ok(a.ended, 'the broken transcoder is dropped (its stream ended)');
  t.equal(pool.stats().transcoders, 1);
  t.throws(() => pool.register({ secret: 'x', capacity: 1n }, fakeLink('w')), { message: 'invalid secret', code: 'LPX_ERR_TRANSCODER_SECRET_INVALID' });
  t.throws(() => pool.register({ secret: 's', capacity: -1n }, fakeLink('z')), { message: 'zero capacity' });
  t.notOk(new RemoteTranscoderPool({ secret: '' }).checkSecret(''), 'no secret set refuses everyone');
  t.equal(defaultTaskTimeoutMs(1_000), 8_000);
  t.equal(defaultTaskTimeoutMs(3_000), 12_000);
  pool.close();
  t.ok(b.ended, 'close ends every stream');
  await t.rejects(run('s', [b]), { code: 'LPX_ERR_TRANSCODER_POOL_CLOSED' });
});

t.test('RegisterRequest and NotifySegment round trip', async (t) => {
  const caps = { bitstring: [5n], mandatories: [], capacities: {}, version: '0.9.1', constraints: { minVersion: '', perCapability: {} } };
  t.same(decodeRegisterRequest(encodeRegisterRequest({ secret: 'x', capacity: 3n, capabilities: caps })), { secret: 'x', capacity: 3n, capabilities: caps });
  t.same(decodeRegisterRequest(encodeRegisterRequest({ secret: 'x', capacity: 3n })), { secret: 'x', capacity: 3n }, 'no capabilities stays absent');
  const notify = decodeNotifySegment(encodeNotifySegment({ url: 'https://o/x', segData: { ...emptySegData(), seq: 4n, duration: 2000 }, taskId: 9n, orchId: 'o', profiles: Buffer.from('invalid') }));
  t.equal(notify.taskId, 9n);
  t.equal(notify.segData?.seq, 4n);
  t.equal(Buffer.from(notify.profiles).toString(), 'invalid');
  const teardown = encodeNotifySegment({ url: '', segData: { teardownSessionId: 'abc' }, taskId: 0n, orchId: '', profiles: new Uint8Array(0) });
  t.same([...teardown], [0x1a, 0x07, 0x42, 0x05, 0x12, 0x03, 0x61, 0x62, 0x63], 'teardown is segData{auth_token{session_id}} and nothing else');
  t.throws(() => decodeNotifySegment(Uint8Array.from([0x0a, 0x05, 0x61])), { code: 'LPX_ERR_NETWORK_MALFORMED_MESSAGE' });
});

t.test('segment store: TTL, byte budget, sessions, encoded paths', async (t) => {
  let now = 0;
  const store = new SegmentStore({ maxBytes: 10, ttlMs: 100, now: () => now });
  const k1 = store.put('s1', ['source', '1.ts'], new Uint8Array(4), 'video/mp2t');
  t.equal(k1, 's1/source/1.ts');
  store.put('s1', ['p', '1.ts'], new Uint8Array(4), 'video/mp2t');
  store.put('s2', ['p', '1.ts'], new Uint8Array(4), 'video/mp2t');
  t.equal(store.get(k1), undefined, 'the oldest goes first over the budget');
  t.equal(store.bytes, 8);
  store.deleteSession('s1');
  t.equal(store.bytes, 4);
  now = 100;
  t.equal(store.get('s2/p/1.ts'), undefined, 'expired');
  t.equal(store.put('s', ['a b/c', '..'], new Uint8Array(1), 'x'), 's/a%20b%2Fc/_..', 'names are percent-encoded, dot-segments renamed');
});
