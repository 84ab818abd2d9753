// A tenant's max price (ADR 0017): orchestrators asking more for the
// capability are not picked for that tenant's jobs; the gateway's own limits
// still apply, the stricter one wins. The pool also says which capabilities
// discovered orchestrators offer (the gateway routes only those it knows).
import t from 'tap';
import { errors, type SelectionAlgorithm } from '@lpx/sdk';
import { OrchestratorPool, type OrchestratorPoolOptions } from '../../src/gateway/pool/index.js';
import { gatewayCredentials } from '../../src/network/index.js';
import { startOrchestrator } from '../network/helpers/orchestrator-fixture.js';

const first: SelectionAlgorithm = { name: 'first', select: (candidates) => [...candidates] };

const o = await startOrchestrator(); // offers byoc/echo at 3/2 wei per unit
t.teardown(o.stop);

async function pool(options: OrchestratorPoolOptions = {}) {
  const p = new OrchestratorPool({ candidates: async () => [{ uri: o.uri }], credentials: await gatewayCredentials(o.gateway) }, options);
  t.teardown(() => p.close());
  await p.discover();
  return p;
}

t.test("a tenant's max price below the orchestrator's keeps it out of that tenant's picks", async (t) => {
  const p = await pool();
  t.equal(p.pick('byoc/echo', { algorithm: first }).uri, o.uri, 'without a tenant limit it is picked');
  t.throws(() => p.pick('byoc/echo', { algorithm: first, maxPrice: { pricePerUnit: 1n, pixelsPerUnit: 1n } }), { code: errors.gateway.PRICE_TOO_HIGH.code }, '3/2 > 1');
  t.throws(
    () => p.pick('byoc/echo', { algorithm: first, maxPrice: { pricePerUnit: 2_999_999_999_999_999_999n, pixelsPerUnit: 2_000_000_000_000_000_000n } }),
    { code: errors.gateway.PRICE_TOO_HIGH.code },
    'exact: a hair under 3/2 refuses 3/2',
  );
  t.equal(p.pick('byoc/echo', { algorithm: first, maxPrice: { pricePerUnit: 3n, pixelsPerUnit: 2n } }).uri, o.uri, 'exactly the max passes');
});

t.test("the gateway's own limit still applies under a higher tenant limit", async (t) => {
  const p = await pool({ maxPricePerCapability: { 'byoc/echo': { pricePerUnit: 1n, pixelsPerUnit: 1n } } });
  t.throws(() => p.pick('byoc/echo', { algorithm: first, maxPrice: { pricePerUnit: 100n, pixelsPerUnit: 1n } }), { code: errors.gateway.PRICE_TOO_HIGH.code });
});

t.test('offers: what discovered orchestrators offer, whatever the price', async (t) => {
  const p = await pool({ maxPrice: { pricePerUnit: 1n, pixelsPerUnit: 1n } });
  t.ok(p.offers('byoc/echo'));
  t.notOk(p.offers('byoc/junk-capability'));
});
