// The pool's selection and accounting without sockets (fake links): least
// loaded by load/capacity with session stickiness, capability filtering,
// load values, teardown notifies, send failures retried, the message codecs
// (checked against bytes go-livepeer's marshaller writes) and the store.
import t from 'tap';
import {
  bitstringOf,
  decodeNotifySegment,
  decodeRegisterRequest,
  DEFAULT_CAPABILITY_IDS,
  defaultTaskTimeoutMs,
  encodeNotifySegment,
  encodeRegisterRequest,
  jobCapabilitiesFor,
  profilesField,
  RemoteTranscoderPool,
  SegmentStore,
  wireProfile,
  type NotifySegment,
  type TranscoderLink,
} from '../src/index.js';

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
  const pool = new RemoteTranscoderPool({ checkSecret: (given) => given === 's', onChange: (s) => events.push([s.capacity, s.load]), taskTimeoutMs: () => 1_000 });
  const add = (peer: string, capacity: number, bitstring?: bigint[]) => {
    const link = fakeLink(peer);
    pool.register({ secret: 's', capacity: BigInt(capacity), ...(bitstring ? { capabilities: { bitstring, version: '' } } : {}) }, link);
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
  t.equal(defaultTaskTimeoutMs(1_000), 8_000);
  t.equal(defaultTaskTimeoutMs(3_000), 12_000);
  pool.close();
  t.ok(b.ended, 'close ends every stream');
  await t.rejects(run('s', [b]), { code: 'LPX_ERR_TRANSCODER_POOL_CLOSED' });
});

t.test('RegisterRequest and NotifySegment round trip', async (t) => {
  const caps = { bitstring: [5n], version: '0.9.1' };
  t.same(decodeRegisterRequest(encodeRegisterRequest({ secret: 'x', capacity: 3n, capabilities: caps })), { secret: 'x', capacity: 3n, capabilities: caps });
  t.same(decodeRegisterRequest(encodeRegisterRequest({ secret: 'x', capacity: 3n })), { secret: 'x', capacity: 3n }, 'no capabilities stays absent');
  // go-livepeer's RegisterRequest{secret:"x", capacity:3, capabilities:{bitstring:[5], version:"0.9.1"}} as proto.Marshal writes it (packed uint64).
  t.same([...encodeRegisterRequest({ secret: 'x', capacity: 3n, capabilities: caps })], [0x0a, 0x01, 0x78, 0x10, 0x03, 0x1a, 0x0a, 0x0a, 0x01, 0x05, 0x22, 0x05, 0x30, 0x2e, 0x39, 0x2e, 0x31]);
  const ladder = [{ name: 'a', width: 2, height: 2, bitrate: 1, fps: 30, fpsDen: 1, gopMs: 0, codec: 'H264', profile: 'encoder-default', format: 'mpegts', quality: 0 } as const];
  const wire = ladder.map(wireProfile);
  const segData = { manifestId: 'm', seq: 4n, durationMs: 2000, sessionId: 'sess', capabilities: jobCapabilitiesFor(ladder), profilesField: profilesField(wire), profiles: wire };
  const notify = decodeNotifySegment(encodeNotifySegment({ url: 'https://o/x', segData, taskId: 9n, orchId: 'o', profiles: Buffer.from('invalid') }));
  t.match(notify, { url: 'https://o/x', taskId: 9n, orchId: 'o', sessionId: 'sess', seq: 4n, durationMs: 2000, manifestId: 'm' });
  t.same(notify.fullProfiles.map((p) => [p.name, p.width, p.fps, p.fpsDen]), [['a', 2, 30, 0]], 'an integer rate goes out as fpsDen 0 in fullProfiles');
  t.equal(Buffer.from(notify.profiles).toString(), 'invalid');
  t.equal(profilesField([{ ...wire[0]!, format: 1 }]), 'fullProfiles2', 'MP4 output: fullProfiles2');
  t.equal(profilesField([{ ...wire[0]!, gop: 1000 }]), 'fullProfiles3', 'a GOP: fullProfiles3');
  const teardown = encodeNotifySegment({ url: '', segData: { teardownSessionId: 'abc' }, taskId: 0n, orchId: '', profiles: new Uint8Array(0) });
  t.same([...teardown], [0x1a, 0x07, 0x42, 0x05, 0x12, 0x03, 0x61, 0x62, 0x63], 'teardown is segData{auth_token{session_id}} and nothing else');
  t.throws(() => decodeNotifySegment(Uint8Array.from([0x0a, 0x05, 0x61])), { code: 'LPX_ERR_TRANSCODER_RESULT_INVALID' });
});

t.test('job capabilities from the ladder', async (t) => {
  const base = { name: 'a', width: 2, height: 2, bitrate: 1, fps: 30, fpsDen: 1, gopMs: 0, codec: 'H264', profile: 'encoder-default', format: 'mpegts', quality: 0 } as const;
  t.same(jobCapabilitiesFor([base]).bitstring, bitstringOf([0, 1, 12]), 'H.264 in MPEG-TS: H264, MPEGTS, AuthToken');
  t.same(jobCapabilitiesFor([{ ...base, codec: 'HEVC', format: 'mp4', fpsDen: 1001, profile: 'main', gopMs: 2000 }]).bitstring, bitstringOf([0, 2, 3, 8, 11, 12, 16]));
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

t.test('segment store: a flood of tiny objects stays within the entry cap, newest kept; bytes stay within budget', async (t) => {
  const store = new SegmentStore({ maxEntries: 100 });
  for (let i = 0; i < 1_000; i++) store.put(`session-${i}`, ['source', `${i}.ts`], new Uint8Array(0), 'video/mp2t');
  t.equal(store.size, 100);
  t.ok(store.get('session-999/source/999.ts'), 'the newest is kept');
  t.equal(store.get('session-0/source/0.ts'), undefined, 'the oldest went');
  const bytes = new SegmentStore({ maxBytes: 1_000_000 });
  let worst = 0;
  for (let i = 0; i < 200; i++) {
    bytes.put('s', [`${i}.ts`], new Uint8Array(30_000), 'video/mp2t');
    worst = Math.max(worst, bytes.bytes);
  }
  t.ok(worst <= 1_000_000, `worst ${worst}`);
});
