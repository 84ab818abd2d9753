import { errors, type PluginManifest } from '@lpx/sdk';
import { validateManifest } from '../manifest/validate.js';
import type { PackageFile } from '../tarball/package-tarball.js';
import { entryModulePath } from './entry-point.js';

/**
 * The package convention: a plugin package is an npm package whose root holds
 * `package.json` (with `exports` or `main` naming the module whose default
 * export is the PluginDefinition) and `plugin.manifest.json` next to it. A
 * separate file, not a `package.json` key, so the manifest can be read and
 * validated by tools that know nothing about npm, and its JSON Schema applies
 * to the whole file.
 */
export const MANIFEST_FILE = 'plugin.manifest.json';
export const PACKAGE_JSON = 'package.json';

export interface PluginPackage {
  readonly manifest: PluginManifest;
  /** Entry module, relative to the package root. */
  readonly entry: string;
  readonly files: readonly PackageFile[];
}

function parseJson(file: PackageFile | undefined, name: string, source: string): unknown {
  if (file === undefined) throw errors.registry.PACKAGE_INVALID.create(`${source} has no ${name}`);
  try {
    return JSON.parse(file.content.toString('utf8')) as unknown;
  } catch (error) {
    throw errors.registry.PACKAGE_INVALID.create(`${source}: ${name} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Checks a set of package files against the convention. Used on both sides:
 * on the folder before publishing, and on a verified tarball before extracting,
 * so an entry that was hand-made rather than published gets the same checks.
 */
export function inspectPluginPackage(files: readonly PackageFile[], source: string): PluginPackage {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const packageJson = parseJson(byPath.get(PACKAGE_JSON), PACKAGE_JSON, source);
  if (typeof packageJson !== 'object' || packageJson === null || Array.isArray(packageJson)) {
    throw errors.registry.PACKAGE_INVALID.create(`${source}: ${PACKAGE_JSON} is not a JSON object`);
  }
  const manifest = validateManifest(parseJson(byPath.get(MANIFEST_FILE), MANIFEST_FILE, source), { source: `${source}/${MANIFEST_FILE}` });

  const pkg = packageJson as Record<string, unknown>;
  if (pkg['version'] !== manifest.version) {
    throw errors.registry.PACKAGE_INVALID.create(
      `${source}: ${PACKAGE_JSON} version ${JSON.stringify(pkg['version'])} differs from ${MANIFEST_FILE} version "${manifest.version}"; they must match`,
    );
  }
  const entry = entryModulePath(pkg);
  if (entry === undefined) {
    throw errors.registry.PACKAGE_INVALID.create(`${source}: ${PACKAGE_JSON} needs "exports" or "main" naming the plugin's entry module`);
  }
  if (!byPath.has(entry)) {
    throw errors.registry.PACKAGE_INVALID.create(`${source}: entry module "${entry}" named by ${PACKAGE_JSON} is not in the package`);
  }
  return { manifest, entry, files };
}
