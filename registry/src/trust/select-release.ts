import semver from 'semver';
import { errors } from '@lpx/sdk';
import type { RegistryEntry } from '../local-registry/layout.js';
import { listVersions, readEntry } from '../local-registry/read-entry.js';
import { resolvePlugin } from '../local-registry/resolve.js';
import { checkAgainstLock, lockedVersionMissing } from '../lockfile/locked-release.js';
import type { LockedPlugin, TrustPolicy } from './contract.js';
import { evaluateTrust, type TrustResult } from './policy.js';

export interface SelectedRelease {
  readonly entry: RegistryEntry;
  readonly trust: TrustResult;
  /** True when the version came from the lockfile. */
  readonly fromLock: boolean;
}

/** Refusals that concern one version only, so an older version in the range may still be acceptable. */
function versionSpecific(error: unknown): boolean {
  return errors.registry.REVOKED.is(error) || errors.registry.NOT_APPROVED.is(error) || errors.registry.UNTRUSTED.is(error);
}

/**
 * Picks the release to install for `id`@`range`. With a lock entry for the
 * same range: exactly the locked version, which must still be what was
 * locked and must still pass the trust policy (a revocation wins over a
 * lock). Otherwise: the highest version in the range the policy accepts;
 * when none does, the refusal of the highest one is reported. A signature
 * that does not verify is never skipped over — tampering stops resolution.
 */
export async function selectRelease(root: string, id: string, range: string, policy: TrustPolicy | undefined, locked?: { readonly plugin: LockedPlugin; readonly path: string }): Promise<SelectedRelease> {
  if (locked !== undefined && locked.plugin.range === range) {
    const entry = await readEntry(root, id, locked.plugin.version).catch((error: unknown) => {
      throw lockedVersionMissing(id, locked.plugin, locked.path, error);
    });
    checkAgainstLock(entry, locked.plugin, locked.path);
    return { entry, trust: await evaluateTrust(entry, policy), fromLock: true };
  }
  const best = await resolvePlugin(root, id, range);
  let firstRefusal: unknown;
  const candidates = (await listVersions(root, id)).filter((v) => semver.satisfies(v, range) && v !== best.version).sort(semver.rcompare);
  for (const candidate of [best, ...candidates]) {
    const entry = typeof candidate === 'string' ? await readEntry(root, id, candidate) : candidate;
    try {
      const trust = await evaluateTrust(entry, policy);
      const warnings = firstRefusal === undefined ? trust.warnings : [...trust.warnings, `plugin "${id}": using ${entry.version} because ${best.version} was refused (${(firstRefusal as Error).message})`];
      return { entry, trust: { ...trust, warnings }, fromLock: false };
    } catch (error) {
      if (!versionSpecific(error)) throw error;
      firstRefusal ??= error;
    }
  }
  throw firstRefusal;
}
