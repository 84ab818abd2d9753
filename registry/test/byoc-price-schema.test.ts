import t from 'tap';
import { errors, PositiveUintString, UintString } from '@lpx/sdk';
import { validateManifest } from '../src/manifest/validate.js';
import { catchError } from './helpers/catch-error.js';
import { fixtureManifest } from './helpers/fixture-plugin.js';
import { byocManifest } from './helpers/trust-fixture.js';

// A BYOC app's price uses the sdk's one definition of a wei amount (UintString) and of a divisor (PositiveUintString).

const digest = `sha256:${'a'.repeat(64)}`;
function withPrice(price: Record<string, string>): unknown {
  const base = byocManifest(digest) as { byoc: Record<string, unknown> };
  return fixtureManifest({ ...base, byoc: { ...base.byoc, price: { unit: 'second', ...price } } } as never);
}

t.test('byoc.price amounts: exact decimal strings, a divisor never 0', async (t) => {
  t.ok(validateManifest(withPrice({ pricePerUnit: '0' }), { source: 'test' }), 'a free app is valid');
  t.ok(validateManifest(withPrice({ pricePerUnit: '1000000000000000000000', pixelsPerUnit: '1' }), { source: 'test' }), 'beyond 2^53 as a string');
  const bad: Record<string, string>[] = [{ pricePerUnit: '1.5' }, { pricePerUnit: '-1' }, { pricePerUnit: '01' }, { pricePerUnit: '1e3' }, { pricePerUnit: '1', pixelsPerUnit: '0' }, { pricePerUnit: '1', pixelsPerUnit: '007' }];
  for (const price of bad) {
    const error = await catchError(async () => validateManifest(withPrice(price), { source: 'test' }));
    t.ok(errors.plugin.MANIFEST_INVALID.is(error), JSON.stringify(price));
  }
});

t.test('the byoc price patterns are the sdk ones, not copies', async (t) => {
  const schema = (await import('../schemas/plugin-manifest.schema.json', { with: { type: 'json' } })).default as unknown as { properties: { byoc: { properties: { price: { properties: Record<string, { pattern: string }> } } } } };
  const price = schema.properties.byoc.properties.price.properties;
  t.equal(price['pricePerUnit']!.pattern, UintString.pattern);
  t.equal(price['pixelsPerUnit']!.pattern, PositiveUintString.pattern);
});

t.test('a capability price (manifest or operator override) with pixelsPerUnit "0" is refused at validation', async (t) => {
  // It used to validate, then throw a bare RangeError (zero denominator) when the orchestrator advertised its prices.
  const capability = { id: 'byoc/hello', version: 1, mode: 'request-response', workUnit: 'request', priceUnit: 'wei/request' };
  const manifest = (pixelsPerUnit: string) => fixtureManifest({ capabilities: [{ ...capability, price: { pricePerUnit: '10', pixelsPerUnit } }] } as never);
  t.ok(validateManifest(manifest('1'), { source: 'test' }));
  const error = await catchError(async () => validateManifest(manifest('0'), { source: 'test' }));
  t.ok(errors.plugin.MANIFEST_INVALID.is(error), error.message);
  t.match(error.message, /pixelsPerUnit/);
});
