import t from 'tap';
import { errors, type CapabilityDeclaration } from '@lpx/sdk';
import { CapabilityRegistry, type CapacityChange } from '../../src/capabilities/index.js';

const transcode: CapabilityDeclaration = { id: 'video/transcode', version: 1, mode: 'stream', workUnit: 'pixel', priceUnit: 'wei/pixel', capacity: 2 };
const textToImage = (models: Record<string, { warm: boolean; capacity?: number }>, extra: Partial<CapabilityDeclaration> = {}): CapabilityDeclaration => ({
  id: 'ai/text-to-image',
  version: 1,
  mode: 'request-response',
  workUnit: 'pixel',
  priceUnit: 'wei/pixel',
  constraints: { models },
  ...extra,
});

t.test('declare produces a canonical descriptor with its queue', async (t) => {
  const registry = new CapabilityRegistry();
  const descriptor = registry.declare('transcode-ffmpeg', { ...transcode, version: 2, description: 'software' });
  t.same(descriptor, {
    id: 'video/transcode',
    version: 2,
    mode: 'stream',
    workUnit: 'pixel',
    priceUnit: 'wei/pixel',
    description: 'software',
    constraints: {},
    capacity: 2,
    providedBy: 'transcode-ffmpeg',
    queue: 'cap.video.transcode.v2',
  });
  t.ok(Object.isFrozen(descriptor));
  t.equal(registry.get('video/transcode'), descriptor);
  t.equal(registry.get('video/other'), undefined);
  t.same(registry.list().map((d) => d.id), ['video/transcode']);
});

t.test('capacity defaults: model capacities summed (1 per model without one), else 1', async (t) => {
  const registry = new CapabilityRegistry();
  t.equal(registry.declare('p', textToImage({ a: { warm: true, capacity: 2 }, b: { warm: false, capacity: 3 } })).capacity, 5);
  t.equal(registry.declare('p', { ...transcode, capacity: undefined } as unknown as CapabilityDeclaration).capacity, 1);
  t.equal(registry.declare('p', textToImage({ a: { warm: false }, b: { warm: false, capacity: 4 } }, { id: 'ai/upscale' })).capacity, 5);
  t.equal(registry.declare('p', textToImage({}, { id: 'ai/llm' })).capacity, 1);
});

t.test('operator overrides: capacity, price and the model set', async (t) => {
  const registry = new CapabilityRegistry();
  const descriptor = registry.declare('ai-sdxl', textToImage({ 'sdxl-turbo': { warm: false, capacity: 1 }, 'sd-1.5': { warm: false } }, { price: { pricePerUnit: '5' } }), {
    capacity: 4,
    price: { pricePerUnit: '10', pixelsPerUnit: '3' },
    models: { 'sdxl-turbo': { warm: true }, 'flux-dev': { warm: false, capacity: 2 } },
  });
  t.equal(descriptor.capacity, 4);
  t.same(descriptor.price, { pricePerUnit: '10', pixelsPerUnit: '3' });
  t.same(descriptor.constraints.models, {
    'sdxl-turbo': { warm: true, capacity: 1 },
    'flux-dev': { warm: false, capacity: 2 },
  }, 'operator models replace the declared set; declared fields of kept models stay');
});

t.test('invalid ids and fields are coded errors', async (t) => {
  const registry = new CapabilityRegistry();
  for (const id of ['ai:text-to-image', 'AI/x', 'transcode', 'a/b/c', '/x']) {
    t.throws(() => registry.declare('p', { ...transcode, id }), { code: 'LPX_ERR_CAPABILITY_INVALID_ID' }, id);
  }
  const bad = errors.capability.INVALID_DECLARATION.code;
  t.throws(() => registry.declare('p', { ...transcode, capacity: -1 }), { code: bad });
  t.throws(() => registry.declare('p', { ...transcode, version: 0 }), { code: bad });
  t.throws(() => registry.declare('p', { ...transcode, workUnit: '' }), { code: bad });
  t.throws(() => registry.declare('p', { ...transcode, price: { pricePerUnit: '1.5' } }), { code: bad });
  t.throws(() => registry.declare('p', { ...transcode, price: { pricePerUnit: '1', pixelsPerUnit: '0' } }), { code: bad });
  t.throws(() => registry.declare('p', transcode, { capacity: 1.5 }), { code: bad });
  t.throws(() => registry.declare('p', textToImage({ '': { warm: false } })), { code: bad });
  t.throws(() => registry.declare('p', textToImage({ a: { warm: false, capacity: -2 } })), { code: bad });
  t.same(registry.list(), [], 'nothing half-registered');
});

