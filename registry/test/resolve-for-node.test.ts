import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { errors, isPluginDefinition } from '@lpx/sdk';
import { publishToLocalRegistry, resolvePluginsForNode } from '../src/index.js';
import { catchError } from './helpers/catch-error.js';
import { fixtureManifest, fixturePluginFolder } from './helpers/fixture-plugin.js';

function folders() {
  return {
    alpha1: fixturePluginFolder({ manifest: fixtureManifest({ id: 'alpha', version: '1.0.0' }) }),
    alpha2: fixturePluginFolder({ manifest: fixtureManifest({ id: 'alpha', version: '1.2.0' }) }),
    beta: fixturePluginFolder({ manifest: fixtureManifest({ id: 'beta', version: '0.3.0', capabilities: [] }) }),
    future: fixturePluginFolder({ manifest: fixtureManifest({ id: 'future', version: '1.0.0', host: '^9.0.0' }) }),
    tampered: fixturePluginFolder({ manifest: fixtureManifest({ id: 'tampered', version: '1.0.0' }) }),
    registry: {},
    installed: {},
  };
}

async function publishAll(dir: string): Promise<string> {
  const root = join(dir, 'registry');
  for (const name of ['alpha1', 'alpha2', 'beta', 'future', 'tampered']) await publishToLocalRegistry(root, join(dir, name));
  await writeFile(join(root, 'tampered', '1.0.0', 'package.tgz'), 'swapped');
  return root;
}

t.test('installs every requested plugin, in request order, each importable', async (t) => {
  const dir = t.testdir(folders());
  const root = await publishAll(dir);
  const installed = await resolvePluginsForNode(root, [{ id: 'beta', version: '*' }, { id: 'alpha', version: '^1.0.0' }], join(dir, 'installed'));
  t.same(installed.map((p) => `${p.id}@${p.version}`), ['beta@0.3.0', 'alpha@1.2.0']);
  for (const plugin of installed) {
    const module = (await import(plugin.entryUrl)) as { default: unknown };
    t.ok(isPluginDefinition(module.default), `${plugin.id} default-exports a PluginDefinition`);
  }
  t.same(await resolvePluginsForNode(root, [], join(dir, 'installed')), [], 'no plugins, nothing to do');
});

t.test('all or nothing: every failure is listed and nothing is installed', async (t) => {
  const dir = t.testdir(folders());
  const root = await publishAll(dir);
  const requests = [
    { id: 'alpha', version: '^1.0.0' },
    { id: 'alpha-typo', version: '^1.0.0' },
    { id: 'alpha', version: '^1.0.0' },
  ];
  const duplicate = await catchError(() => resolvePluginsForNode(root, requests, join(dir, 'installed')));
  t.ok(errors.registry.RESOLVE_FAILED.is(duplicate));
  t.match(duplicate.message, /"alpha" \(\^1\.0\.0\): LPX_ERR_PLUGIN_DUPLICATE_ID: plugin "alpha" is named more than once/);

  const error = await catchError(() =>
    resolvePluginsForNode(
      root,
      [
        { id: 'alpha', version: '^1.0.0' },
        { id: 'beta', version: '^2.0.0' },
        { id: 'future', version: '*' },
        { id: 'tampered', version: '1.0.0' },
        { id: 'ghost', version: '*' },
      ],
      join(dir, 'installed'),
    ),
  );
  t.ok(errors.registry.RESOLVE_FAILED.is(error), 'LPX_ERR_REGISTRY_RESOLVE_FAILED');
  t.match(error.message, /^4 of 5 plugin\(s\) named by the node config could not be resolved; nothing was installed:/);
  t.match(error.message, /"beta" \(\^2\.0\.0\): LPX_ERR_REGISTRY_ENTRY_MISSING: .*available: 0\.3\.0/);
  t.match(error.message, /"future" \(\*\): LPX_ERR_PLUGIN_HOST_RANGE: plugin "future"@1\.0\.0 requires host API "\^9\.0\.0"/);
  t.match(error.message, /"tampered" \(1\.0\.0\): LPX_ERR_REGISTRY_INTEGRITY_MISMATCH/);
  t.match(error.message, /"ghost" \(\*\): LPX_ERR_REGISTRY_ENTRY_MISSING/);
  t.notMatch(error.message, /"alpha"/, 'the plugin that resolved is not listed as a failure');
  t.same(
    (error.details?.['failures'] as Array<{ id: string; code: string }>).map((f) => [f.id, f.code]),
    [
      ['beta', 'LPX_ERR_REGISTRY_ENTRY_MISSING'],
      ['future', 'LPX_ERR_PLUGIN_HOST_RANGE'],
      ['tampered', 'LPX_ERR_REGISTRY_INTEGRITY_MISMATCH'],
      ['ghost', 'LPX_ERR_REGISTRY_ENTRY_MISSING'],
    ],
  );
  t.type(error.cause, AggregateError);
  t.equal((error.cause as AggregateError).errors.length, 4);
  t.same(await readdir(join(dir, 'installed')), [], 'not even the good plugin was installed');
});

t.test('the host version is an option, for checking a registry against another host', async (t) => {
  const dir = t.testdir(folders());
  const root = await publishAll(dir);
  const [future] = await resolvePluginsForNode(root, [{ id: 'future', version: '*' }], join(dir, 'installed'), { hostVersion: '9.1.0' });
  t.equal(future?.id, 'future');
});

t.test('a failure while writing takes back what this call already installed', async (t) => {
  const dir = t.testdir(folders());
  const root = await publishAll(dir);
  // "beta" cannot be written: its folder name is taken by a file.
  await writeFile(join(dir, 'installed', 'beta'), 'in the way');
  const error = await catchError(() =>
    resolvePluginsForNode(root, [{ id: 'alpha', version: '*' }, { id: 'beta', version: '*' }], join(dir, 'installed')),
  );
  t.ok(errors.registry.RESOLVE_FAILED.is(error));
  t.match(error.message, /^1 of 2 plugin\(s\) named by the node config could not be installed; nothing was installed:\n {2}- "beta" \(\*\): /);
  t.same(await readdir(join(dir, 'installed', 'alpha')), [], 'alpha, written first, was removed again');
});
