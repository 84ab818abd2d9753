// Probing as the kernel does it on a worker: every backend's status is kept
// with a reason, whatever the backend does (throws, hangs, returns nonsense),
// backends that watch themselves update it, and a duplicate name fails boot.
import { Writable } from 'node:stream';
import t from 'tap';
import { pino } from 'pino';
import type { TranscodeBackend, TranscodeBackendStatus } from '@lpx/sdk';
import { BackendMonitor } from '../../src/transcode/backend-monitor.js';
import { createTranscodeMetrics } from '../../src/transcode/transcode-metrics.js';
import { Registry } from 'prom-client';
import { makeHost } from '../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { testBackend, testBackendPlugin } from './helpers/ffmpeg-test-backend.js';
import { until } from './helpers/media.js';

function backend(name: string, probe: TranscodeBackend['probe'], extra: Partial<TranscodeBackend> = {}): TranscodeBackend {
  return { name, probe, transcode: async () => ({ renditions: [] }), ...extra };
}

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

t.test('statuses and reasons: real ffmpeg probe, unavailable, throwing, hanging and malformed probes', async (t) => {
  const { logger, lines } = capture();
  const metrics = new Registry();
  let hangAborted = false;
  const backends = [
    testBackend({ name: 'real-ffmpeg', capacity: 2 }),
    backend('nvenc-like', async () => ({ available: false, reason: 'no NVIDIA device: nvidia-smi not found', capacity: 0, decode: [], encode: [], formats: [] })),
    backend('thrower', async () => {
      throw new Error('libfoo.so: cannot open shared object file');
    }),
    backend('hanger', (signal) => new Promise(() => signal.addEventListener('abort', () => (hangAborted = true)))),
    backend('garbage', async () => 'yes' as unknown as TranscodeBackendStatus),
    backend('zero', async () => ({ available: true, capacity: 0, decode: ['H264'], encode: ['H264'], formats: ['mpegts'] })),
  ];
  const monitor = new BackendMonitor({ backends, probeTimeoutMs: 3_000, reprobeIntervalMs: 0, logger, metrics: createTranscodeMetrics(metrics) });
  t.teardown(() => monitor.close());
  await monitor.start();
  const s = Object.fromEntries(monitor.statuses);
  t.same([s['real-ffmpeg']!.available, s['real-ffmpeg']!.capacity, s['real-ffmpeg']!.encode], [true, 2, ['H264']], 'a real one-frame libx264 encode: available');
  t.same(s['nvenc-like'], { available: false, reason: 'no NVIDIA device: nvidia-smi not found', capacity: 0, decode: [], encode: [], formats: [] }, "the backend's own reason is kept");
  t.match(s.thrower!.reason, /^probe failed: libfoo\.so/, 'a throwing probe is unavailable, with the error as reason');
  t.match(s.hanger!.reason, /did not finish within 3000 ms/, 'a hanging probe is cut at the timeout');
  t.ok(hangAborted, "and its signal was aborted");
  t.match(s.garbage!.reason, /instead of a status/);
  t.match(s.zero, { available: false, capacity: 0, reason: /capacity 0/ }, 'available with capacity 0 counts as unavailable');
  t.equal(monitor.capacity, 2, 'capacity sums the available backends only');

  const warned = lines.filter((l) => l.level === 40).map((l) => l.backend);
  t.same(warned.sort(), ['garbage', 'hanger', 'nvenc-like', 'thrower', 'zero'], 'each unavailable backend is logged with its reason');
  t.ok(lines.some((l) => l.level === 30 && l.backend === 'real-ffmpeg' && l.capacity === 2), 'the available one is logged with its capacity');
  const gauge = await metrics.getSingleMetric('lpx_transcode_backend_capacity')!.get();
  t.same(Object.fromEntries(gauge.values.map((v) => [v.labels.backend, v.value])), { 'real-ffmpeg': 2, 'nvenc-like': 0, thrower: 0, hanger: 0, garbage: 0, zero: 0 });
});

