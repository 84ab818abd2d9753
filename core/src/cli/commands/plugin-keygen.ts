import { resolve } from 'node:path';
import type { Command } from 'commander';
import { errors } from '@lpx/sdk';
import { generateKey, KEY_ALGORITHMS, writePrivateKeyFile, type KeyAlgorithm } from '@lpx/registry';
import { reportError, type Io } from '../output.js';

/** `lpx plugin keygen`: a publisher or reviewer key, written 0600. */
export function addPluginKeygenCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('keygen')
    .description('create a publisher/reviewer key (ed25519, or secp256k1 to sign as an Ethereum account)')
    .requiredOption('--out <file>', 'where to write the private key file (created 0600, never overwritten)')
    .option('--algorithm <algorithm>', `${KEY_ALGORITHMS.join(' | ')}`, 'ed25519')
    .option('--name <name>', 'who the key belongs to, for humans')
    .option('--json', 'print JSON')
    .action(async (options: { out: string; algorithm: string; name?: string; json?: boolean }) => {
      try {
        if (!KEY_ALGORITHMS.includes(options.algorithm as KeyAlgorithm)) {
          throw errors.registry.KEY_INVALID.create(`--algorithm must be one of ${KEY_ALGORITHMS.join(', ')}, got "${options.algorithm}"`);
        }
        const key = generateKey(options.algorithm as KeyAlgorithm, options.name);
        const out = resolve(options.out);
        await writePrivateKeyFile(out, key);
        if (options.json) io.out(JSON.stringify({ ok: true, keyId: key.keyId, algorithm: key.algorithm, publicKey: key.publicKey, file: out }));
        else io.out(`${key.keyId}\nwrote ${out} (keep it secret; operators trust the key id above in registry.trust.publishers)`);
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
