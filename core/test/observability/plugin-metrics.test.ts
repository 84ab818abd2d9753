import t from 'tap';
import { Registry } from 'prom-client';
import { createPluginMetrics } from '../../src/observability/plugin-metrics.js';

t.test('plugin metrics carry the plugin prefix and record values', async (t) => {
  const registry = new Registry();
  const metrics = createPluginMetrics('ai-text-to-image', registry);
  t.equal(metrics.prefix, 'lpx_ai_text_to_image_');
  metrics.counter({ name: 'requests_total', help: 'h', labelNames: ['model'] as const }).inc({ model: 'sd' }, 2);
  const gauge = metrics.gauge({ name: 'warm_models', help: 'h' });
  gauge.set({}, 5);
  gauge.inc();
  gauge.dec({}, 3);
  metrics.histogram({ name: 'latency_seconds', help: 'h', buckets: [0.1, 1] }).observe({}, 0.5);
  const text = await registry.metrics();
  t.match(text, /lpx_ai_text_to_image_requests_total\{model="sd"\} 2/);
  t.match(text, /lpx_ai_text_to_image_warm_models 3/);
  t.match(text, /lpx_ai_text_to_image_latency_seconds_bucket\{le="0\.1"\} 0/);
  t.match(text, /lpx_ai_text_to_image_latency_seconds_bucket\{le="1"\} 1/);
  t.throws(() => metrics.counter({ name: 'requests_total', help: 'again' }), 'a plugin cannot register the same metric twice');
});
