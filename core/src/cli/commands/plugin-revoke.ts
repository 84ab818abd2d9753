import { resolve } from 'node:path';
import type { Command } from 'commander';
import { errors } from '@lpx/sdk';
import { revokeKey } from '@lpx/registry';
import { reportError, type Io } from '../output.js';
import { runReview } from './plugin-review.js';

/**
 * `lpx plugin revoke`: revokes a release (a signed `revoked` review) or, given
 * a key id, a publisher key registry-wide (every release it signed stops
 * being trusted). Running nodes withdraw revoked plugins at their next refresh.
 */
export function addPluginRevokeCommand(group: Command, io: Io, setExit: (code: number) => void): void {
  group
    .command('revoke')
    .description('revoke a release (<id>@<version>, needs --key) or a publisher key (ed25519:… / eth:0x…) in a registry')
    .argument('<registry-dir>', 'local registry folder')
    .argument('<target>', '<id>@<version> or a key id')
    .option('--key <file>', 'reviewer private key file (to revoke a release)')
    .option('--reason <text>', 'why (shown to operators)')
    .option('--json', 'print JSON')
    .action(async (registryDir: string, target: string, options: { key?: string; reason?: string; json?: boolean }) => {
      try {
        if (/^(ed25519|eth):/.test(target)) {
          const record = await revokeKey(resolve(registryDir), target, options.reason ?? 'revoked');
          if (options.json) io.out(JSON.stringify({ ok: true, revokedKey: record.keyId }));
          else io.out(`key ${record.keyId} is revoked in ${resolve(registryDir)}; releases it signed are no longer trusted`);
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
