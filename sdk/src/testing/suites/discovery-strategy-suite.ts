import type { DiscoveryStrategy } from '../../extension-points/discovery-strategies.js';
import { defineConformanceSuite } from '../conformance.js';

/** Every discovery strategy passes this, whatever its source. */
export const discoveryStrategySuite = defineConformanceSuite<DiscoveryStrategy>({
  extensionPoint: 'discovery.strategies',
  cases: [
    {
      name: 'has a non-empty name',
      run: (strategy, assert) => assert.ok(typeof strategy.name === 'string' && strategy.name.length > 0, 'name must be a non-empty string'),
    },
    {
      name: 'returns candidates with https uris and unique entries',
      async run(strategy, assert) {
        const candidates = await strategy.discover(new AbortController().signal);
        assert.ok(Array.isArray(candidates), 'discover must resolve to an array');
        const uris = new Set<string>();
        for (const candidate of candidates) {
          assert.ok(/^https?:\/\/[^/]+/.test(candidate.uri), `uri ${candidate.uri} must be an http(s) url`);
          assert.ok(!uris.has(candidate.uri), `uri ${candidate.uri} returned twice`);
          uris.add(candidate.uri);
        }
      },
    },
    {
      name: 'stops when its signal is already aborted',
      async run(strategy, assert) {
        const controller = new AbortController();
        controller.abort();
        const outcome = await strategy.discover(controller.signal).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        assert.ok('error' in outcome || (Array.isArray(outcome.value) && outcome.value.length >= 0), 'must reject or resolve, never hang');
      },
    },
  ],
});
