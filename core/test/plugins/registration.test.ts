import t from 'tap';
import { coreServices, createExtensionPoint, definePlugin } from '@lpx/sdk';
import { registerPlugin } from '../../src/plugins/registration.js';
import { testManifest } from '../../../test/helpers/plugins.js';

const point = createExtensionPoint<object>({ id: 'p.things' });

t.test('register must call registerInit exactly once', async (t) => {
  t.throws(() => registerPlugin(definePlugin({ manifest: testManifest('none'), register() {} })), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID', message: /did not call registerInit/ });
  const twice = definePlugin({
    manifest: testManifest('twice'),
    register(reg) {
      reg.registerInit({ deps: {}, init: () => {} });
      reg.registerInit({ deps: {}, init: () => {} });
    },
  });
  t.throws(() => registerPlugin(twice), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID', message: /twice/ });
});

t.test('register must be synchronous', async (t) => {
  const asyncRegister = definePlugin({
    manifest: testManifest('async-register'),
    register: (async (reg: { registerInit: (i: object) => void }) => reg.registerInit({ deps: {}, init: () => {} })) as never,
  });
  t.throws(() => registerPlugin(asyncRegister), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID', message: /synchronous/ });
});

t.test('init deps must be declared in the manifest', async (t) => {
  const sneaky = definePlugin({
    manifest: testManifest('sneaky', { requires: { services: ['core.logger'] } }),
    register(reg) {
      reg.registerInit({ deps: { logger: coreServices.logger, jobs: coreServices.jobs }, init: () => {} });
    },
  });
  t.throws(() => registerPlugin(sneaky), { code: 'LPX_ERR_PLUGIN_UNDECLARED_DEPENDENCY', message: /"jobs" uses service core\.jobs/ });
  const sneakyPoint = definePlugin({
    manifest: testManifest('sneaky-point'),
    register(reg) {
      reg.registerInit({ deps: { point }, init: () => {} });
    },
  });
  t.throws(() => registerPlugin(sneakyPoint), { code: 'LPX_ERR_PLUGIN_UNDECLARED_DEPENDENCY', message: /extension point p\.things/ });
  const notARef = definePlugin({
    manifest: testManifest('not-a-ref'),
    register(reg) {
      reg.registerInit({ deps: { nope: { id: 'x' } as never }, init: () => {} });
    },
  });
  t.throws(() => registerPlugin(notARef), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID', message: /neither a service ref/ });
});

t.test('extension points: only declared, only once, all declared ones registered', async (t) => {
  const undeclared = definePlugin({
    manifest: testManifest('undeclared'),
    register(reg) {
      reg.registerExtensionPoint(point, {});
      reg.registerInit({ deps: {}, init: () => {} });
    },
  });
  t.throws(() => registerPlugin(undeclared), { code: 'LPX_ERR_PLUGIN_EXTENSION_POINT_ILLEGAL', message: /does not list it/ });
  const doubled = definePlugin({
    manifest: testManifest('doubled', { provides: { extensionPoints: ['p.things'] } }),
    register(reg) {
      reg.registerExtensionPoint(point, {});
      reg.registerExtensionPoint(point, {});
      reg.registerInit({ deps: {}, init: () => {} });
    },
  });
  t.throws(() => registerPlugin(doubled), { code: 'LPX_ERR_PLUGIN_EXTENSION_POINT_ILLEGAL', message: /twice/ });
  const forgot = definePlugin({
    manifest: testManifest('forgot', { provides: { extensionPoints: ['p.things'] } }),
    register(reg) {
      reg.registerInit({ deps: {}, init: () => {} });
    },
  });
  t.throws(() => registerPlugin(forgot), { code: 'LPX_ERR_PLUGIN_EXTENSION_POINT_ILLEGAL', message: /never registers it/ });
  let late: { registerExtensionPoint: (r: typeof point, i: object) => void } | undefined;
  const lateCaller = definePlugin({
    manifest: testManifest('late', { provides: { extensionPoints: ['p.things'] } }),
    register(reg) {
      late = reg;
      reg.registerExtensionPoint(point, {});
      reg.registerInit({ deps: {}, init: () => {} });
    },
  });
  const registered = registerPlugin(lateCaller);
  t.equal(registered.extensionPoints.size, 1);
  t.throws(() => late!.registerExtensionPoint(point, {}), { code: 'LPX_ERR_PLUGIN_REGISTER_INVALID', message: /after register returned/ });
});
