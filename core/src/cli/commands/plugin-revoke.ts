import { resolve } from 'node:path';
import type { Command } from 'commander';
import { errors } from '@lpx/sdk';
import { revokeKey, revokeKeyOnHttpRegistry } from '@lpx/registry';
import { reportError, type Io } from '../output.js';
import { runReview } from './plugin-review.js';
import { isRegistryUrl, REGISTRY_TOKEN_ENV, registryToken } from './registry-token.js';

/**
 * `lpx plugin revoke`: revokes a release (a signed `revoked` review) or, given
 * a key id, a publisher key registry-wide (every release it signed stops
 * being trusted). Running nodes withdraw revoked plugins at their next refresh.
 */
export function addPluginRevokeCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('revoke')
    .description('revoke a release (<id>@<version>, needs --key) or a publisher key (ed25519:… / eth:0x…) in a registry')
    .argument('<registry>', 'local registry folder, or http(s) URL of an `lpx registry serve` (needs an admin token)')
    .argument('<target>', '<id>@<version> or a key id')
    .option('--key <file>', 'reviewer private key file (to revoke a release)')
    .option('--reason <text>', 'why (shown to operators)')
    .option('--token-file <file>', `file holding an admin token (HTTP registries; default: $${REGISTRY_TOKEN_ENV})`)
    .option('--json', 'print JSON')
    .action(async (registryDir: string, target: string, options: { key?: string; reason?: string; tokenFile?: string; json?: boolean }) => {
      try {
        if (/^(ed25519|eth):/.test(target)) {
          const remote = isRegistryUrl(registryDir);
          const where = remote ? registryDir : resolve(registryDir);
          const record = remote
            ? await revokeKeyOnHttpRegistry(registryDir, target, { token: await registryToken(options.tokenFile, registryDir, 'revoking a key on'), ...(options.reason === undefined ? {} : { reason: options.reason }) })
            : await revokeKey(where, target, options.reason ?? 'revoked');
          if (options.json) io.out(JSON.stringify({ ok: true, revokedKey: record.keyId }));
          else io.out(`key ${record.keyId} is revoked in ${where}; releases it signed are no longer trusted`);
        } else {
          if (options.key === undefined) throw errors.registry.REVIEW_INVALID.create('revoking a release needs --key <reviewer key file>');
          await runReview(io, registryDir, target, 'revoke', { ...options, key: options.key });
        }
        setExit(0);
      } catch (error) {
        setExit(reportError(io, error, options.json === true));
      }
    });
}
