import t from 'tap';
import { HOST_API_VERSION } from '@lpx/sdk';
import { publishToLocalRegistry } from '@lpx/registry';
import { runCli } from '../../../test/helpers/cli.js';
import { fixtureManifest, fixturePluginFolder } from '../../../registry/test/helpers/fixture-plugin.js';

// `lpx config check` stops after prepare; every static rule of plugin-provided
// services must already fail there (docs/adr/0018-plugin-provided-services.md).

const host = `^${HOST_API_VERSION}`;

/** A plugin module (plain ESM) that provides `provides` and requires `requires`; `registered` defaults to `provides`. */
function pluginModule(id: string, options: { provides?: string[]; requires?: string[]; registered?: string[] } = {}): string {
  const { provides = [], requires = [] } = options;
  const registered = options.registered ?? provides;
  const manifest = {
    id,
    version: '1.0.0',
    host,
    ...(provides.length > 0 ? { provides: { services: provides } } : {}),
    ...(requires.length > 0 ? { requires: { services: requires } } : {}),
  };
  return [
    "import { createServiceRef, definePlugin } from '@lpx/sdk';",
    `export default definePlugin({ manifest: ${JSON.stringify(manifest)}, register(reg) {`,
    `  for (const id of ${JSON.stringify(registered)}) reg.registerService(createServiceRef({ id }), { deps: {}, factory: () => ({}) });`,
    `  reg.registerInit({ deps: Object.fromEntries(${JSON.stringify(requires)}.map((id) => [id, createServiceRef({ id })])), init() {} });`,
    '} });',
    '',
  ].join('\n');
}

function config(plugins: string[], extra = ''): string {
  return `node:\n  roles: [worker]\n${extra}plugins:\n${plugins.map((p) => `  ${p}:\n    module: ./${p}.mjs\n`).join('')}`;
}

t.test('config check: a provider and its consumer pass; every static service error is caught', async (t) => {
  const dir = t.testdir({
    'runtime.mjs': pluginModule('runtime', { provides: ['runtime.containers'] }),
    'rival.mjs': pluginModule('rival', { provides: ['runtime.containers'] }),
    'user.mjs': pluginModule('user', { requires: ['runtime.containers'] }),
    'usurper.mjs': pluginModule('usurper', { provides: ['core.jobs'] }),
    'unlisted.mjs': pluginModule('unlisted', { registered: ['runtime.extra'] }),
    'forgetful.mjs': pluginModule('forgetful', { provides: ['runtime.extra'], registered: [] }),
    'clock.mjs': pluginModule('clock', { provides: ['time.clock'], requires: ['time.tick'] }),
    'ticker.mjs': pluginModule('ticker', { provides: ['time.tick'], requires: ['time.clock'] }),
    'good.yaml': config(['user', 'runtime']),
    'missing.yaml': config(['user']),
    'rivals.yaml': config(['user', 'runtime', 'rival']),
    'usurper.yaml': config(['usurper']),
    'unlisted.yaml': config(['unlisted']),
    'forgetful.yaml': config(['forgetful']),
    'cycle.yaml': config(['clock', 'ticker']),
  });
  const good = await runCli('config', 'check', `${dir}/good.yaml`);
  t.equal(good.code, 0, good.stderr);
  t.match(good.stdout, /plugins: runtime, user\)/, 'the provider is ordered first');

  const cases: [string, string, RegExp][] = [
    ['missing', 'LPX_ERR_PLUGIN_DEPENDENCY_MISSING', /plugin user requires service runtime\.containers, which neither this kernel nor any configured plugin provides/],
    ['rivals', 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL', /service runtime\.containers is provided by both runtime and rival/],
    ['usurper', 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL', /usurper lists core\.jobs in provides\.services, but core\.\* services belong to the kernel/],
    ['unlisted', 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL', /registers service runtime\.extra but its manifest does not list it/],
    ['forgetful', 'LPX_ERR_PLUGIN_SERVICE_ILLEGAL', /lists service runtime\.extra in provides\.services but never calls registerService/],
    ['cycle', 'LPX_ERR_PLUGIN_DEPENDENCY_CYCLE', /clock -> ticker -> clock \(clock uses service time\.tick; ticker uses service time\.clock\)/],
  ];
  for (const [name, code, message] of cases) {
    const run = await runCli('config', 'check', `${dir}/${name}.yaml`, '--json');
    t.equal(run.code, 1, name);
    t.match(JSON.parse(run.stdout), { ok: false, error: { code, message } }, name);
  }
});

t.test('a missing service names the local registry plugins that provide it', async (t) => {
  const manifest = fixtureManifest({ id: 'containers-docker', host, capabilities: [], provides: { services: ['runtime.containers'] } });
  const dir = t.testdir({
    'containers-docker': fixturePluginFolder({ manifest }),
    'user.mjs': pluginModule('user', { requires: ['runtime.containers'] }),
    'missing.yaml': config(['user'], 'registry:\n  dir: ./registry\n'),
  });
  await publishToLocalRegistry(`${dir}/registry`, `${dir}/containers-docker`);
  const run = await runCli('config', 'check', `${dir}/missing.yaml`, '--json');
  t.equal(run.code, 1);
  t.match(JSON.parse(run.stdout), {
    error: { code: 'LPX_ERR_PLUGIN_DEPENDENCY_MISSING', message: /runtime\.containers.*configure one of the plugins that provide it: containers-docker/ },
  });
});
