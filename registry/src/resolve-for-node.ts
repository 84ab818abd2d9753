import { rm } from 'node:fs/promises';
import { errors, HOST_API_VERSION, isLpxError } from '@lpx/sdk';
import { installDependencies, needsDependencyInstall } from './deps/dependencies.js';
import { checkHostCompatibility } from './manifest/compat.js';
import { extractVerified, verifyEntry, type InstalledPlugin, type VerifiedPackage } from './local-registry/install.js';
import type { RegistryEntry } from './local-registry/layout.js';
import { lockedPluginFor } from './lockfile/locked-release.js';
import { readLockfile, writeLockfile } from './lockfile/lockfile.js';
import type { LockedPlugin, PluginLockfile, TrustPolicy, TrustVerdict } from './trust/contract.js';
import { verifyImageArchive } from './trust/image-archive.js';
import { selectRelease } from './trust/select-release.js';
import { subjectOf } from './trust/trust-layout.js';

/** One `plugins` item of a node config: which plugin, and which versions are acceptable. */
export interface PluginRequest {
  readonly id: string;
  /** semver range, e.g. `^1.2.0` */
  readonly version: string;
}

export interface ResolveForNodeOptions {
  /** Defaults to the sdk's HOST_API_VERSION; tests pass others. */
  readonly hostVersion?: string;
  /** The operator's trust policy (`registry.trust`); absent = dev mode (unsigned accepted with a warning, revocations still honoured). */
  readonly trust?: TrustPolicy;
  /** `lpx-plugins.lock`: locked versions are installed exactly, and the file is (re)written after a successful install. */
  readonly lockfilePath?: string;
  /** What the lockfile records as where releases came from (default: the registry folder). */
  readonly source?: string;
  /** Non-fatal trust notes (dev mode, a refused newest version skipped). Default: dropped. */
  readonly warn?: (message: string) => void;
}

/** One installed registry plugin, with what the trust policy found and what the lockfile now says. */
export interface ResolvedPlugin extends InstalledPlugin {
  readonly entry: RegistryEntry;
  readonly trust: TrustVerdict;
  readonly locked: LockedPlugin;
}

interface Checked {
  readonly verified: VerifiedPackage;
  readonly trust: TrustVerdict;
  readonly locked: LockedPlugin;
  readonly withDependencies: boolean;
}

export interface ResolveFailureItem {
  readonly request: PluginRequest;
  readonly error: Error;
}

/** Everything that can refuse a plugin, in memory: trust, lock, host range, integrity, image digests, dependency lock. */
async function resolveAndVerify(root: string, request: PluginRequest, lock: PluginLockfile | undefined, options: ResolveForNodeOptions): Promise<Checked> {
  const lockedPlugin = lock?.plugins[request.id];
  const locked = lockedPlugin && options.lockfilePath ? { plugin: lockedPlugin, path: options.lockfilePath } : undefined;
  const { entry, trust } = await selectRelease(root, request.id, request.version, options.trust, locked);
  checkHostCompatibility(entry.manifest, options.hostVersion ?? HOST_API_VERSION);
  const verified = await verifyEntry(entry);
  verifyImageArchive(verified.pkg, subjectOf(entry));
  const withDependencies = needsDependencyInstall(verified.pkg, subjectOf(entry));
  for (const warning of trust.warnings) options.warn?.(warning);
  return {
    verified,
    trust: { state: trust.state, signedBy: trust.signedBy },
    locked: lockedPluginFor(entry, request.version, trust.signedBy, options.source ?? root),
    withDependencies,
  };
}

function duplicateFailures(requests: readonly PluginRequest[]): ResolveFailureItem[] {
  const seen = new Set<string>();
  return requests.flatMap((request) => {
    if (!seen.has(request.id)) {
      seen.add(request.id);
      return [];
    }
    return [{ request, error: errors.plugin.DUPLICATE_ID.create(`plugin "${request.id}" is named more than once`) }];
  });
}

/** One coded error listing every plugin that failed at `stage` ("resolved", "installed", "mirrored from <url>"). */
export function resolveFailure(failures: readonly ResolveFailureItem[], total: number, stage: string): Error {
  const lines = failures.map(({ request, error }) => {
    const code = isLpxError(error) ? `${error.code}: ` : '';
    return `  - "${request.id}" (${request.version}): ${code}${error.message.replace(/\n/g, '\n    ')}`;
  });
  return errors.registry.RESOLVE_FAILED.create(
    `${failures.length} of ${total} plugin(s) named by the node config could not be ${stage}; nothing was installed:\n${lines.join('\n')}`,
    {
      cause: new AggregateError(failures.map((f) => f.error), 'plugin resolution failed'),
      details: {
        failures: failures.map(({ request, error }) => ({
          id: request.id,
          range: request.version,
          code: isLpxError(error) ? error.code : undefined,
          message: error.message,
        })),
      },
    },
  );
}

/**
 * Resolves, checks and installs every plugin a node config names, all or
 * nothing. Every request is resolved (lockfile first), trust-checked,
 * host-checked, integrity- and image-verified in memory first, and every
 * failure is reported together, so an operator fixes the whole config in one
 * pass. Only then is anything written: the packages (with their npm
 * dependencies, installed in staging), then the lockfile. Returns the
 * installs in request order.
 */
export async function resolvePluginsForNode(
  root: string,
  requests: readonly PluginRequest[],
  installDir: string,
  options: ResolveForNodeOptions = {},
): Promise<ResolvedPlugin[]> {
  const duplicates = duplicateFailures(requests);
  if (duplicates.length > 0) throw resolveFailure(duplicates, requests.length, 'resolved');
  const lock = options.lockfilePath === undefined ? undefined : await readLockfile(options.lockfilePath);

  const settled = await Promise.allSettled(requests.map((request) => resolveAndVerify(root, request, lock, options)));
  const failures = settled.flatMap((result, index): ResolveFailureItem[] =>
    result.status === 'rejected' ? [{ request: requests[index]!, error: result.reason as Error }] : [],
  );
  if (failures.length > 0) throw resolveFailure(failures, requests.length, 'resolved');
  const checked = settled.map((result) => (result as PromiseFulfilledResult<Checked>).value);

  const installed: ResolvedPlugin[] = [];
  for (const [index, item] of checked.entries()) {
    const { verified, trust, locked, withDependencies } = item;
    try {
      const prepare = withDependencies ? (staging: string) => installDependencies(staging, subjectOf(verified.entry)) : undefined;
      installed.push({ ...(await extractVerified(verified, installDir, prepare)), entry: verified.entry, trust, locked });
    } catch (error) {
      // Disk or npm trouble mid-way: take back what this call wrote so no partial set is left to boot from.
      await Promise.all(installed.map((done) => rm(done.dir, { recursive: true, force: true })));
      throw resolveFailure([{ request: requests[index]!, error: error as Error }], requests.length, 'installed');
    }
  }
  if (options.lockfilePath !== undefined) {
    const plugins = Object.fromEntries(installed.map((item) => [item.id, item.locked]));
    await writeLockfile(options.lockfilePath, { lockfileVersion: 1, plugins }, lock);
  }
  return installed;
}
