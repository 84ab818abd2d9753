import t from 'tap';
import {
  isPluginDefinition,
  transcodeBackendsExtensionPoint,
  type DependencyRef,
  type PluginDefinition,
  type PluginInit,
  type TranscodeBackend,
} from '@lpx/sdk';
import { runConformanceSuite, transcodeBackendSuite } from '@lpx/sdk/testing';
import transcodeFfmpegPlugin from '@lpx/plugin-transcode-ffmpeg';
import { validatePluginConfig } from '../../core/src/config/load-config.js';
import { makeHost } from '../helpers/host.js';
import { testRedis } from '../helpers/redis.js';

/**
 * The hardware backends on THIS machine, with the real ffmpeg (Debian's) and
 * no GPU or VPU: each plugin, instantiated as the kernel would (manifest
 * config schema with its defaults, register → init), passes the transcode
 * conformance suite as `unavailable` and says why; and a node carrying them
 * next to transcode-ffmpeg serves with ffmpeg alone. Their available paths run
 * against test doubles in plugins/transcode-{nvenc,netint}/test.
 */

const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => silentLogger };

async function definitionOf(packageName: string): Promise<PluginDefinition> {
  const module = (await import(packageName)) as { default?: unknown };
  if (!isPluginDefinition(module.default)) throw new Error(`${packageName} has no default-exported plugin`);
  return module.default;
}

async function backendsOf(definition: PluginDefinition, rawConfig: Record<string, unknown> = {}): Promise<TranscodeBackend[]> {
  const config = validatePluginConfig(definition.manifest.id, definition.manifest.config, rawConfig);
  const backends: TranscodeBackend[] = [];
  const provided: Record<string, unknown> = {
    [transcodeBackendsExtensionPoint.id]: { addBackend: (b: TranscodeBackend) => void backends.push(b) },
    'core.config': { get: () => structuredClone(config), dataDir: '/nonexistent', roles: ['worker'] },
    'core.logger': silentLogger,
  };
  const inits: PluginInit<Record<string, DependencyRef>>[] = [];
  definition.register({
    registerExtensionPoint: () => { throw new Error('not hosted here'); },
    registerService: () => { throw new Error('not hosted here'); },
    registerInit: (init) => void inits.push(init as unknown as PluginInit<Record<string, DependencyRef>>),
  });
  for (const init of inits) {
    const deps = Object.fromEntries(Object.entries(init.deps).map(([key, ref]) => [key, provided[ref.id]]));
    await init.init(deps as never);
  }
  return backends;
}

const hardware = [
  { packageName: '@lpx/plugin-transcode-nvenc', backend: 'nvenc', reason: /^test encode with h264_nvenc on GPU 0 failed: .*(libcuda|CUDA|cuda)/ },
  { packageName: '@lpx/plugin-transcode-netint', backend: 'netint', reason: /^no Netint encoder listed by ffmpeg -encoders \(looked for h264_ni_quadra_enc, h264_ni_logan_enc\)/ },
];

for (const h of hardware) {
  t.test(`transcode.backends: ${h.packageName} passes the conformance suite as unavailable here, with the honest reason`, async (t) => {
    const definition = await definitionOf(h.packageName);
    t.ok(definition.manifest.requires?.extensionPoints?.includes(transcodeBackendsExtensionPoint.id), 'the manifest requires transcode.backends');
    const [backend] = await backendsOf(definition);
    t.equal(backend?.name, h.backend);
    const status = await backend!.probe(new AbortController().signal);
    t.equal(status.available, false);
    t.match(status.reason, h.reason, status.reason ?? '');

    const suite = transcodeBackendSuite({ expect: 'unavailable' });
    const report = await runConformanceSuite(suite, async () => {
      const backends = await backendsOf(definition);
      t.equal(backends.length, 1, 'the plugin adds one backend');
      return backends[0]!;
    });
    t.same(report.failed, [], 'every case passes');
    t.equal(report.passed.length, suite.cases.length, `ran all ${suite.cases.length} cases`);
  });
}

t.test('a worker node with transcode-ffmpeg, transcode-nvenc and transcode-netint serves with ffmpeg; the hardware backends report capacity 0', async (t) => {
  const redis = await testRedis(t);
  const host = makeHost(t, [transcodeFfmpegPlugin, await definitionOf('@lpx/plugin-transcode-nvenc'), await definitionOf('@lpx/plugin-transcode-netint')], {
    redis: { url: redis.url, prefix: `hw-backends-${process.pid}-${Date.now()}` },
    node: { roles: ['worker'] },
    plugins: { 'transcode-ffmpeg': { config: { preset: 'ultrafast', maxSessions: 2 } } },
  });
  await host.start();
  t.equal(host.state, 'ready', 'two unavailable backends do not stop the node');
  const metrics = (await host.http.inject({ method: 'GET', url: '/metrics' })).body;
  const capacity = (backend: string): number | undefined => {
    const match = new RegExp(`^lpx_transcode_backend_capacity\\{backend="${backend}"\\} (\\d+)$`, 'm').exec(metrics);
    return match === null ? undefined : Number(match[1]);
  };
  t.equal(capacity('ffmpeg'), 2, 'ffmpeg probed available with its sessions');
  t.equal(capacity('nvenc'), 0, 'nvenc probed unavailable');
  t.equal(capacity('netint'), 0, 'netint probed unavailable');
});
