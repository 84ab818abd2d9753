import t from 'tap';
import { coreServices, createServiceRef, definePlugin, type PluginDefinition, type PluginManifest } from '@lpx/sdk';
import { makeHost } from '../../../test/helpers/host.js';
import { testManifest } from '../../../test/helpers/plugins.js';

// Plugin-provided services on a real Host (docs/adr/0018-plugin-provided-services.md).

interface Containers {
  readonly prefix: string;
  run(image: string): string;
}
const containersRef = createServiceRef<Containers>({ id: 'runtime.containers' });
const volumesRef = createServiceRef<{ mount(path: string): string }>({ id: 'runtime.volumes' });
const prefixSchema = { type: 'object', properties: { prefix: { type: 'string', default: 'default' } }, additionalProperties: false };

interface ProviderOptions {
  log: string[];
  factory?: (prefix: string) => Containers | Promise<Containers>;
  initBody?: () => void | Promise<void>;
  withVolumes?: boolean;
  volumesFactory?: () => { mount(path: string): string };
}

/** Provides runtime.containers (and optionally runtime.volumes); its factory reads the provider's own config slice. */
function runtimePlugin(id: string, options: ProviderOptions, manifest: Partial<PluginManifest> = {}): PluginDefinition {
  const { log } = options;
  return definePlugin({
    manifest: testManifest(id, {
      provides: { services: options.withVolumes ? ['runtime.containers', 'runtime.volumes'] : ['runtime.containers'] },
      requires: { services: ['core.lifecycle', 'core.config'] },
      config: prefixSchema,
      ...manifest,
    }),
    register(reg) {
      reg.registerService(containersRef, {
        deps: { config: coreServices.config },
        factory: ({ config }) => {
          const { prefix } = config.get<{ prefix: string }>();
          log.push(`factory ${id} containers`);
          return options.factory ? options.factory(prefix) : { prefix, run: (image) => `${prefix}/${image}` };
        },
        dispose: (value) => void log.push(`dispose ${id} containers (${value.prefix})`),
      });
      if (options.withVolumes) {
        reg.registerService(volumesRef, {
          deps: {},
          factory: () => {
            log.push(`factory ${id} volumes`);
            return options.volumesFactory ? options.volumesFactory() : { mount: (path) => `vol:${path}` };
          },
          dispose: () => void log.push(`dispose ${id} volumes`),
        });
      }
      reg.registerInit({
        deps: { lifecycle: coreServices.lifecycle },
        async init({ lifecycle }) {
          log.push(`init ${id}`);
          lifecycle.onShutdown(() => void log.push(`stop ${id}`));
          await options.initBody?.();
        },
      });
    },
  });
}

/** Requires runtime.containers and hands what it got to `seen`. */
function consumerPlugin(id: string, log: string[], seen: Map<string, Containers>, extraRequires: string[] = []): PluginDefinition {
  return definePlugin({
    manifest: testManifest(id, { requires: { services: ['runtime.containers', 'core.lifecycle', ...extraRequires] } }),
    register(reg) {
      reg.registerInit({
        deps: { containers: containersRef, lifecycle: coreServices.lifecycle },
        init({ containers, lifecycle }) {
          log.push(`init ${id} ${containers.run('app')}`);
          seen.set(id, containers);
          lifecycle.onShutdown(() => void log.push(`stop ${id}`));
        },
      });
    },
  });
}

t.test('consumers get the one instance the provider built, after its init, though listed first', async (t) => {
  const log: string[] = [];
  const seen = new Map<string, Containers>();
  const host = makeHost(t, [consumerPlugin('a-first', log, seen), consumerPlugin('b-second', log, seen), runtimePlugin('runtime', { log })], {
    plugins: { runtime: { config: { prefix: 'ctr' } } },
  });
  await host.start();
  t.equal(host.state, 'ready');
  t.same(log.slice(0, 2), ['init runtime', 'factory runtime containers'], 'the factory runs once, after the provider init');
  t.same(log.slice(2).sort(), ['init a-first ctr/app', 'init b-second ctr/app'], 'both consumers ran after it');
  t.equal(seen.get('a-first'), seen.get('b-second'), 'root scope: the same instance for every consumer');
  t.equal(seen.get('a-first')!.prefix, 'ctr', "the factory's deps came from the provider's scope (its config slice)");
});

t.test('independent provider → consumer branches still initialise in parallel', async (t) => {
  const log: string[] = [];
  const seen = new Map<string, Containers>();
  const volumesUser = definePlugin({
    manifest: testManifest('volumes-user', { requires: { services: ['runtime.volumes'] } }),
    register(reg) {
      reg.registerInit({ deps: { volumes: volumesRef }, init: ({ volumes }) => void log.push(`init volumes-user ${volumes.mount('/data')}`) });
    },
  });
  // Each provider's init waits until the other's has started: only a parallel run gets past this.
  let aStarted!: () => void;
  let bStarted!: () => void;
  const aIn = new Promise<void>((resolve) => (aStarted = resolve));
  const bIn = new Promise<void>((resolve) => (bStarted = resolve));
  const providerA = runtimePlugin('runtime-a', { log, initBody: async () => (aStarted(), await bIn) });
  const providerB = definePlugin({
    manifest: testManifest('runtime-b', { provides: { services: ['runtime.volumes'] } }),
    register(reg) {
      reg.registerService(volumesRef, { deps: {}, factory: () => ({ mount: (path) => `b:${path}` }) });
      reg.registerInit({ deps: {}, init: async () => (bStarted(), await aIn) });
    },
  });
  const host = makeHost(t, [consumerPlugin('containers-user', log, seen), volumesUser, providerA, providerB]);
  await host.start();
  t.ok(log.includes('init containers-user default/app'));
  t.ok(log.includes('init volumes-user b:/data'));
});

