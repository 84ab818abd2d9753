import t from 'tap';
import { coreServices, createServiceRef, definePlugin, type PluginManifest, type PluginRegistrar } from '@lpx/sdk';
import { buildPluginGraph } from '../../src/plugins/plugin-graph.js';
import { registerPlugin } from '../../src/plugins/registration.js';
import { testManifest } from '../../../test/helpers/plugins.js';

// Static rules for plugin-provided services (docs/adr/0018-plugin-provided-services.md):
// everything here is checked in prepare, before any plugin init, so `lpx config check` reports it.

interface Clock {
  now(): number;
}
const clockRef = createServiceRef<Clock>({ id: 'time.clock' });
const kernel = { services: new Set(Object.values(coreServices).map((r) => r.id)), extensionPoints: new Set<string>() };

function plugin(id: string, manifest: Partial<PluginManifest>, register: (reg: PluginRegistrar) => void = () => {}) {
  return definePlugin({
    manifest: testManifest(id, manifest),
    register(reg) {
      register(reg);
      reg.registerInit({ deps: {}, init: () => {} });
    },
  });
}
const provider = (id = 'clock', services: string[] = ['time.clock']) =>
  plugin(id, { provides: { services } }, (reg) => reg.registerService(clockRef, { deps: {}, factory: () => ({ now: () => 1 }) }));
const consumer = (id = 'user', extra: Partial<PluginManifest> = {}) =>
  definePlugin({
    manifest: testManifest(id, { ...extra, requires: { services: ['time.clock'], ...extra.requires } }),
    register(reg) {
      reg.registerInit({ deps: { clock: clockRef }, init: ({ clock }) => void clock.now() });
    },
  });

t.test('a consumer depends on the provider of a service it requires', async (t) => {
  const graph = buildPluginGraph([consumer('a-user'), provider()].map(registerPlugin), kernel);
  t.same(graph.order, ['clock', 'a-user'], 'provider first, though the consumer sorts first');
  t.ok(graph.dependsOn.get('a-user')!.has('clock'));
  t.equal(graph.serviceProviders.get('time.clock'), 'clock');
  t.notOk(graph.serviceProviders.has('core.logger'), 'kernel services are not plugin-provided');
});