t.test('duplicates: same id twice, or the same model from two plugins', async (t) => {
  const registry = new CapabilityRegistry();
  registry.declare('transcode-ffmpeg', transcode);
  t.throws(() => registry.declare('transcode-nvenc', transcode), { code: 'LPX_ERR_CAPABILITY_DUPLICATE' });
  t.throws(() => registry.declare('transcode-ffmpeg', transcode), { code: 'LPX_ERR_CAPABILITY_DUPLICATE' }, 'same plugin twice too');

  registry.declare('runner-a', textToImage({ 'sdxl-turbo': { warm: true, capacity: 1 } }));
  t.throws(() => registry.declare('runner-b', textToImage({ 'sdxl-turbo': { warm: false } })), { code: 'LPX_ERR_CAPABILITY_DUPLICATE' });
  t.throws(() => registry.declare('runner-b', textToImage({ x: { warm: false } }, { mode: 'stream' })), { code: 'LPX_ERR_CAPABILITY_DUPLICATE' }, 'conflicting mode');

  const priced = new CapabilityRegistry();
  priced.declare('runner-a', textToImage({ x: { warm: false } }, { price: { pricePerUnit: '1' } }));
  t.throws(() => priced.declare('runner-b', textToImage({ y: { warm: false } }, { price: { pricePerUnit: '2' } })), { code: 'LPX_ERR_CAPABILITY_DUPLICATE' }, 'different prices');
  t.equal(priced.declare('runner-c', textToImage({ z: { warm: false } })).price?.pricePerUnit, '1', 'a price on one side is kept');
});

t.test('disjoint models from two plugins merge into one capability', async (t) => {
  const registry = new CapabilityRegistry();
  registry.declare('runner-a', textToImage({ 'sdxl-turbo': { warm: true, capacity: 1 } }));
  const merged = registry.declare('runner-b', textToImage({ 'flux-dev': { warm: false, capacity: 2 } }));
  t.same(Object.keys(merged.constraints.models ?? {}).sort(), ['flux-dev', 'sdxl-turbo']);
  t.equal(merged.capacity, 3);
  t.equal(merged.providedBy, 'runner-a');
  t.equal(registry.providerOf('ai/text-to-image', 'flux-dev'), 'runner-b');
  t.equal(registry.providerOf('ai/text-to-image', 'sdxl-turbo'), 'runner-a');
  t.equal(registry.providerOf('ai/text-to-image'), 'runner-a');
  t.equal(registry.providerOf('ai/nothing'), undefined);
  t.throws(() => registry.declare('runner-c', textToImage({ 'flux-dev': { warm: true } })), { code: 'LPX_ERR_CAPABILITY_DUPLICATE' });
});

t.test('publish locks the registry and announces the final set', async (t) => {
  const registry = new CapabilityRegistry();
  registry.declare('p', transcode);
  const seen: string[][] = [];
  registry.on('published', (descriptors) => seen.push(descriptors.map((d) => d.id)));
  t.notOk(registry.locked);
  const published = registry.publish();
  t.ok(registry.locked);
  t.same(seen, [['video/transcode']]);
  t.same(published.map((d) => d.id), ['video/transcode']);
  t.throws(() => registry.declare('late', textToImage({ a: { warm: false } })), { code: 'LPX_ERR_CAPABILITY_LOCKED' });
});

t.test('reserve and release per capability', async (t) => {
  const registry = new CapabilityRegistry();
  registry.declare('p', transcode);
  t.equal(registry.available('video/transcode'), 2);
  const a = registry.reserve('video/transcode');
  const b = registry.reserve('video/transcode');
  t.not(a.id, b.id, 'reservation ids are unique');
  t.equal(a.capabilityId, 'video/transcode');
  t.equal(registry.available('video/transcode'), 0);
  t.equal(registry.inUse('video/transcode'), 2);
  t.throws(() => registry.reserve('video/transcode'), { code: 'LPX_ERR_CAPABILITY_NO_CAPACITY' });
  registry.release(a);
  t.equal(registry.available('video/transcode'), 1);
  t.throws(() => registry.release(a), { code: 'LPX_ERR_CAPABILITY_RESERVATION_UNKNOWN' }, 'double release');
  t.throws(() => registry.release({ id: 'made-up', capabilityId: 'video/transcode' }), { code: 'LPX_ERR_CAPABILITY_RESERVATION_UNKNOWN' });
  registry.release(b);
  t.equal(registry.available('video/transcode'), 2);
  t.throws(() => registry.reserve('video/nothing'), { code: 'LPX_ERR_CAPABILITY_UNKNOWN' });
  t.equal(registry.available('video/nothing'), 0);
});

