import type { Command } from 'commander';
import { describeRelease, REVIEW_STATES, type ReviewState, type TrustPolicy } from '@lpx/registry';
import { reportError, type Io } from '../output.js';
import { releaseEntry, reportLines } from './plugin-release-arg.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Trust keys given on the command line, as a node's registry.trust would; none = dev mode. */
export function cliPolicy(trustKeys: readonly string[], reviewerKeys: readonly string[], states: readonly string[]): TrustPolicy | undefined {
  if (trustKeys.length === 0) return undefined;
  return { publishers: trustKeys, ...(reviewerKeys.length > 0 ? { reviewers: reviewerKeys } : {}), ...(states.length > 0 ? { states: states as ReviewState[] } : {}) };
}

/** `lpx plugin verify`: signatures, review state, tarball and image digest, and the verdict a node with these trust keys would reach. */
export function addPluginVerifyCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('verify')
    .description('check a release: signatures, review state, tarball integrity and image digest, and whether a node trusting --trust-key would install it')
    .argument('<registry-dir>', 'local registry folder')
    .argument('<release>', '<id>@<version>')
    .option('--trust-key <keyId>', 'a publisher key id to trust (repeatable); none = dev mode', collect, [])
    .option('--reviewer-key <keyId>', 'a reviewer key id to trust (repeatable); default: the --trust-key keys', collect, [])
    .option('--state <state>', `review state to accept (repeatable; ${REVIEW_STATES.join(', ')}); default approved`, collect, [])
    .option('--json', 'print JSON')
    .action(async (registryDir: string, release: string, options: { trustKey: string[]; reviewerKey: string[]; state: string[]; json?: boolean }) => {
      try {
        const entry = await releaseEntry(registryDir, release);
        const report = await describeRelease(entry, cliPolicy(options.trustKey, options.reviewerKey, options.state), true);
        const ok = report.verdict.ok && report.content?.ok === true;
        if (options.json) io.out(JSON.stringify({ ok, ...report }));
        else io.out(reportLines(report).join('\n'));
        setExit(ok ? 0 : 1);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
