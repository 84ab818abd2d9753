// Naming, metadata and exact fixed prices of AI model apps (ADR 0050).
import t from 'tap';
import type { CapabilityDescriptor } from '@lpx/sdk';
import { appName, fixedPrice, labelFor, modelOffers, planApp, type ModelOffer } from '../src/model-app.js';

const offer: ModelOffer = { pipeline: 'text-to-image', modelId: 'stabilityai/sd-turbo', unit: 'pixel', capacity: 2, warm: true, price: { pricePerUnit: '3', pixelsPerUnit: '2' }, runnerVersion: '0.13.5' };

t.test('app = <pipeline>/<model_id>, label ai/<app>', async (t) => {
  t.equal(appName('text-to-image', 'stabilityai/sd-turbo'), 'text-to-image/stabilityai/sd-turbo');
  t.equal(labelFor('llm', 'meta/llama'), 'ai/llm/meta/llama');
});

t.test('fixed price = price × units, exact or refused', async (t) => {
  t.equal(fixedPrice({ pricePerUnit: '3', pixelsPerUnit: '2' }, 4n), 6n);
  t.equal(fixedPrice({ pricePerUnit: '3', pixelsPerUnit: '2' }, 3n), undefined, '4.5 wei is not rounded');
  t.equal(fixedPrice({ pricePerUnit: '12345678901234567890', pixelsPerUnit: '1' }, 10n ** 12n), 12345678901234567890n * 10n ** 12n, 'bigint all the way');
});

t.test('planApp on paid and offchain nodes', async (t) => {
  const paid = planApp(offer, { paid: true, maxUnits: 1024n * 1024n, runnerUrl: 'http://127.0.0.1:1/s/k' });
  t.ok(paid.ok);
  if (paid.ok) {
    t.same(paid.runner.price, { price: String(3n * 1024n * 1024n / 2n), unit: 'fixed' });
    t.equal(paid.runner.mode, 'single-shot');
    t.equal(paid.runner.routing, 'runner-id');
    t.equal(paid.runner.healthUrl, 'http://127.0.0.1:1/s/k/health');
    t.equal(paid.runner.version, '0.13.5');
    t.same(JSON.parse(paid.runner.metadata!), { api: 'ai-runner', pipeline: 'text-to-image', model_id: 'stabilityai/sd-turbo', unit: 'pixel', warm: true, max_units: '1048576', price_per_unit: '3', pixels_per_unit: '2' });
  }
  t.match(planApp(offer, { paid: true, maxUnits: undefined, runnerUrl: 'http://h' }), { ok: false, reason: /no maxUnits for text-to-image/ });
  t.match(planApp(offer, { paid: true, maxUnits: 3n, runnerUrl: 'http://h' }), { ok: false, reason: /not a whole number of wei/ });
  t.match(planApp({ ...offer, price: { pricePerUnit: '0', pixelsPerUnit: '1' } }, { paid: true, maxUnits: 10n, runnerUrl: 'http://h' }), { ok: false, reason: /positive price/ });
  const free = planApp(offer, { paid: false, maxUnits: undefined, runnerUrl: 'http://h' });
  t.ok(free.ok && free.runner.price === undefined && free.maxUnits === undefined, 'offchain: free, no unit cap unless configured');
  t.match(planApp({ ...offer, modelId: 'x'.repeat(1100) }, { paid: false, maxUnits: undefined, runnerUrl: 'http://h' }), { ok: false, reason: /over 1024 bytes/ });
});

t.test('modelOffers reads ai/<pipeline> models with room, model price before capability price', async (t) => {
  const descriptors = [
    { id: 'ai/text-to-image', version: 1, mode: 'request-response', workUnit: 'pixel', priceUnit: 'wei/pixel', capacity: 3, price: { pricePerUnit: '9' }, constraints: { models: { a: { warm: true, capacity: 2, price: { pricePerUnit: '1', pixelsPerUnit: '4' } }, b: { capacity: 1 }, full: { capacity: 0 } } } },
    { id: 'video/transcode', version: 1, mode: 'request-response', workUnit: 'pixel', priceUnit: 'wei/pixel', capacity: 1, constraints: {} },
  ] as unknown as CapabilityDescriptor[];
  t.same(modelOffers(descriptors), [
    { pipeline: 'text-to-image', modelId: 'a', unit: 'pixel', capacity: 2, warm: true, price: { pricePerUnit: '1', pixelsPerUnit: '4' } },
    { pipeline: 'text-to-image', modelId: 'b', unit: 'pixel', capacity: 1, warm: false, price: { pricePerUnit: '9', pixelsPerUnit: '1' } },
  ]);
});
