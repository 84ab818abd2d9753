import { rm } from 'node:fs/promises';
import { errors, HOST_API_VERSION, isLpxError } from '@lpx/sdk';
import { checkHostCompatibility } from './manifest/compat.js';
import { extractVerified, verifyEntry, type InstalledPlugin, type VerifiedPackage } from './local-registry/install.js';
import { resolvePlugin } from './local-registry/resolve.js';

/** One `plugins` item of a node config: which plugin, and which versions are acceptable. */
export interface PluginRequest {
  readonly id: string;
  /** semver range, e.g. `^1.2.0` */
  readonly version: string;
}

export interface ResolveForNodeOptions {
  /** Defaults to the sdk's HOST_API_VERSION; tests pass others. */
  readonly hostVersion?: string;
}

interface Failure {
  readonly request: PluginRequest;
  readonly error: Error;
}

async function resolveAndVerify(root: string, request: PluginRequest, hostVersion: string): Promise<VerifiedPackage> {
  const entry = await resolvePlugin(root, request.id, request.version);
  checkHostCompatibility(entry.manifest, hostVersion);
  return verifyEntry(entry);
}

function duplicateFailures(requests: readonly PluginRequest[]): Failure[] {
  const seen = new Set<string>();
  return requests.flatMap((request) => {
    if (!seen.has(request.id)) {
      seen.add(request.id);
      return [];
    }
    return [{ request, error: errors.plugin.DUPLICATE_ID.create(`plugin "${request.id}" is named more than once`) }];
  });
}

function failureError(failures: readonly Failure[], total: number, stage: string): Error {
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
 * nothing. Every request is resolved, host-checked and integrity-verified in
 * memory first, and every failure is reported together, so an operator fixes
 * the whole config in one pass. Only then is anything written. Returns the
 * installs in request order.
 */
export async function resolvePluginsForNode(
  root: string,
  requests: readonly PluginRequest[],
  installDir: string,
  options: ResolveForNodeOptions = {},
): Promise<InstalledPlugin[]> {
  const hostVersion = options.hostVersion ?? HOST_API_VERSION;
  const duplicates = duplicateFailures(requests);
  if (duplicates.length > 0) throw failureError(duplicates, requests.length, 'resolved');

  const settled = await Promise.allSettled(requests.map((request) => resolveAndVerify(root, request, hostVersion)));
  const failures = settled.flatMap((result, index): Failure[] =>
    result.status === 'rejected' ? [{ request: requests[index]!, error: result.reason as Error }] : [],
  );
  if (failures.length > 0) throw failureError(failures, requests.length, 'resolved');
  const verified = settled.map((result) => (result as PromiseFulfilledResult<VerifiedPackage>).value);

  const installed: InstalledPlugin[] = [];
  for (const [index, pkg] of verified.entries()) {
    try {
      installed.push(await extractVerified(pkg, installDir));
    } catch (error) {
      // Disk trouble mid-way: take back what this call wrote so no partial set is left to boot from.
      await Promise.all(installed.map((done) => rm(done.dir, { recursive: true, force: true })));
      throw failureError([{ request: requests[index]!, error: error as Error }], requests.length, 'installed');
    }
  }
  return installed;
}
