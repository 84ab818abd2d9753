import t from 'tap';
import { presetProfile } from '@lpx/sdk';
import { DeviceBalancer, sessionCost } from '@lpx/sdk/transcode-kit';

const gpus = [{ id: '0', name: 'GPU A' }, { id: '1', name: 'GPU B' }, { id: '2', name: 'GPU C' }];
const clock = (): { now: () => number; advance(ms: number): void } => {
  let time = 1_000_000;
  return { now: () => time, advance: (ms) => void (time += ms) };
};

t.test('session cost is go-livepeer’s Σ w×h×fps, passthrough as 30 fps', async (t) => {
  t.equal(sessionCost([presetProfile('P240p30fps16x9')!, presetProfile('P360p30fps16x9')!]), 426 * 240 * 30 + 640 * 360 * 30);
  t.equal(sessionCost([{ width: 100, height: 100, fps: 0, fpsDen: 1 }]), 100 * 100 * 30);
  t.equal(sessionCost([{ width: 100, height: 100, fps: 30000, fpsDen: 1001 }]), 100 * 100 * 29, 'integer division, as go-livepeer');
});

t.test('a new session goes to the least-loaded GPU', async (t) => {
  const lb = new DeviceBalancer(gpus, { sessionsPerDevice: 4, idleMs: 70_000 });
  t.equal(lb.acquire('heavy', 1000).id, '0');
  t.equal(lb.acquire('light', 10).id, '1');
  t.equal(lb.acquire('x', 10).id, '2');
  // Loads: 0 → 1000, 1 → 10, 2 → 10. The next goes to a 10-loaded one, never to GPU 0.
  t.not(lb.acquire('y', 10).id, '0');
  t.same(lb.loads().map((d) => d.load).sort((a, b) => a - b), [10, 20, 1000]);
});

t.test('ties are broken by a start index that moves on with every new session', async (t) => {
  const lb = new DeviceBalancer(gpus, { sessionsPerDevice: 10, idleMs: 70_000 });
  const picks: string[] = [];
  for (let i = 0; i < 6; i++) {
    const id = `s${i}`;
    picks.push(lb.acquire(id, 100).id);
    lb.release(id); // every device back to load 0: only the rotation decides
  }
  t.same(picks, ['0', '1', '2', '0', '1', '2']);
});

t.test('a session sticks to its GPU for every segment, whatever the loads', async (t) => {
  const lb = new DeviceBalancer(gpus, { sessionsPerDevice: 4, idleMs: 70_000 });
  const first = lb.acquire('stream', 5000).id;
  lb.done('stream');
  for (let i = 0; i < 3; i++) lb.acquire(`other${i}`, 1);
  for (let seq = 1; seq < 5; seq++) {
    t.equal(lb.acquire('stream', 5000).id, first, `segment ${seq} on GPU ${first}`);
    lb.done('stream');
  }
  t.equal(lb.loads().find((d) => d.id === first)!.sessions, 1, 'counted once, however many segments');
});

t.test('capacity is devices × sessionsPerDevice; past it a new session is refused with NO_CAPACITY, a known one still runs', async (t) => {
  const lb = new DeviceBalancer(gpus.slice(0, 2), { sessionsPerDevice: 2, idleMs: 70_000 });
  t.equal(lb.capacity, 4);
  const placed = ['a', 'b', 'c', 'd'].map((id) => lb.acquire(id, 100).id);
  t.same(placed.sort(), ['0', '0', '1', '1'], 'two per GPU');
  t.throws(() => lb.acquire('e', 1), { code: 'LPX_ERR_TRANSCODE_NO_CAPACITY' });
  t.equal(lb.acquire('a', 100).id, lb.sessionDevice('a')!.id, 'an existing session is not refused');
  lb.release('b');
  t.doesNotThrow(() => lb.acquire('e', 1), 'an ended session frees its place at once');
});

t.test('a full GPU is skipped even when it is the least loaded', async (t) => {
  const lb = new DeviceBalancer(gpus.slice(0, 2), { sessionsPerDevice: 1, idleMs: 70_000 });
  t.equal(lb.acquire('small', 1).id, '0');
  t.equal(lb.acquire('big', 1_000_000).id, '1', 'GPU 0 is lighter but holds its one session');
});

t.test('an idle session gives its place back; a running one never does', async (t) => {
  const time = clock();
  const lb = new DeviceBalancer(gpus.slice(0, 1), { sessionsPerDevice: 2, idleMs: 70_000, now: time.now });
  lb.acquire('idle', 1);
  lb.done('idle');
  lb.acquire('busy', 1); // still transcoding: no done()
  time.advance(70_000);
  t.equal(lb.acquire('new', 1).id, '0', 'the idle session expired and made room');
  t.equal(lb.sessionDevice('idle'), undefined);
  t.not(lb.sessionDevice('busy'), undefined, 'a session mid-segment is kept');
  t.throws(() => lb.acquire('more', 1), { code: 'LPX_ERR_TRANSCODE_NO_CAPACITY' });
});

t.test('after a re-probe: same devices keep the balancer and its sessions; other devices or identity start afresh; none is undefined', async (t) => {
  const options = { sessionsPerDevice: 2, idleMs: 70_000 };
  const first = DeviceBalancer.afterProbe(undefined, gpus, options)!;
  first.acquire('live', 10);
  t.equal(DeviceBalancer.afterProbe(first, [...gpus], options), first, 'the same ids: sessions stay where they are');
  t.not(DeviceBalancer.afterProbe(first, gpus.slice(0, 2), options), first, 'a device gone: a new balancer');
  t.not(DeviceBalancer.afterProbe(first, gpus, options, 'logan'), first, 'another identity (hardware family): a new balancer');
  t.equal(DeviceBalancer.afterProbe(first, [], options), undefined);
});

t.test('a status carries each device’s live sessions as its load', async (t) => {
  const lb = new DeviceBalancer(gpus.slice(0, 2), { sessionsPerDevice: 3, idleMs: 70_000 });
  lb.acquire('a', 500);
  const status = { available: true, capacity: 6, decode: ['H264' as const], encode: ['H264' as const], formats: ['mpegts' as const] };
  t.same(lb.withLoads(status), { ...status, devices: [{ id: '0', name: 'GPU A', capacity: 3, load: 1 }, { id: '1', name: 'GPU B', capacity: 3, load: 0 }] });
});
