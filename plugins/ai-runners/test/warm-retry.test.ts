import t from 'tap';
import { errors } from '@lpx/sdk';
import { DEFAULT_TIMEOUTS, DEFAULT_WARM_CONCURRENCY, resolveRunnersConfig } from '../src/config/plugin-config.js';
import { warmRetryDelayMs } from '../src/fleet/warm-retry.js';

t.test('a failed warm start is tried again after 2 s, doubling up to 60 s, and never gives up', async (t) => {
  const policy = { initialMs: DEFAULT_TIMEOUTS.warmRetryMs, maxMs: DEFAULT_TIMEOUTS.warmRetryMaxMs };
  t.same([1, 2, 3, 4, 5, 6, 7, 8].map((failed) => warmRetryDelayMs(failed, policy)), [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  t.equal(warmRetryDelayMs(10_000, policy), 60_000, 'hours of failures: still every minute, no overflow to Infinity or NaN');
  t.equal(warmRetryDelayMs(0, policy), 0, 'nothing failed yet: no wait');
  t.equal(warmRetryDelayMs(3, { initialMs: 50, maxMs: 120 }), 120, 'the cap holds for configured values too');
});

t.test('warmConcurrency: 2 by default, configurable, refused unless a whole number ≥ 1', async (t) => {
  t.equal(DEFAULT_WARM_CONCURRENCY, 2);
  t.equal(resolveRunnersConfig({}, '/data').warmConcurrency, 2);
  t.equal(resolveRunnersConfig({ warmConcurrency: 5 }, '/data').warmConcurrency, 5);
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    t.throws(() => resolveRunnersConfig({ warmConcurrency: bad }, '/data'), { code: errors.config.INVALID.code, message: /warmConcurrency/ }, `${bad}`);
  }
  const timeouts = resolveRunnersConfig({ timeouts: { warmRetryMs: 100 } }, '/data').timeouts;
  t.equal(timeouts.warmRetryMs, 100);
  t.equal(timeouts.warmRetryMaxMs, 60_000, 'the others keep their defaults');
});
