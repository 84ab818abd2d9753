import t from 'tap';
import type { CapabilityDeclaration } from '@lpx/sdk';
import { CapabilityRegistry, capabilityPrices, fromCapabilityPrices, toWirePrice } from '../../src/capabilities/index.js';

const base = { version: 1, mode: 'request-response', workUnit: 'pixel', priceUnit: 'wei/pixel' } as const;

t.test('one entry per (AI capability, model) and per BYOC name; none for transcode', async (t) => {
  const registry = new CapabilityRegistry();
  registry.declare('p', { ...base, id: 'video/transcode', mode: 'stream', price: { pricePerUnit: '1200' } });
  registry.declare('p', { ...base, id: 'ai/text-to-image', constraints: { models: { a: { warm: true }, b: { warm: false } } }, price: { pricePerUnit: '4768371', pixelsPerUnit: '1' } });
  registry.declare('p', { ...base, id: 'ai/upscale', price: { pricePerUnit: '5' } });
  registry.declare('p', { ...base, id: 'ai/llm', constraints: { models: { llama: { warm: true } } } });
  registry.declare('p', { ...base, id: 'byoc/echo', price: { pricePerUnit: '30', pixelsPerUnit: '20' } });
  registry.declare('p', { ...base, id: 'custom/thing', price: { pricePerUnit: '1' } });
  t.same(capabilityPrices(registry.list()), [
    { capability: 27, constraint: 'a', pricePerUnit: 4768371n, pixelsPerUnit: 1n },
    { capability: 27, constraint: 'b', pricePerUnit: 4768371n, pixelsPerUnit: 1n },
    { capability: 37, constraint: 'echo', pricePerUnit: 3n, pixelsPerUnit: 2n },
  ]);
});

t.test('operator price overrides win', async (t) => {
  const registry = new CapabilityRegistry();
  const declaration: CapabilityDeclaration = { ...base, id: 'ai/llm', constraints: { models: { llama: { warm: true } } }, price: { pricePerUnit: '1' } };
  registry.declare('p', declaration, { price: { pricePerUnit: '9', pixelsPerUnit: '1' } });
  t.same(capabilityPrices(registry.list()), [{ capability: 33, constraint: 'llama', pricePerUnit: 9n, pixelsPerUnit: 1n }]);
});

t.test('wire prices: reduced, exact, int64-bounded, never floats', async (t) => {
  t.same(toWirePrice({ pricePerUnit: 10n, pixelsPerUnit: 4n }, 'x/y'), { pricePerUnit: 5n, pixelsPerUnit: 2n });
  t.same(toWirePrice({ pricePerUnit: 1n, pixelsPerUnit: 3n }, 'x/y'), { pricePerUnit: 1n, pixelsPerUnit: 3n }, 'sub-wei prices survive');
  t.same(toWirePrice({ pricePerUnit: 0n, pixelsPerUnit: 7n }, 'x/y'), { pricePerUnit: 0n, pixelsPerUnit: 1n });
  const big = (1n << 63n) + 1n;
  t.same(toWirePrice({ pricePerUnit: big * 4n, pixelsPerUnit: big }, 'x/y'), { pricePerUnit: 4n, pixelsPerUnit: 1n }, 'floored when the ratio does not fit int64');
  t.throws(() => toWirePrice({ pricePerUnit: 1n << 64n, pixelsPerUnit: 1n }, 'x/y'), { code: 'LPX_ERR_CAPABILITY_INVALID_DECLARATION' });
  t.throws(() => toWirePrice({ pricePerUnit: 1n, pixelsPerUnit: 0n }, 'x/y'), { code: 'LPX_ERR_CAPABILITY_INVALID_DECLARATION' });
  t.throws(() => toWirePrice({ pricePerUnit: -1n, pixelsPerUnit: 1n }, 'x/y'), { code: 'LPX_ERR_CAPABILITY_INVALID_DECLARATION' });
});

t.test('non-wei prices need a converter', async (t) => {
  const registry = new CapabilityRegistry();
  registry.declare('p', { ...base, id: 'byoc/echo', price: { pricePerUnit: '2', currency: 'USD' } });
  t.throws(() => capabilityPrices(registry.list()), { code: 'LPX_ERR_CAPABILITY_PRICE_CURRENCY' });
  const converted = capabilityPrices(registry.list(), { toWei: (price) => ({ pricePerUnit: BigInt(price.pricePerUnit) * 1000n, pixelsPerUnit: 1n }) });
  t.same(converted, [{ capability: 37, constraint: 'echo', pricePerUnit: 2000n, pixelsPerUnit: 1n }]);
});

t.test('reading a peer capabilities_prices back', async (t) => {
  const read = fromCapabilityPrices([
    { capability: 27, constraint: 'sdxl', pricePerUnit: 5n, pixelsPerUnit: 1n },
    { capability: 37, constraint: 'echo', pricePerUnit: 3n, pixelsPerUnit: 2n },
    { capability: 37, constraint: 'Not Valid', pricePerUnit: 3n, pixelsPerUnit: 2n },
    { capability: 99, constraint: 'x', pricePerUnit: 1n, pixelsPerUnit: 1n },
    { capability: 33, constraint: 'llama', pricePerUnit: 1n, pixelsPerUnit: 0n },
    { capability: 30, constraint: '', pricePerUnit: 1n, pixelsPerUnit: 1n },
  ]);
  t.same(read, [
    { capabilityId: 'ai/text-to-image', model: 'sdxl', pricePerUnit: 5n, pixelsPerUnit: 1n },
    { capabilityId: 'byoc/echo', pricePerUnit: 3n, pixelsPerUnit: 2n },
    { capabilityId: 'ai/upscale', pricePerUnit: 1n, pixelsPerUnit: 1n },
  ]);
});
