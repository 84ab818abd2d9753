/**
 * The key webhooks are signed with when the operator configured none: 32
 * random bytes created once and kept in the node's data dir (0600), so
 * signatures stay valid across restarts and receivers can be given the key.
 * Gateways sharing one Redis prefix share the delivery queue, so any of them
 * may send a delivery: such a fleet must configure gateway.webhooks.secret.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '@lpx/sdk';

export const SECRET_FILE = 'gateway-webhook-secret';

export interface WebhookSecret {
  readonly secret: string;
  /** Where it came from, for the start-up log line (never the value). */
  readonly source: 'config' | string;
}

export async function loadWebhookSecret(configured: string | undefined, dataDir: string): Promise<WebhookSecret> {
  if (configured !== undefined) return { secret: configured, source: 'config' };
  const file = join(dataDir, SECRET_FILE);
  try {
    await mkdir(dataDir, { recursive: true });
    try {
      const existing = (await readFile(file, 'utf8')).trim();
      if (existing.length < 16) throw new Error('it holds fewer than 16 characters');
      return { secret: existing, source: file };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const secret = randomBytes(32).toString('hex');
    // 'wx': two gateways starting on one data dir must not overwrite each other's key.
    try {
      await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { secret: (await readFile(file, 'utf8')).trim(), source: file };
      throw error;
    }
    await chmod(file, 0o600);
    return { secret, source: file };
  } catch (error) {
    throw errors.gateway.WEBHOOK_SECRET.create(`cannot read or create the webhook signing secret ${file}: ${(error as Error).message}`, { cause: error });
  }
}
