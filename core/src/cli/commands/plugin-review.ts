import type { Command } from 'commander';
import { errors } from '@lpx/sdk';
import { readPrivateKeyFile, reviewRelease, type ReviewState } from '@lpx/registry';
import { reportError, type Io } from '../output.js';
import { releaseEntry } from './plugin-release-arg.js';

const DECISIONS: Readonly<Record<string, ReviewState>> = { approve: 'approved', reject: 'rejected', revoke: 'revoked' };

/** Records a signed review; shared by `review` and the `revoke` shortcut. */
export async function runReview(io: Io, registryDir: string, release: string, decision: string, options: { key: string; reason?: string; json?: boolean }): Promise<void> {
  const state = DECISIONS[decision];
  if (state === undefined) throw errors.registry.REVIEW_INVALID.create(`decision must be one of ${Object.keys(DECISIONS).join(', ')}, got "${decision}"`);
  const key = await readPrivateKeyFile(options.key);
  const entry = await releaseEntry(registryDir, release);
  const record = await reviewRelease(entry, state, key, options.reason);
  if (options.json) io.out(JSON.stringify({ ok: true, id: entry.id, version: entry.version, state: record.state, keyId: record.keyId }));
  else io.out(`${entry.id}@${entry.version} is now ${record.state} (reviewed by ${record.keyId})`);
}

/** `lpx plugin review`: approve, reject or revoke a release with a reviewer key. */
export function addPluginReviewCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('review')
    .description('approve, reject or revoke a release (a signed review record; revoke is final)')
    .argument('<registry-dir>', 'local registry folder')
    .argument('<release>', '<id>@<version>')
    .argument('<decision>', Object.keys(DECISIONS).join(' | '))
    .requiredOption('--key <file>', 'reviewer private key file')
    .option('--reason <text>', 'why (shown to operators)')
    .option('--json', 'print JSON')
    .action(async (registryDir: string, release: string, decision: string, options: { key: string; reason?: string; json?: boolean }) => {
      try {
        await runReview(io, registryDir, release, decision, options);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
