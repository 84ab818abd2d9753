import semver from 'semver';
import { errors, PLUGIN_ID_PATTERN } from '@lpx/sdk';

const pluginIdRegex = new RegExp(PLUGIN_ID_PATTERN);

export interface ReleaseParams {
  readonly id: string;
  readonly version: string;
}

/**
 * Ids and versions from a URL become folder names, so they must be a plugin
 * id and an exact semver version before they touch a path (`..`, `%2e%2e`,
 * `a/b`, `1.0` all stop here). A read of something that cannot exist is a
 * 404; a write of it is a bad request.
 */
export function releaseParams(params: { id: string; version?: string }, use: 'read' | 'write'): ReleaseParams {
  const version = params.version ?? '';
  const refuse = (message: string) => (use === 'read' ? errors.registry.ENTRY_MISSING : errors.http.BAD_REQUEST).create(message);
  if (!pluginIdRegex.test(params.id)) throw refuse(`"${params.id}" is not a valid plugin id (expected ${PLUGIN_ID_PATTERN})`);
  if (params.version !== undefined && semver.valid(version) !== version) throw refuse(`"${version}" is not an exact semver version`);
  return { id: params.id, version };
}
