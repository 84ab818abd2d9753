import type { Command } from 'commander';
import { readPrivateKeyFile, signRelease } from '@lpx/registry';
import { reportError, type Io } from '../output.js';
import { releaseEntry } from './plugin-release-arg.js';

/** `lpx plugin sign`: adds the key's signature over a release's tarball, manifest and image digests. */
export function addPluginSignCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('sign')
    .description('sign a published release (tarball integrity, manifest and image digests) with a publisher key')
    .argument('<registry-dir>', 'local registry folder')
    .argument('<release>', '<id>@<version>')
    .requiredOption('--key <file>', 'private key file (lpx plugin keygen)')
    .option('--json', 'print JSON')
    .action(async (registryDir: string, release: string, options: { key: string; json?: boolean }) => {
      try {
        const key = await readPrivateKeyFile(options.key);
        const entry = await releaseEntry(registryDir, release);
        const signature = await signRelease(entry, key);
        if (options.json) io.out(JSON.stringify({ ok: true, id: entry.id, version: entry.version, keyId: signature.keyId }));
        else io.out(`signed ${entry.id}@${entry.version} as ${signature.keyId}`);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
