import t from 'tap';
import { errors, type ByocAppContribution, type ByocAppSpec } from '@lpx/sdk';
import { capabilityDeclaration, instanceHash, planApp } from '../src/index.js';

const spec = (over: Partial<ByocAppSpec> = {}): ByocAppSpec => ({
  name: 'app',
  description: 'an app',
  mode: 'request-response',
  price: { unit: 'second', pricePerUnit: '1000' },
  capacity: 2,
  container: { image: 'partner/app:1', digest: `sha256:${'a'.repeat(64)}`, port: 8080, env: { A: '1', B: '2' } },
  ...over,
});
const contribution = (s: ByocAppSpec): ByocAppContribution => ({ pluginId: 'partner', pluginVersion: '1.0.0', spec: s, packageDir: '/pkg' });

t.test('a per-second price becomes the byoc/<name> capability, wei per second, capacity as given', async (t) => {
  t.same(capabilityDeclaration(spec(), { unit: 'second', pricePerUnit: '1000' }, 6), {
    id: 'byoc/app',
    version: 1,
    mode: 'request-response',
    workUnit: 'second',
    priceUnit: 'wei/second',
    description: 'an app',
    capacity: 6,
    price: { pricePerUnit: '1000' },
  });
  t.same(capabilityDeclaration(spec(), { unit: 'second', pricePerUnit: '5', pixelsPerUnit: '2' }, 1)?.price, { pricePerUnit: '5', pixelsPerUnit: '2' }, 'a fractional price stays exact');
  t.equal(capabilityDeclaration(spec({ mode: 'sse' }), spec().price, 1)?.mode, 'stream');
  t.equal(capabilityDeclaration(spec({ mode: 'live-stream' }), spec().price, 1)?.mode, 'live');
});

t.test('prices the legacy wire cannot bill (per request, per 720p-pixel-second) get no legacy capability', async (t) => {
  t.equal(capabilityDeclaration(spec(), { unit: 'request', pricePerUnit: '10' }, 1), undefined);
  t.equal(capabilityDeclaration(spec(), { unit: '720p-pixel-second', pricePerUnit: '10' }, 1), undefined);
});

t.test("the operator's overrides win over the manifest; env is layered; GPUs are split per instance", async (t) => {
  const plan = planApp(contribution(spec({ resources: { gpu: 1, memoryBytes: 100 } })), {
    price: { unit: 'second', pricePerUnit: '7' },
    capacity: 4,
    instances: 2,
    gpus: ['0', '1'],
    env: { B: 'operator', TOKEN: 'x' },
    memoryBytes: 200,
  });
  t.same(plan.price, { unit: 'second', pricePerUnit: '7' });
  t.equal(plan.capacity, 4);
  t.equal(plan.instances, 2);
  t.same(plan.gpus, [['0'], ['1']]);
  t.same(plan.env, { A: '1', B: 'operator', TOKEN: 'x' });
  t.equal(plan.memoryBytes, 200);

  const defaults = planApp(contribution(spec({ resources: { memoryBytes: 100 } })));
  t.same([defaults.price, defaults.capacity, defaults.instances, defaults.gpus, defaults.memoryBytes], [spec().price, 2, 1, [[]], 100], 'without overrides: the manifest');
});

t.test('unusable specs are refused with APP_INVALID naming the app', async (t) => {
  t.throws(() => planApp(contribution(spec({ external: { url: 'http://x' } }))), { code: errors.byoc.APP_INVALID.code, message: /"app": exactly one of/ });
  const { container: _c, ...neither } = spec();
  t.throws(() => planApp(contribution(neither as ByocAppSpec)), { code: errors.byoc.APP_INVALID.code });
  t.throws(() => planApp(contribution(spec({ resources: { gpu: 1 } })), { instances: 2, gpus: ['0'] }), { code: errors.byoc.APP_INVALID.code, message: /needs 1 GPU\(s\) per instance × 2 instance\(s\); the config gives 1/ });
  t.equal(planApp(contribution(spec({ container: undefined, external: { url: 'http://x' } })), { instances: 5 }).instances, 1, 'an external app is one endpoint');
});

t.test('the instance hash changes with what makes an instance, and only with that', async (t) => {
  const base = planApp(contribution(spec()));
  t.equal(instanceHash(base, 0), instanceHash(planApp(contribution(spec())), 0));
  t.not(instanceHash(base, 0), instanceHash(planApp(contribution(spec()), { env: { X: '1' } }), 0), 'env');
  t.not(instanceHash(base, 0), instanceHash(planApp(contribution(spec({ container: { ...spec().container!, digest: `sha256:${'b'.repeat(64)}` } }))), 0), 'image');
  t.not(instanceHash(base, 0), instanceHash(planApp({ ...contribution(spec()), pluginVersion: '1.0.1' }), 0), 'plugin version');
  t.equal(instanceHash(base, 0), instanceHash(planApp(contribution(spec({ description: 'other words' }))), 0), 'not the description');
});
