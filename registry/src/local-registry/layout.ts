import { join } from 'node:path';
import { errors, PLUGIN_ID_PATTERN, type PluginManifest } from '@lpx/sdk';

/**
 * A local registry is a plain folder: `<root>/<plugin-id>/<version>/` holding
 * these three files. Plain files so an operator can inspect, copy or rsync a
 * registry with ordinary tools, and a future remote registry can mirror it.
 */
export const ENTRY_FILES = {
  manifest: 'manifest.json',
  tarball: 'package.tgz',
  integrity: 'integrity',
} as const;

/** One published version of one plugin. */
export interface RegistryEntry {
  readonly id: string;
  readonly version: string;
  /** From `manifest.json`: readable without opening the tarball; checked against it at install. */
  readonly manifest: PluginManifest;
  /** npm SRI string, `sha512-<base64>`, of `package.tgz`. */
  readonly integrity: string;
  /** `<root>/<id>/<version>` */
  readonly dir: string;
  readonly tarballPath: string;
}

const pluginIdRegex = new RegExp(PLUGIN_ID_PATTERN);

/** Ids become folder names, so anything else (`..`, `a/b`) is refused before it touches a path. */
export function assertPluginId(id: string): void {
  if (!pluginIdRegex.test(id)) {
    throw errors.registry.ENTRY_MISSING.create(`"${id}" is not a valid plugin id (expected ${PLUGIN_ID_PATTERN}), so no registry entry can exist for it`);
  }
}

export function entryDir(root: string, id: string, version: string): string {
  return join(root, id, version);
}

/** Staging folders start with a dot so listings never mistake a half-written entry for a version. */
export function stagingDir(parent: string, version: string): string {
  return join(parent, `.staging-${version}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`);
}

export function isNodeError(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}
