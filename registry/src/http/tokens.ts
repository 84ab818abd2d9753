import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyRequest } from 'fastify';
import { errors } from '@lpx/sdk';

/** What a write needs: `publish` (releases, signatures), `review` (review records) or `revoke-key` (registry-wide key revocation). */
export type RegistryAction = 'publish' | 'review' | 'revoke-key';

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * A token file holds one token per line (blank lines and `#` comments
 * ignored), so an operator can give each publisher its own token and revoke
 * one by deleting its line and restarting.
 */
export async function readTokenFile(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw errors.config.INVALID.create(`cannot read token file ${path}: ${(error as Error).message}`, { cause: error });
  });
  const tokens = text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  if (tokens.length === 0) throw errors.config.INVALID.create(`token file ${path} holds no token`);
  return tokens;
}

/**
 * Bearer-token checks for the registry's writes. Publish tokens may publish
 * and add signatures; admin tokens may do that, post reviews and revoke keys. Tokens are
 * compared as sha256 digests in constant time. A registry with no tokens for
 * an action refuses it outright: read-only is the default.
 */
export class RegistryTokens {
  private readonly publish: Buffer[];
  private readonly admin: Buffer[];

  constructor(publishTokens: readonly string[], adminTokens: readonly string[]) {
    this.publish = publishTokens.map(digest);
    this.admin = adminTokens.map(digest);
  }

  authorize(request: FastifyRequest, action: RegistryAction): void {
    const adminOnly = action !== 'publish';
    const allowed = adminOnly ? this.admin : [...this.publish, ...this.admin];
    const what = { publish: 'publishes', review: 'reviews', 'revoke-key': 'key revocations' }[action];
    if (allowed.length === 0) {
      throw errors.registry.FORBIDDEN.create(`this registry takes no ${what}: it was started without ${adminOnly ? '--admin-token-file' : '--publish-token-file'}`);
    }
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (match === null) throw errors.registry.UNAUTHORIZED.create(`${request.method} ${request.url} needs "Authorization: Bearer <token>"`);
    const presented = digest(match[1]!);
    const known = (list: readonly Buffer[]) => list.some((token) => timingSafeEqual(token, presented));
    if (known(allowed)) return;
    if (known(this.publish)) throw errors.registry.FORBIDDEN.create(`a publish token cannot post ${what}; use an admin token`);
    throw errors.registry.UNAUTHORIZED.create(`the bearer token is not one this registry accepts`);
  }
}