t.test('stop: consumers shut down first, then services are disposed newest first, then the provider stops', async (t) => {
  const log: string[] = [];
  const host = makeHost(t, [consumerPlugin('user', log, new Map(), ['runtime.volumes']), runtimePlugin('runtime', { log, withVolumes: true })]);
  await host.start();
  log.length = 0;
  await host.stop();
  t.same(log, ['stop user', 'dispose runtime volumes', 'dispose runtime containers (default)', 'stop runtime']);
});

t.test('a factory that throws fails the boot naming provider and service, and unwinds what started', async (t) => {
  const log: string[] = [];
  const seen = new Map<string, Containers>();
  const host = makeHost(t, [
    consumerPlugin('user', log, seen, ['runtime.volumes']),
    runtimePlugin('runtime', {
      log,
      withVolumes: true,
      volumesFactory: () => {
        throw new Error('no such volume driver');
      },
    }),
  ]);
  await t.rejects(host.start(), {
    code: 'LPX_ERR_PLUGIN_SERVICE_FAILED',
    message: /plugin runtime: the factory of service runtime\.volumes failed: no such volume driver/,
    details: { plugin: 'runtime', service: 'runtime.volumes' },
  });
  t.equal(host.state, 'failed');
  t.equal(seen.size, 0, 'no consumer initialised');
  t.same(log, ['init runtime', 'factory runtime containers', 'factory runtime volumes', 'dispose runtime containers (default)', 'stop runtime'], 'the built service was disposed and the provider stopped');
  t.equal(host.url, undefined, 'the HTTP edge never listened');
});

t.test('a factory that hangs or yields nothing fails the boot', async (t) => {
  const hang = makeHost(t, [runtimePlugin('runtime', { log: [], factory: () => new Promise(() => {}) })], { lifecycle: { initTimeoutMs: 100 } });
  await t.rejects(hang.start(), { code: 'LPX_ERR_PLUGIN_SERVICE_FAILED', message: /plugin runtime: the factory of service runtime\.containers did not finish within 100 ms/ });
  const empty = makeHost(t, [runtimePlugin('runtime', { log: [], factory: () => undefined as never })]);
  await t.rejects(empty.start(), { code: 'LPX_ERR_PLUGIN_SERVICE_FAILED', message: /returned undefined/ });
});

t.test('static service errors fail start before anything starts', async (t) => {
  const log: string[] = [];
  const missing = makeHost(t, [consumerPlugin('user', log, new Map())]);
  await t.rejects(missing.start(), { code: 'LPX_ERR_PLUGIN_DEPENDENCY_MISSING', message: /plugin user requires service runtime\.containers/ });
  const twice = makeHost(t, [runtimePlugin('runtime-a', { log }), runtimePlugin('runtime-b', { log })]);
  await t.rejects(twice.start(), { code: 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL', message: /provided by both runtime-a and runtime-b/ });
  t.same(log, [], 'no init or factory ran');
});

t.test('a factory that resolves after its timeout is disposed, not leaked', async (t) => {
  let finish!: (value: Containers) => void;
  let disposed!: (value: Containers) => void;
  const disposal = new Promise<Containers>((resolve) => (disposed = resolve));
  const late = definePlugin({
    manifest: testManifest('late', { provides: { services: ['runtime.containers'] } }),
    register(reg) {
      reg.registerService(containersRef, { deps: {}, factory: () => new Promise<Containers>((resolve) => (finish = resolve)), dispose: (value) => disposed(value) });
      reg.registerInit({ deps: {}, init: () => {} });
    },
  });
  const host = makeHost(t, [late], { lifecycle: { initTimeoutMs: 100 } });
  await t.rejects(host.start(), { code: 'LPX_ERR_PLUGIN_SERVICE_FAILED', message: /did not finish within 100 ms/ });
  const value = { prefix: 'late', run: () => '' };
  finish(value);
  t.equal(await disposal, value, 'the value that arrived late was handed to dispose');
});

t.test('a dispose that throws is reported; the rest of shutdown still runs', async (t) => {
  const log: string[] = [];
  const host = makeHost(t, [
    consumerPlugin('user', log, new Map()),
    runtimePlugin('runtime', {
      log,
      factory: (prefix) => ({ prefix, run: () => '' }),
    }),
    definePlugin({
      manifest: testManifest('flaky', { provides: { services: ['runtime.volumes'] } }),
      register(reg) {
        reg.registerService(volumesRef, {
          deps: {},
          factory: () => ({ mount: (path) => path }),
          dispose: () => {
            throw new Error('volume busy');
          },
        });
        reg.registerInit({ deps: {}, init: () => {} });
      },
    }),
  ]);
  await host.start();
  log.length = 0;
  await host.stop();
  t.equal(host.state, 'stopped');
  t.same(log, ['stop user', 'dispose runtime containers (default)', 'stop runtime'], 'the failing dispose did not stop the unwind');
});
