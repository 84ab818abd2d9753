import { isDeepStrictEqual } from 'node:util';
import { errors } from '@lpx/sdk';
import { readJsonFile, writeJsonAtomic } from '../trust/atomic-json.js';
import type { LockedPlugin, PluginLockfile } from '../trust/contract.js';

/** The lockfile's default name, next to the node config. */
export const LOCKFILE_NAME = 'lpx-plugins.lock';

function invalid(source: string, message: string): Error {
  return errors.registry.LOCKFILE_INVALID.create(`${source}: ${message}; fix it or delete it to resolve afresh`);
}

const STRING_FIELDS = ['range', 'version', 'integrity', 'manifestIntegrity', 'source'] as const;

function checkLocked(value: unknown, where: string, source: string): LockedPlugin {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(source, `${where} must be an object`);
  for (const field of STRING_FIELDS) if (typeof v[field] !== 'string') throw invalid(source, `${where}.${field} must be a string`);
  const images = v['images'];
  if (!Array.isArray(images) || !images.every((i) => typeof (i as { ref?: unknown })?.ref === 'string' && typeof (i as { digest?: unknown })?.digest === 'string')) {
    throw invalid(source, `${where}.images must be an array of {ref, digest}`);
  }
  const signedBy = v['signedBy'];
  if (!Array.isArray(signedBy) || !signedBy.every((k) => typeof k === 'string')) throw invalid(source, `${where}.signedBy must be an array of key ids`);
  return v as unknown as LockedPlugin;
}

/** Checks parsed JSON is a PluginLockfile (LOCKFILE_INVALID naming the first problem). */
export function validateLockfile(value: unknown, source: string): PluginLockfile {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(source, 'a lockfile is a JSON object');
  if (v['lockfileVersion'] !== 1) throw invalid(source, `lockfileVersion must be 1, found ${JSON.stringify(v['lockfileVersion'])}`);
  const plugins = v['plugins'];
  if (typeof plugins !== 'object' || plugins === null || Array.isArray(plugins)) throw invalid(source, '"plugins" must be an object of plugin id → locked release');
  for (const [id, locked] of Object.entries(plugins)) checkLocked(locked, `plugins.${id}`, source);
  return v as unknown as PluginLockfile;
}

/** The lockfile at `path`, or undefined when there is none yet. */
export async function readLockfile(path: string): Promise<PluginLockfile | undefined> {
  const parsed = await readJsonFile(path, undefined, (message, cause) => errors.registry.LOCKFILE_INVALID.create(message, { cause }));
  return parsed === undefined ? undefined : validateLockfile(parsed, path);
}

/** Ids sorted, so the file diffs cleanly in version control. */
export function sortedLockfile(plugins: Readonly<Record<string, LockedPlugin>>): PluginLockfile {
  const sorted: Record<string, LockedPlugin> = {};
  for (const id of Object.keys(plugins).sort()) sorted[id] = plugins[id]!;
  return { lockfileVersion: 1, plugins: sorted };
}

/** Writes the lockfile atomically; returns false (and writes nothing) when it already says this. */
export async function writeLockfile(path: string, lock: PluginLockfile, previous?: PluginLockfile): Promise<boolean> {
  const next = sortedLockfile(lock.plugins);
  if (previous !== undefined && isDeepStrictEqual(JSON.parse(JSON.stringify(previous)), JSON.parse(JSON.stringify(next)))) return false;
  await writeJsonAtomic(path, next);
  return true;
}
