import t from 'tap';
import {
  isPluginDefinition,
  transcodeBackendsExtensionPoint,
  type DependencyRef,
  type PluginDefinition,
  type PluginInit,
  type TranscodeBackend,
} from '@lpx/sdk';
import { runConformanceSuite, transcodeBackendSuite, type TranscodeBackendSuiteOptions } from '@lpx/sdk/testing';
import { validatePluginConfig } from '../../core/src/config/load-config.js';

/**
 * The transcode backend conformance suite on the ffmpeg plugin, instantiated
 * as the kernel would (manifest config schema with its defaults, register →
 * init, the backend it adds to `transcode.backends`), once where it works and
 * once misconfigured, where it must say why. Other backends run the suite in
 * their own files.
 */

const silentLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child: () => silentLogger };

async function backendsOf(definition: PluginDefinition, rawConfig: Record<string, unknown>): Promise<TranscodeBackend[]> {
  const config = validatePluginConfig(definition.manifest.id, definition.manifest.config, rawConfig);
  const backends: TranscodeBackend[] = [];
  const provided: Record<string, unknown> = {
    [transcodeBackendsExtensionPoint.id]: { addBackend: (b: TranscodeBackend) => void backends.push(b) },
    'core.config': { get: () => structuredClone(config), dataDir: '/nonexistent', roles: ['orchestrator'] },
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

const cases: { name: string; config: Record<string, unknown>; expect: TranscodeBackendSuiteOptions['expect'] }[] = [
  { name: 'ffmpeg on PATH', config: { preset: 'ultrafast' }, expect: 'available' },
  { name: 'ffmpeg missing', config: { ffmpegPath: '/nonexistent/bin/ffmpeg' }, expect: 'unavailable' },
];

for (const c of cases) {
  t.test(`transcode.backends: transcode-ffmpeg (${c.name}) passes the conformance suite as ${c.expect}`, async (t) => {
    const module = (await import('@lpx/plugin-transcode-ffmpeg')) as { default?: unknown };
    if (!isPluginDefinition(module.default)) throw new Error('@lpx/plugin-transcode-ffmpeg has no default-exported plugin');
    const definition = module.default;
    t.ok(definition.manifest.requires?.extensionPoints?.includes(transcodeBackendsExtensionPoint.id), 'the manifest requires transcode.backends');
    const opened: TranscodeBackend[] = [];
    t.teardown(() => Promise.all(opened.map((b) => b.close?.())));
    const suite = transcodeBackendSuite({ expect: c.expect });
    const report = await runConformanceSuite(suite, async () => {
      const backends = await backendsOf(definition, c.config);
      t.equal(backends.length, 1, 'the plugin adds one backend');
      opened.push(...backends);
      return backends[0]!;
    });
    t.same(report.failed, [], 'every case passes');
    t.equal(report.passed.length, suite.cases.length, `ran all ${suite.cases.length} cases`);
  });
}
