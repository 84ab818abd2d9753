import t from 'tap';
import { errors, type CapabilityDeclaration } from '@lpx/sdk';
import { CapabilityRegistry, capabilityPrices } from '../../src/capabilities/index.js';

const app = (name: string, over: Partial<CapabilityDeclaration> = {}): CapabilityDeclaration => ({
  id: `byoc/${name}`,
  version: 1,
  mode: 'request-response',
  workUnit: 'second',
  priceUnit: 'wei/second',
  capacity: 2,
  price: { pricePerUnit: '1000' },
  ...over,
});

t.test('a plugin registers a byoc capability after the registry was published; it is listed, priced and reservable', async (t) => {
  const registry = new CapabilityRegistry();
  registry.publish();
  const unregister = registry.forPlugin('byoc-host').register(app('echo'));
  t.equal(registry.get('byoc/echo')?.providedBy, 'byoc-host');
  t.equal(registry.available('byoc/echo'), 2);
  t.same(capabilityPrices(registry.publish()), [{ capability: 37, constraint: 'echo', pricePerUnit: 1000n, pixelsPerUnit: 1n }], 'capabilities_prices has it as BYOC 37 + name');
  t.equal(registry.registeredAtRuntimeBy('byoc/echo'), 'byoc-host');
  const held = registry.forPlugin('byoc-host').reserve('byoc/echo');
  unregister();
  t.equal(registry.get('byoc/echo'), undefined, 'gone after unregister');
  t.same(capabilityPrices(registry.publish()), []);
  unregister();
  // Re-registering starts from zero; the reservation held across the removal is released without touching the new count.
  registry.forPlugin('byoc-host').register(app('echo'));
  registry.forPlugin('byoc-host').release(held);
  t.equal(registry.available('byoc/echo'), 2);
  t.equal(registry.inUse('byoc/echo'), 0);
});

t.test('only byoc/* and live/* ids can be registered at run time, and not over another provider', async (t) => {
  const registry = new CapabilityRegistry();
  registry.declare('example-echo', app('echo'));
  registry.publish();
  const host = registry.forPlugin('byoc-host');
  t.throws(() => host.register(app('x', { id: 'ai/text-to-image' })), { code: errors.capability.INVALID_DECLARATION.code, message: /only byoc\/\* and live\/\*/ });
  t.throws(() => host.register(app('echo')), { code: errors.capability.DUPLICATE.code, message: /example-echo/ }, 'a manifest-declared id is not taken over');
  host.register(app('other'));
  t.throws(() => registry.forPlugin('intruder').register(app('other')), { code: errors.capability.DUPLICATE.code });
  t.doesNotThrow(() => host.register(app('other', { capacity: 5 })), 'the same provider re-registering replaces (go-livepeer)');
  t.equal(registry.get('byoc/other')?.capacity, 5);
  host.setCapacity('byoc/other', 1);
  t.equal(registry.available('byoc/other'), 1);
  t.throws(() => registry.forPlugin('intruder').setCapacity('byoc/other', 9), { code: errors.capability.UNKNOWN.code });
  t.throws(() => host.setCapacity('byoc/echo', 9), { code: errors.capability.UNKNOWN.code }, 'not for manifest capabilities');
});

t.test("a run-time capability's request check runs through validateRequest; others accept everything", async (t) => {
  const registry = new CapabilityRegistry();
  registry.forPlugin('byoc-host').register(app('strict'), {
    validate: (request) => {
      if (request.body.length === 0) throw errors.byoc.INPUT_INVALID.create('empty body');
    },
  });
  await t.rejects(registry.validateRequest('byoc/strict', { subpath: '', contentType: '', body: Buffer.alloc(0) }), { code: errors.byoc.INPUT_INVALID.code });
  await registry.validateRequest('byoc/strict', { subpath: '', contentType: '', body: Buffer.from('x') });
  await registry.validateRequest('byoc/unknown', { subpath: '', contentType: '', body: Buffer.alloc(0) });
  t.pass();
});
