import { isDeepStrictEqual } from 'node:util';
import { errors } from '@lpx/sdk';
import type { RegistryEntry } from '../local-registry/layout.js';
import type { KeyId, LockedPlugin } from '../trust/contract.js';
import { releaseStatementFor } from '../trust/release-statement.js';

/** What the lockfile records for one resolved release. */
export function lockedPluginFor(entry: RegistryEntry, range: string, signedBy: readonly KeyId[], source: string): LockedPlugin {
  const statement = releaseStatementFor(entry);
  return { range, version: entry.version, integrity: entry.integrity, manifestIntegrity: statement.manifestIntegrity, images: statement.images, signedBy: [...signedBy], source };
}

/**
 * Refuses (LOCKFILE_MISMATCH) unless the registry still serves exactly what
 * the lockfile pinned: same tarball, same manifest, same image digests. A
 * registry that silently re-published a version cannot change what a locked
 * node runs.
 */
export function checkAgainstLock(entry: RegistryEntry, locked: LockedPlugin, lockfilePath: string): void {
  const statement = releaseStatementFor(entry);
  const differences: string[] = [];
  if (entry.integrity !== locked.integrity) differences.push(`integrity ${entry.integrity} (locked ${locked.integrity})`);
  if (statement.manifestIntegrity !== locked.manifestIntegrity) differences.push(`manifest ${statement.manifestIntegrity} (locked ${locked.manifestIntegrity})`);
  if (!isDeepStrictEqual([...statement.images], [...locked.images])) differences.push(`images ${JSON.stringify(statement.images)} (locked ${JSON.stringify(locked.images)})`);
  if (differences.length === 0) return;
  throw errors.registry.LOCKFILE_MISMATCH.create(
    `plugin "${entry.id}"@${entry.version}: the registry serves other content than ${lockfilePath} pinned: ${differences.join('; ')}; nothing was installed (if the change is expected, delete the plugin's lock entry to resolve afresh)`,
    { details: { id: entry.id, version: entry.version, differences } },
  );
}

/** The registry no longer has the locked version at all. */
export function lockedVersionMissing(id: string, locked: LockedPlugin, lockfilePath: string, cause: unknown): Error {
  return errors.registry.LOCKFILE_MISMATCH.create(
    `plugin "${id}": ${lockfilePath} pins ${locked.version}, which the registry no longer serves (${(cause as Error).message}); nothing was installed`,
    { cause, details: { id, version: locked.version } },
  );
}
