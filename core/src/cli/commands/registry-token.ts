import { errors } from '@lpx/sdk';
import { readTokenFile } from '@lpx/registry';

export const REGISTRY_TOKEN_ENV = 'LPX_REGISTRY_TOKEN';

/**
 * The bearer token for a write to an HTTP registry: `--token-file` (its first
 * token), else $LPX_REGISTRY_TOKEN; never a command-line argument, which `ps`
 * would show. `what` names the write for the refusal ("publishing to").
 */
export async function registryToken(tokenFile: string | undefined, registry: string, what: string): Promise<string> {
  if (tokenFile !== undefined) return (await readTokenFile(tokenFile))[0]!;
  const fromEnv = process.env[REGISTRY_TOKEN_ENV];
  if (fromEnv) return fromEnv;
  throw errors.registry.UNAUTHORIZED.create(`${what} ${registry} needs a token: pass --token-file <file> or set ${REGISTRY_TOKEN_ENV}`);
}

/** `--registry` takes a folder or the URL of an `lpx registry serve`. */
export function isRegistryUrl(registry: string): boolean {
  return /^https?:\/\//i.test(registry);
}