t.test('reserve and release per model', async (t) => {
  const registry = new CapabilityRegistry();
  registry.declare('p', textToImage({ a: { warm: true, capacity: 1 }, b: { warm: false } }), { capacity: 2 });
  t.equal(registry.available('ai/text-to-image', 'a'), 1);
  t.equal(registry.available('ai/text-to-image', 'b'), 2, 'a model without a limit is bounded by the capability');
  t.equal(registry.available('ai/text-to-image', 'zzz'), 0);
  const a = registry.reserve('ai/text-to-image', 'a');
  t.equal(a.model, 'a');
  t.throws(() => registry.reserve('ai/text-to-image', 'a'), { code: 'LPX_ERR_CAPABILITY_NO_CAPACITY' }, 'model full');
  t.equal(registry.available('ai/text-to-image', 'b'), 1);
  const b = registry.reserve('ai/text-to-image', 'b');
  t.throws(() => registry.reserve('ai/text-to-image', 'b'), { code: 'LPX_ERR_CAPABILITY_NO_CAPACITY' }, 'capability full');
  t.throws(() => registry.reserve('ai/text-to-image', 'zzz'), { code: 'LPX_ERR_CAPABILITY_UNKNOWN' });
  registry.release(a);
  t.equal(registry.inUse('ai/text-to-image', 'a'), 0);
  t.equal(registry.available('ai/text-to-image', 'a'), 1);
  registry.release(b);
  t.equal(registry.available('ai/text-to-image'), 2);
});

t.test('many concurrent reservations never exceed capacity', async (t) => {
  const registry = new CapabilityRegistry();
  registry.declare('p', { ...transcode, capacity: 10 });
  const attempts = await Promise.allSettled(Array.from({ length: 50 }, async () => registry.reserve('video/transcode')));
  const won = attempts.filter((r) => r.status === 'fulfilled');
  t.equal(won.length, 10);
  t.equal(new Set(won.map((r) => r.value.id)).size, 10);
  t.ok(attempts.filter((r) => r.status === 'rejected').every((r) => errors.capability.NO_CAPACITY.is(r.reason)));
});

t.test('capacity changes emit events', async (t) => {
  const registry = new CapabilityRegistry();
  registry.declare('p', textToImage({ a: { warm: true, capacity: 1 } }));
  registry.publish();
  const changes: CapacityChange[] = [];
  registry.on('capacity', (change) => changes.push(change));
  const r = registry.reserve('ai/text-to-image', 'a');
  registry.release(r);
  registry.setCapacity('ai/text-to-image', 3, 'a');
  registry.setCapacity('ai/text-to-image', 3);
  t.same(
    changes.map((c) => [c.reason, c.model, c.available, c.inUse, c.capacity]),
    [
      ['reserve', 'a', 0, 1, 1],
      ['release', 'a', 1, 0, 1],
      ['set-capacity', 'a', 1, 0, 1],
      ['set-capacity', undefined, 3, 0, 3],
    ],
  );
  t.equal(registry.get('ai/text-to-image')?.constraints.models?.a?.capacity, 3, 'the descriptor follows');
  t.equal(registry.available('ai/text-to-image', 'a'), 3);
  t.throws(() => registry.setCapacity('ai/nothing', 1), { code: 'LPX_ERR_CAPABILITY_UNKNOWN' });
  t.throws(() => registry.setCapacity('ai/text-to-image', 1, 'zzz'), { code: 'LPX_ERR_CAPABILITY_UNKNOWN' });
  t.throws(() => registry.setCapacity('ai/text-to-image', -1), { code: 'LPX_ERR_CAPABILITY_INVALID_DECLARATION' });
});

t.test('lowering capacity below use blocks new reservations until releases', async (t) => {
  const registry = new CapabilityRegistry();
  registry.declare('p', transcode);
  const a = registry.reserve('video/transcode');
  registry.reserve('video/transcode');
  registry.setCapacity('video/transcode', 1);
  t.equal(registry.available('video/transcode'), 0);
  registry.release(a);
  t.equal(registry.available('video/transcode'), 0, 'still one in use against a capacity of 1');
});

t.test('a plugin view declares as the plugin and only releases its own reservations', async (t) => {
  const registry = new CapabilityRegistry();
  const ffmpeg = registry.forPlugin('transcode-ffmpeg');
  const other = registry.forPlugin('gateway-thing');
  t.equal(ffmpeg.declare(transcode).providedBy, 'transcode-ffmpeg');
  t.same(other.list().map((d) => d.id), ['video/transcode'], 'reads see everything');
  t.equal(other.get('video/transcode')?.capacity, 2);
  t.equal(other.available('video/transcode'), 2);
  const held = ffmpeg.reserve('video/transcode');
  t.throws(() => other.release(held), { code: 'LPX_ERR_CAPABILITY_RESERVATION_UNKNOWN' });
  ffmpeg.release(held);
  t.equal(registry.available('video/transcode'), 2);
  const byKernel = registry.reserve('video/transcode');
  t.throws(() => ffmpeg.release(byKernel), { code: 'LPX_ERR_CAPABILITY_RESERVATION_UNKNOWN' });
  const byPlugin = ffmpeg.reserve('video/transcode');
  registry.release(byPlugin);
  t.equal(registry.inUse('video/transcode'), 1, 'the kernel may release any reservation');
});
