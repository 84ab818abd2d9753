import semver from 'semver';
import { errors, PLUGIN_ID_PATTERN } from '@lpx/sdk';
import { assertPluginId, type RegistryEntry } from './layout.js';
import { listPluginIds, listVersions, readEntry } from './read-entry.js';

/** Every entry in a local registry folder, by id then ascending version. A missing folder is an empty registry. */
export async function listRegistry(root: string): Promise<RegistryEntry[]> {
  const entries: RegistryEntry[] = [];
  for (const id of await listPluginIds(root, new RegExp(PLUGIN_ID_PATTERN))) {
    for (const version of await listVersions(root, id)) entries.push(await readEntry(root, id, version));
  }
  return entries;
}

/**
 * The highest of `available` that satisfies `range`. Prereleases are only
 * picked when the range names one, as npm does. `where` names the registry
 * (a folder or a URL) for the message. Shared by the local resolve and the
 * HTTP mirror, so both pick the same version from the same list.
 */
export function pickVersion(id: string, range: string, available: readonly string[], where: string): string {
  if (semver.validRange(range) === null) {
    throw errors.registry.ENTRY_MISSING.create(`"${range}" is not a valid semver range for plugin "${id}"`, {
      details: { id, range, available },
    });
  }
  const best = semver.maxSatisfying([...available], range, { includePrerelease: false });
  if (best === null) {
    const listed = available.length > 0 ? `available: ${available.join(', ')}` : 'no versions of it are published there';
    throw errors.registry.ENTRY_MISSING.create(`no version of plugin "${id}" in ${where} satisfies "${range}"; ${listed}`, {
      details: { id, range, available, root: where },
    });
  }
  return best;
}

/** The highest published version of `id` in a registry folder that satisfies `range` (see `pickVersion`). */
export async function resolvePlugin(root: string, id: string, range: string): Promise<RegistryEntry> {
  assertPluginId(id);
  return readEntry(root, id, pickVersion(id, range, await listVersions(root, id), root));
}
