// The pure parts of the batch AI → Live Runner fallback (ADR 0050); the whole path runs in
// test/plugins/ai-live-runner/gateway-fallback.test.ts against a real orchestrator.
import t from 'tap';
import { coveredUnits, liveAppFor, perCallCeiling } from '../../../src/roles/gateway/ai-live-fallback.js';

t.test('app name, covered units, per-call ceiling', async (t) => {
  t.equal(liveAppFor('text-to-image', 'stabilityai/sd-turbo'), 'text-to-image/stabilityai/sd-turbo');
  t.equal(coveredUnits({ metadata: '{"max_units":"1048576"}' }), 1048576n);
  t.equal(coveredUnits({ metadata: '{"max_units":1048576}' }), undefined, 'a number is not read (exact strings only)');
  t.equal(coveredUnits({ metadata: 'not json' }), undefined);
  t.equal(coveredUnits({}), undefined);
  t.equal(perCallCeiling({ pricePerUnit: 3n, pixelsPerUnit: 2n }, 5n), 7n, 'floored: never above the per-unit ceiling');
  t.equal(perCallCeiling(undefined, 5n), undefined);
  t.equal(perCallCeiling({ pricePerUnit: 0n, pixelsPerUnit: 1n }, 5n), undefined, 'zero is no limit, as elsewhere');
});
