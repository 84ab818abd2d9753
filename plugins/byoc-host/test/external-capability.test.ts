import t from 'tap';
import { errors } from '@lpx/sdk';
import { capabilityDeclaration, externalEntry, parseExternalCapability } from '../src/index.js';

const body = (over: Record<string, unknown> = {}) => JSON.stringify({ name: 'worker', description: 'd', url: 'http://127.0.0.1:9000/', capacity: 2, price_per_unit: 5, price_scaling: 2, currency: '', token: 't', ...over });

t.test("go-livepeer's ExternalCapability JSON becomes a hosted app billed per second", async (t) => {
  const cap = parseExternalCapability(body());
  t.same(cap, { name: 'worker', description: 'd', url: 'http://127.0.0.1:9000', capacity: 2, pricePerUnit: 5n, priceScaling: 2n, token: 't' });
  const entry = externalEntry(cap);
  t.match(entry, { name: 'worker', capabilityId: 'byoc/worker', pluginId: 'external', capacity: 2, url: 'http://127.0.0.1:9000', token: 't', external: true, ready: true });
  t.same(entry.price, { unit: 'second', pricePerUnit: '5', pixelsPerUnit: '2' });
  t.same(entry.declaration, capabilityDeclaration(entry.spec, entry.price, 2));
  t.equal(parseExternalCapability(body({ price_scaling: 0 })).priceScaling, 1n, 'a scaling of 0 counts as 1 (go-livepeer)');
  t.equal(parseExternalCapability(body({ currency: 'WEI' })).pricePerUnit, 5n);
  t.equal(externalEntry(parseExternalCapability(body({ token: '' }))).token, undefined, 'no token: no Authorization header');
});

t.test('bad registrations are refused with REGISTER_INVALID naming the field', async (t) => {
  const cases: [string, RegExp][] = [
    ['{nope', /not JSON/],
    ['[]', /JSON object/],
    [body({ name: 'Bad Name' }), /name/],
    [body({ url: 'ftp://x' }), /http or https/],
    [body({ url: 'not a url' }), /not a URL/],
    [body({ capacity: 0 }), /capacity/],
    [body({ capacity: 1.5 }), /capacity/],
    [body({ price_per_unit: -1 }), /price_per_unit out of range/],
    [body({ price_per_unit: '5' }), /price_per_unit must be an integer/],
    [body({ currency: 'USD' }), /currency USD is not supported/],
    [body({ token: 7 }), /token must be a string/],
  ];
  for (const [text, message] of cases) t.throws(() => parseExternalCapability(text), { code: errors.byoc.REGISTER_INVALID.code, message }, text);
});
