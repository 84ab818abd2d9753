import t from 'tap';
import { planModels } from '../src/config/model-plan.js';
import { parseAIModelEntry } from '../src/config/ai-model-entry.js';
import { readAIModelsSource } from '../src/config/ai-models-source.js';
import { computeOffers, lowestVersion } from '../src/executor/offers.js';
import { planSlots } from '../src/slots/slot-plan.js';
import { SlotPool } from '../src/slots/slot-pool.js';

t.test("slots as go-livepeer lays them out: emulated-0, one per GPU, colocated-<i>-<gpu>", async (t) => {
  t.same(planSlots([], 1), [{ id: 'emulated-0' }], 'no GPU configured: one emulated slot');
  t.same(planSlots([{ id: '0', available: true }, { id: '1', available: true }], 1), [{ id: '0', device: '0' }, { id: '1', device: '1' }]);
  t.same(
    planSlots([{ id: '0', available: true }, { id: '1', available: false, reason: 'no /dev/nvidia1' }], 2),
    [{ id: 'colocated-0-0', device: '0' }, { id: 'colocated-0-1' }, { id: 'colocated-1-0', device: '0' }, { id: 'colocated-1-1' }],
    'an unusable GPU keeps its slots, without a device request',
  );
  t.same(planSlots([], 2), [{ id: 'colocated-0-emulated-0' }, { id: 'colocated-1-emulated-0' }]);
});

t.test('allocation: idle runner of the model first, then a free slot, then evict an idle cold runner, else none', async (t) => {
  const pool = new SlotPool(planSlots([{ id: '0', available: true }, { id: '1', available: true }], 1));
  const warm = pool.allocate('A', true);
  t.equal(warm.kind, 'free');
  if (warm.kind !== 'free') return;
  pool.setState(warm.runner.key, 'idle');
  const cold = pool.allocate('B', false);
  t.equal(cold.kind, 'free', 'the second slot');
  if (cold.kind !== 'free') return;
  t.equal(cold.slot.id, '1');
  pool.setState(cold.runner.key, 'borrowed');

  t.equal(pool.allocate('C', false).kind, 'none', 'warm runner pinned, the cold one busy: no capacity');
  t.equal(pool.borrowIdle('B'), undefined, 'B is lent already');

  pool.setState(cold.runner.key, 'idle');
  const again = pool.borrowIdle('B');
  t.equal(again?.key, cold.runner.key, 'an idle runner of the model is reused before any slot');
  pool.setState(cold.runner.key, 'idle');

  const evict = pool.allocate('C', false);
  t.equal(evict.kind, 'evict', 'an idle cold runner gives way');
  if (evict.kind !== 'evict') return;
  t.equal(evict.evicted.modelKey, 'B');
  t.equal(evict.slot.id, '1');
  t.equal(pool.runnerOn('1')?.modelKey, 'C', 'the slot now belongs to the new runner');
  t.equal(pool.get(cold.runner.key), undefined);

  pool.setState(evict.runner.key, 'idle');
  const warmAgain = pool.borrowIdle('A');
  t.ok(warmAgain, 'a warm runner is lent like any other');
  pool.setState(warm.runner.key, 'idle');
  const third = pool.allocate('D', false);
  if (third.kind !== 'evict') return t.fail('expected an eviction');
  t.equal(third.evicted.modelKey, 'C', 'never the warm one, even idle');

  t.same(pool.usage(), { inUse: 1, idle: 1, slotsIdle: 0 }, 'D starting counts as in use, A idle');
  pool.remove(third.runner.key);
  t.same(pool.usage('A'), { inUse: 0, idle: 1, slotsIdle: 1 });
  t.equal(pool.unpinnedSlots(), 1, 'the slot holding warm A is pinned');
});

t.test('adopting puts a runner found at start on its slot, once', async (t) => {
  const pool = new SlotPool(planSlots([], 1));
  t.ok(pool.adopt('emulated-0', 'A', true, 'loading'));
  t.equal(pool.adopt('emulated-0', 'B', false, 'idle'), undefined, 'the slot is taken');
  t.equal(pool.adopt('7', 'B', false, 'idle'), undefined, 'a slot the config no longer has');
  t.equal(pool.borrowIdle('A'), undefined, 'a loading runner is not lent');
});

const plansOf = (value: unknown) => planModels(readAIModelsSource(value).map(parseAIModelEntry));

t.test('offers: warm models count runners that are up, cold ones the slots they could get, externals while they answer', async (t) => {
  const plans = plansOf([
    { pipeline: 'text-to-image', model_id: 'warm-model', warm: true, capacity: 2, price_per_unit: 10, pixels_per_unit: 1000 },
    { pipeline: 'llm', model_id: 'cold-model', capacity: 3 },
    { pipeline: 'llm', model_id: 'remote-model', url: 'http://r:1', capacity: 5 },
    { pipeline: 'upscale', model_id: 'no-image' },
  ]);
  const [warm, cold, remote, noImage] = plans as [typeof plans[0], typeof plans[0], typeof plans[0], typeof plans[0]];
  const pool = new SlotPool(planSlots([{ id: '0', available: true }, { id: '1', available: true }, { id: '2', available: true }], 1));
  const inputs = {
    plans,
    pool,
    canStart: (p: typeof warm) => p !== noImage,
    externalCapacity: (p: typeof warm) => (p === remote ? 5 : 0),
    versions: (p: typeof warm) => (p === warm ? ['0.14.0', '0.13.5'] : []),
  };
  let offers = computeOffers(inputs);
  t.same(offers.map((o) => [o.modelId, o.capacity, o.warm]), [
    ['warm-model', 0, true],
    ['cold-model', 3, false],
    ['remote-model', 5, false],
    ['no-image', 0, false],
  ], 'before anything started: warm models offer nothing yet');
  t.same(offers[0]!.price, { pricePerUnit: '10', pixelsPerUnit: '1000' });
  t.equal(offers[0]!.runnerVersion, '0.13.5', 'the lowest runner version, as go-livepeer advertises');

  const a = pool.allocate(warm.key, true);
  const b = pool.allocate(warm.key, true);
  if (a.kind === 'none' || b.kind === 'none') return t.fail('slots');
  pool.setState(a.runner.key, 'idle');
  pool.setState(b.runner.key, 'loading');
  offers = computeOffers(inputs);
  t.same(offers.map((o) => o.capacity), [1, 1, 5, 0], 'one warm runner up, one loading; the cold model is left one unpinned slot');
  pool.setState(b.runner.key, 'borrowed');
  t.equal(computeOffers(inputs)[0]!.capacity, 2, 'a lent runner still counts: the kernel tracks requests in flight');
});

t.test('lowest version compares numerically', async (t) => {
  t.equal(lowestVersion(['0.10.0', '0.9.1', 'v0.9.10']), '0.9.1');
  t.equal(lowestVersion([]), undefined);
});
