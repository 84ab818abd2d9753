import type { Command } from 'commander';
import { errors } from '@lpx/sdk';
import { pickRemoteRelease, postReviewToHttpRegistry, readPrivateKeyFile, registryBaseUrl, reviewRelease, signReview, type ReviewState } from '@lpx/registry';
import { reportError, type Io } from '../output.js';
import { releaseEntry, splitReleaseSpec } from './plugin-release-arg.js';
import { isRegistryUrl, REGISTRY_TOKEN_ENV, registryToken } from './registry-token.js';

const DECISIONS: Readonly<Record<string, ReviewState>> = { approve: 'approved', reject: 'rejected', revoke: 'revoked' };

export interface ReviewOptions {
  key: string;
  reason?: string;
  json?: boolean;
  tokenFile?: string;
  /** The release's integrity as the reviewer inspected it; the registry's must be the same. */
  integrity?: string;
}

interface Reviewed {
  id: string;
  version: string;
  state: ReviewState;
  keyId: string;
  /** What the registry shows now (HTTP only: the newest record's state). */
  registryState?: ReviewState;
}

/**
 * An HTTP registry: the release's integrity is read from the registry, the
 * record is signed here (the key never leaves this machine), and the registry
 * verifies it before appending it (an admin token is needed to post).
 */
async function reviewRemote(url: string, spec: string, state: ReviewState, options: ReviewOptions): Promise<Reviewed> {
  const key = await readPrivateKeyFile(options.key);
  const token = await registryToken(options.tokenFile, url, 'posting a review to');
  const { id, range } = splitReleaseSpec(spec);
  const release = await pickRemoteRelease(registryBaseUrl(url), id, range);
  if (options.integrity !== undefined && options.integrity !== release.integrity) {
    throw errors.registry.INTEGRITY_MISMATCH.create(`${id}@${release.version} on ${url} has integrity ${release.integrity}, not the ${options.integrity} you reviewed; nothing was posted`, {
      details: { expected: options.integrity, actual: release.integrity },
    });
  }
  const record = signReview(release, state, key, options.reason);
  const result = await postReviewToHttpRegistry(url, record, { token });
  return { id, version: release.version, state: record.state, keyId: record.keyId, registryState: result.state };
}

async function reviewLocal(registryDir: string, spec: string, state: ReviewState, options: ReviewOptions): Promise<Reviewed> {
  const key = await readPrivateKeyFile(options.key);
  const entry = await releaseEntry(registryDir, spec);
  if (options.integrity !== undefined && options.integrity !== entry.integrity) {
    throw errors.registry.INTEGRITY_MISMATCH.create(`${entry.id}@${entry.version} in ${registryDir} has integrity ${entry.integrity}, not the ${options.integrity} you reviewed`, {
      details: { expected: options.integrity, actual: entry.integrity },
    });
  }
  const record = await reviewRelease(entry, state, key, options.reason);
  return { id: entry.id, version: entry.version, state: record.state, keyId: record.keyId };
}

/** Records a signed review in a registry folder or posts it to an HTTP registry; shared by `review` and the `revoke` shortcut. */
export async function runReview(io: Io, registry: string, release: string, decision: string, options: ReviewOptions): Promise<void> {
  const state = DECISIONS[decision];
  if (state === undefined) throw errors.registry.REVIEW_INVALID.create(`decision must be one of ${Object.keys(DECISIONS).join(', ')}, got "${decision}"`);
  const done = isRegistryUrl(registry) ? await reviewRemote(registry, release, state, options) : await reviewLocal(registry, release, state, options);
  if (options.json) io.out(JSON.stringify({ ok: true, ...done }));
  else io.out(`${done.id}@${done.version} is now ${done.state} (reviewed by ${done.keyId})`);
}

/**
 * `lpx plugin review [<registry-dir>] <release> <decision>`, or with
 * `--registry <dir-or-url>` instead of the folder argument.
 */
export function addPluginReviewCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('review')
    .description('approve, reject or revoke a release (a signed review record; revoke is final)')
    .usage('[<registry-dir>] <release> <decision> [options]   (or --registry <dir-or-url> in place of <registry-dir>)')
    .argument('<args...>', `[<registry-dir>] <id>@<version> ${Object.keys(DECISIONS).join(' | ')}`)
    .option('--registry <dir-or-url>', 'registry folder, or http(s) URL of an `lpx registry serve` (posts the signed record; needs an admin token)')
    .requiredOption('--key <file>', 'reviewer private key file (signs here; never sent)')
    .option('--reason <text>', 'why (shown to operators)')
    .option('--integrity <sri>', 'refuse unless the release is this exact tarball (the one you inspected)')
    .option('--token-file <file>', `file holding an admin token (HTTP registries; default: $${REGISTRY_TOKEN_ENV})`)
    .option('--json', 'print JSON')
    .action(async (args: string[], options: ReviewOptions & { registry?: string }) => {
      try {
        const expected = options.registry === undefined ? 3 : 2;
        if (args.length !== expected) {
          throw errors.config.INVALID.create(
            options.registry === undefined
              ? `lpx plugin review <registry-dir> <release> <decision> (or --registry <dir-or-url> <release> <decision>); got ${args.length} argument(s)`
              : `with --registry, lpx plugin review takes <release> <decision>; got ${args.length} argument(s)`,
          );
        }
        const [registry, release, decision] = options.registry === undefined ? (args as [string, string, string]) : [options.registry, args[0]!, args[1]!];
        await runReview(io, registry, release, decision, options);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
