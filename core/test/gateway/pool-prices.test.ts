// Max price filters (global, per capability, per capability#model) and the
// price-increase guard, against real lpx orchestrators; every comparison is
// exact, including at boundaries float64 cannot tell apart.
import t from 'tap';
import { errors, type SelectionAlgorithm } from '@lpx/sdk';
import { checkPriceIncrease, OrchestratorPool, type OrchestratorPoolOptions } from '../../src/gateway/pool/index.js';
import { capabilityPricing, gatewayCredentials, OrchestratorInfoBuilder, type OrchestratorPricing } from '../../src/network/index.js';
import type { PriceInfo } from '../../src/payments/index.js';
import { startOrchestrator } from '../network/helpers/orchestrator-fixture.js';

/** What the helpers need of a (sub)test: somewhere to register cleanup. */
type Teardown = Pick<typeof t, 'teardown'>;
type Checks = Pick<typeof t, 'teardown' | 'same'>;

const first: SelectionAlgorithm = { name: 'first', select: (candidates) => [...candidates] };

/** The fixture's orchestrator, with its base (transcoding) price changeable while it runs. */
async function repricable(t: Teardown) {
  let builder: OrchestratorInfoBuilder | undefined;
  const o = await startOrchestrator({ service: { info: { build: (request) => builder!.build(request) } } });
  t.teardown(o.stop);
  let base: PriceInfo = { pricePerUnit: 1200n, pixelsPerUnit: 1n };
  const declared = capabilityPricing(() => o.registry.list());
  const pricing: OrchestratorPricing = { basePrice: () => base, priceForCapabilities: (gateway, caps) => declared.priceForCapabilities(gateway, caps) };
  builder = new OrchestratorInfoBuilder({
    serviceUri: () => o.uri,
    address: o.orchestratorAddress,
    descriptors: () => o.registry.list(),
    nodeVersion: '0.9.1-lpx',
    authTokens: o.authTokens,
    payments: { pricing, tickets: o.recipient },
    capabilityOptions: { usage: o.registry },
  });
  return { ...o, setBasePrice: (price: PriceInfo) => (base = price) };
}

async function poolOver(t: Checks, o: Awaited<ReturnType<typeof startOrchestrator>>, options: OrchestratorPoolOptions = {}) {
  const pool = new OrchestratorPool({ candidates: async () => [{ uri: o.uri }], credentials: await gatewayCredentials(o.gateway) }, options);
  t.teardown(() => pool.close());
  t.same((await pool.discover()).answered, [o.uri]);
  return pool;
}

const uris = (entries: readonly { uri: string }[]) => entries.map((e) => e.uri);

t.test('max prices: global, per capability, per model; exact at the boundary', async (t) => {
  const o = await startOrchestrator();
  t.teardown(o.stop);
  const model = 'stabilityai/sd-turbo';

  const global = await poolOver(t, o, { maxPrice: { pricePerUnit: 1199n, pixelsPerUnit: 1n } });
  t.same(global.usable('video/transcode'), [], 'transcoding at 1200 > 1199');
  t.same(global.usable('ai/text-to-image', model), [], 'the global max covers capabilities without their own');
  t.same(uris(global.usable('byoc/echo')), [o.uri], 'byoc at 3/2 passes');
  t.throws(() => global.pick('video/transcode', { algorithm: first }), { code: errors.gateway.PRICE_TOO_HIGH.code }, 'priced out, not absent');
  t.throws(() => global.pick('ai/llm', { algorithm: first }), { code: errors.gateway.NO_ORCHESTRATORS.code }, 'nobody offers it');

  const perCapability = await poolOver(t, o, {
    maxPrice: { pricePerUnit: 1n, pixelsPerUnit: 1n },
    maxPricePerCapability: { 'ai/text-to-image': { pricePerUnit: 4768371n, pixelsPerUnit: 1n }, 'video/transcode': { pricePerUnit: 1200n, pixelsPerUnit: 1n } },
  });
  t.same(uris(perCapability.usable('ai/text-to-image', model)), [o.uri], 'exactly at the capability max passes');
  t.same(uris(perCapability.usable('video/transcode')), [o.uri], 'the capability entry beats the lower global one');
  t.same(perCapability.usable('byoc/echo'), [], 'no own entry: the global max (1) applies');

  const perModel = await poolOver(t, o, {
    maxPricePerCapability: {
      'ai/text-to-image': { pricePerUnit: 10n ** 9n, pixelsPerUnit: 1n },
      [`ai/text-to-image#${model}`]: { pricePerUnit: 4768370n, pixelsPerUnit: 1n },
    },
  });
  t.same(perModel.usable('ai/text-to-image', model), [], 'the model entry wins over the capability entry');
  t.same(uris(perModel.usable('ai/text-to-image')), [o.uri], 'without a model, the capability entry');

  // 1.5 − 5e-19: float64 rounds both sides to 1.5; bigint cross-multiplication does not.
  const justUnder = await poolOver(t, o, { maxPricePerCapability: { 'byoc/echo': { pricePerUnit: 2_999_999_999_999_999_999n, pixelsPerUnit: 2_000_000_000_000_000_000n } } });
  t.same(justUnder.usable('byoc/echo'), [], 'a hair under 3/2 refuses 3/2');
  const equal = await poolOver(t, o, { maxPricePerCapability: { 'byoc/echo': { pricePerUnit: 3n * 10n ** 18n, pixelsPerUnit: 2n * 10n ** 18n } } });
  t.same(uris(equal.usable('byoc/echo')), [o.uri], 'the same value with other terms passes');
  t.same(equal.pick('byoc/echo', { algorithm: first }).price, { pricePerUnit: 3n, pixelsPerUnit: 2n });
});

t.test('price increase: up to 2× is paid, more is refused with go-livepeer\'s text', async (t) => {
  const o = await repricable(t);
  const pool = await poolOver(t, o);
  const initial = pool.usable('video/transcode')[0]!.price;
  t.same(initial, { pricePerUnit: 1200n, pixelsPerUnit: 1n });

  o.setBasePrice({ pricePerUnit: 2400n, pixelsPerUnit: 1n });
  const doubled = await pool.refresh(o.uri);
  t.same(pool.checkPriceIncrease(o.uri, initial, doubled.info), { pricePerUnit: 2400n, pixelsPerUnit: 1n }, 'exactly 2× is accepted');

  // 2400 + 1e-15: float64 division would give exactly 2400.
  o.setBasePrice({ pricePerUnit: 2_400_000_000_000_000_001n, pixelsPerUnit: 1_000_000_000_000_000n });
  const raised = await pool.refresh(o.uri);
  const error = t.throws(() => pool.checkPriceIncrease(o.uri, initial, raised.info)) as Error & { code?: string; details?: Record<string, unknown> };
  t.equal(error.code, errors.gateway.PRICE_INCREASED.code);
  t.match(error.message, 'Orchestrator price has more than doubled');
  t.match(error.details, { uri: o.uri, initialPrice: '1200/1', newPrice: '2400000000000000001/1000000000000000' });

  t.same(
    checkPriceIncrease(o.uri, { pricePerUnit: 4768371n, pixelsPerUnit: 1n }, raised.info, { capabilityId: 'ai/text-to-image', model: 'stabilityai/sd-turbo' }),
    { pricePerUnit: 4768371n, pixelsPerUnit: 1n },
    'per capability: the model price did not move',
  );
  t.same(checkPriceIncrease(o.uri, undefined, raised.info), { pricePerUnit: 2_400_000_000_000_000_001n, pixelsPerUnit: 1_000_000_000_000_000n }, 'no initial price: nothing to compare');
});