t.test('registerService records the factory; its deps must be declared like init deps', async (t) => {
  const registered = registerPlugin(provider());
  t.same([...registered.services.keys()], ['time.clock']);
  const undeclared = plugin('sneaky', { provides: { services: ['time.clock'] } }, (reg) =>
    reg.registerService(clockRef, { deps: { jobs: coreServices.jobs }, factory: () => ({ now: () => 1 }) }),
  );
  t.throws(() => registerPlugin(undeclared), { code: 'LPX_ERR_PLUGIN_UNDECLARED_DEPENDENCY', message: /service time\.clock factory dep "jobs" uses service core\.jobs/ });
  const notARef = plugin('odd', { provides: { services: ['time.clock'] } }, (reg) => reg.registerService({ id: 'time.clock' } as never, { deps: {}, factory: () => ({}) }));
  t.throws(() => registerPlugin(notARef), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID', message: /createServiceRef/ });
  const noFactory = plugin('lazy', { provides: { services: ['time.clock'] } }, (reg) => reg.registerService(clockRef, { deps: {} } as never));
  t.throws(() => registerPlugin(noFactory), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID', message: /needs a factory function/ });
});

t.test('a required service nobody provides names what could', async (t) => {
  t.throws(() => buildPluginGraph([registerPlugin(consumer())], kernel), {
    code: 'LPX_ERR_PLUGIN_DEPENDENCY_MISSING',
    message: /plugin user requires service time\.clock, which neither this kernel nor any configured plugin provides; configure a plugin whose manifest lists time\.clock in provides\.services/,
  });
  const withCandidates = { ...kernel, serviceCandidates: new Map([['time.clock', ['clock-ntp', 'clock-gps']]]) };
  t.throws(() => buildPluginGraph([registerPlugin(consumer())], withCandidates), {
    code: 'LPX_ERR_PLUGIN_DEPENDENCY_MISSING',
    message: /configure one of the plugins that provide it: clock-ntp, clock-gps/,
    details: { plugin: 'user', service: 'time.clock', candidates: ['clock-ntp', 'clock-gps'] },
  });
});

t.test('two plugins providing the same service', async (t) => {
  t.throws(() => buildPluginGraph([provider('clock-a'), provider('clock-b'), consumer()].map(registerPlugin), kernel), {
    code: 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL',
    message: /service time\.clock is provided by both clock-a and clock-b/,
  });
});

t.test('core.* ids belong to the kernel', async (t) => {
  const fakeLogger = createServiceRef<object>({ id: 'core.logger' });
  const listed = plugin('usurper', { provides: { services: ['core.logger'] } }, (reg) => reg.registerService(fakeLogger, { deps: {}, factory: () => ({}) }));
  t.throws(() => registerPlugin(listed), { code: 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL', message: /usurper lists core\.logger in provides\.services, but core\.\* services belong to the kernel/ });
  const unlisted = plugin('usurper', {}, (reg) => reg.registerService(fakeLogger, { deps: {}, factory: () => ({}) }));
  t.throws(() => registerPlugin(unlisted), { code: 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL', message: /registers service core\.logger, but core\.\* services belong to the kernel/ });
  // A kernel service outside the core. prefix (none exists today) is still refused by the graph.
  t.throws(() => buildPluginGraph([registerPlugin(provider())], { ...kernel, services: new Set(['time.clock']) }), {
    code: 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL',
    message: /provides service time\.clock, which the kernel provides/,
  });
});

t.test('manifest and register must agree on provided services', async (t) => {
  t.throws(() => registerPlugin(provider('clock', [])), { code: 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL', message: /registers service time\.clock but its manifest does not list it in provides\.services/ });
  const silent = plugin('silent', { provides: { services: ['time.clock'] } });
  t.throws(() => registerPlugin(silent), { code: 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL', message: /lists service time\.clock in provides\.services but never calls registerService/ });
  const twice = plugin('twice', { provides: { services: ['time.clock'] } }, (reg) => {
    reg.registerService(clockRef, { deps: {}, factory: () => ({ now: () => 1 }) });
    reg.registerService(clockRef, { deps: {}, factory: () => ({ now: () => 2 }) });
  });
  t.throws(() => registerPlugin(twice), { code: 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL', message: /registers service time\.clock twice/ });
  const perPlugin = createServiceRef<Clock>({ id: 'time.clock', scope: 'plugin' });
  const scoped = plugin('scoped', { provides: { services: ['time.clock'] } }, (reg) => reg.registerService(perPlugin, { deps: {}, factory: () => ({ now: () => 1 }) }));
  t.throws(() => registerPlugin(scoped), { code: 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL', message: /scope "plugin"; .* must be root-scoped/ });
  const selfish = definePlugin({
    manifest: testManifest('selfish', { provides: { services: ['time.clock'] }, requires: { services: ['time.clock'] } }),
    register(reg) {
      reg.registerService(clockRef, { deps: {}, factory: () => ({ now: () => 1 }) });
      reg.registerInit({ deps: {}, init: () => {} });
    },
  });
  t.throws(() => registerPlugin(selfish), { code: 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL', message: /requires service time\.clock, which it provides itself/ });
});

t.test('registerService after register returned is refused', async (t) => {
  let later: PluginRegistrar | undefined;
  const leaky = plugin('leaky', {}, (reg) => void (later = reg));
  registerPlugin(leaky);
  t.throws(() => later!.registerService(clockRef, { deps: {}, factory: () => ({ now: () => 1 }) }), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID', message: /registerService called after register returned/ });
});

t.test('cycles through services name the declaration behind each edge', async (t) => {
  const tickRef = createServiceRef<object>({ id: 'time.tick' });
  // clock needs time.tick for its factory; ticker needs time.clock for its init.
  const clock = definePlugin({
    manifest: testManifest('clock', { provides: { services: ['time.clock'] }, requires: { services: ['time.tick'] } }),
    register(reg) {
      reg.registerService(clockRef, { deps: { tick: tickRef }, factory: () => ({ now: () => 1 }) });
      reg.registerInit({ deps: {}, init: () => {} });
    },
  });
  const ticker = definePlugin({
    manifest: testManifest('ticker', { provides: { services: ['time.tick'] }, requires: { services: ['time.clock'] } }),
    register(reg) {
      reg.registerService(tickRef, { deps: {}, factory: () => ({}) });
      reg.registerInit({ deps: { clock: clockRef }, init: () => {} });
    },
  });
  t.throws(() => buildPluginGraph([clock, ticker].map(registerPlugin), kernel), {
    code: 'LPX_ERR_PLUGIN_DEPENDENCY_CYCLE',
    message: /clock -> ticker -> clock \(clock uses service time\.tick; ticker uses service time\.clock\)/,
    details: { cycle: ['clock', 'ticker', 'clock'] },
  });
});