t.test('watch: a backend whose capacity moves (remote transcoders connecting) updates the status', async (t) => {
  let push: ((status: TranscodeBackendStatus) => void) | undefined;
  let unwatched = false;
  const watching = backend('remote-like', async () => ({ available: false, reason: 'no transcoder connected', capacity: 0, decode: [], encode: [], formats: [] }), {
    watch: (listener) => {
      push = listener;
      return () => (unwatched = true);
    },
  });
  const monitor = new BackendMonitor({ backends: [watching], probeTimeoutMs: 1_000, reprobeIntervalMs: 0, logger: pino({ level: 'silent' }), metrics: createTranscodeMetrics(undefined) });
  const seen: number[] = [];
  monitor.onChange(() => seen.push(monitor.capacity));
  await monitor.start();
  push!({ available: true, capacity: 4, decode: ['H264'], encode: ['H264'], formats: ['mpegts'] });
  t.equal(monitor.capacity, 4);
  push!({ available: false, reason: 'the last transcoder left', capacity: 0, decode: [], encode: [], formats: [] });
  t.same(seen, [0, 4, 0]);
  t.equal(monitor.statuses.get('remote-like')?.reason, 'the last transcoder left');
  monitor.close();
  t.ok(unwatched, 'close unsubscribes');
});

t.test('re-probe: an unavailable backend that comes back is picked up', async (t) => {
  let probes = 0;
  const flaky = backend('flaky', async () =>
    ++probes < 3 ? { available: false, reason: `driver not loaded (probe ${probes})`, capacity: 0, decode: [], encode: [], formats: [] } : { available: true, capacity: 1, decode: ['H264'], encode: ['H264'], formats: ['mpegts'] },
  );
  const monitor = new BackendMonitor({ backends: [flaky], probeTimeoutMs: 1_000, reprobeIntervalMs: 20, logger: pino({ level: 'silent' }), metrics: createTranscodeMetrics(undefined) });
  t.teardown(() => monitor.close());
  const changes: number[] = [];
  monitor.onChange(() => changes.push(monitor.capacity));
  await monitor.start();
  t.equal(monitor.statuses.get('flaky')?.reason, 'driver not loaded (probe 1)');
  await until(() => monitor.capacity === 1, 'the re-probe finding it available');
  t.same(changes, [0, 0, 1], 'listeners hear the start and each changed status');
  const after = probes;
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(probes, after, 'an available backend is not probed again');
});

t.test('two backends with one name: boot fails with BACKEND_DUPLICATE; a worker with no available backend takes no jobs', async (t) => {
  const redis = await testRedis(t);
  const dup = makeHost(t, [testBackendPlugin('a', testBackend({ name: 'same' })), testBackendPlugin('b', testBackend({ name: 'same' }))], { redis: { url: redis.url, prefix: uniquePrefix('dup') } });
  const failure = (await dup.start().then(() => undefined, (error: unknown) => error)) as { code?: string; cause?: { code?: string; message?: string } } | undefined;
  t.equal(failure?.code, 'LPX_ERR_PLUGIN_INIT_FAILED', 'the second plugin fails its init');
  t.equal(failure?.cause?.code, 'LPX_ERR_TRANSCODE_BACKEND_DUPLICATE');
  t.match(failure?.cause?.message, /two plugins added a transcode backend named "same"/);

  const unavailable = testBackend({ probe: async () => ({ available: false, reason: 'test: no device', capacity: 0, decode: [], encode: [], formats: [] }) });
  const host = makeHost(t, [testBackendPlugin('c', unavailable)], { redis: { url: redis.url, prefix: uniquePrefix('none') } });
  await host.start();
  t.equal(host.state, 'ready', 'an unavailable backend never fails the boot');
  const res = await fetch(`${host.url}/v1/transcode/backends`);
  const body = (await res.json()) as { backends: { name: string; available: boolean; reason: string }[] };
  t.same(body.backends, [{ name: 'test-ffmpeg', available: false, reason: 'test: no device', capacity: 0, decode: [], encode: [], formats: [] }]);
});
