import type { Test } from 'tap';
import type { PluginManifest } from '@lpx/sdk';

/** One entry of a `t.testdir` folder spec, named without depending on @tapjs/fixture directly. */
type FixtureEntry = NonNullable<Parameters<Test['testdir']>[0]>;
/** A folder spec for `t.testdir`: name → content or sub-folder. */
export type FixtureDir = { [name: string]: FixtureEntry };

export function fixtureManifest(overrides: Partial<PluginManifest> = {}): PluginManifest {
  return {
    id: 'hello-world',
    version: '1.0.0',
    host: '^0.1.0',
    description: 'fixture plugin',
    capabilities: [{ id: 'byoc/hello', version: 1, mode: 'request-response', workUnit: 'request', priceUnit: 'wei/request' }],
    config: { type: 'object', properties: { greeting: { type: 'string' } }, additionalProperties: false },
    ...overrides,
  };
}

export interface FixtureOptions {
  readonly manifest?: PluginManifest;
  /** Extra package.json fields, e.g. `files`. */
  readonly packageJson?: Record<string, unknown>;
  /** Contents of index.mjs; by default a real plugin built with the sdk's definePlugin. */
  readonly entrySource?: string;
  readonly extraFiles?: FixtureDir;
}

/**
 * A plugin folder as a `t.testdir` spec. The entry imports `@lpx/sdk`, which
 * resolves from the repository's node_modules wherever the folder is installed
 * under the repository, exactly as a real installed plugin would.
 */
export function fixturePluginFolder(options: FixtureOptions = {}): FixtureDir {
  const manifest = options.manifest ?? fixtureManifest();
  const entrySource =
    options.entrySource ??
    [
      "import { definePlugin } from '@lpx/sdk';",
      `const manifest = ${JSON.stringify(manifest)};`,
      'export default definePlugin({ manifest, register(registrar) { registrar.registerInit({ deps: {}, init() {} }); } });',
      '',
    ].join('\n');
  return {
    'package.json': JSON.stringify({ name: `@fixture/${manifest.id}`, version: manifest.version, type: 'module', exports: './index.mjs', ...options.packageJson }, null, 2),
    'plugin.manifest.json': JSON.stringify(manifest, null, 2),
    'index.mjs': entrySource,
    ...options.extraFiles,
  };
}
