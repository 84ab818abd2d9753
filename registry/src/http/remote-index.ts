import semver from 'semver';
import { errors } from '@lpx/sdk';
import { pickVersion } from '../local-registry/resolve.js';
import { DEFAULT_METADATA_TIMEOUT_MS, remoteJson } from './remote-fetch.js';

export interface RemoteVersion {
  readonly version: string;
  readonly integrity: string;
}

/**
 * What `GET /v1/plugins/:id` lists, ascending: every version with the
 * integrity the registry holds for it. A listing without exact versions and
 * sha512 integrities is the registry's fault (REMOTE_FAILED).
 */
export async function remoteVersions(base: string, id: string, timeoutMs = DEFAULT_METADATA_TIMEOUT_MS): Promise<RemoteVersion[]> {
  const url = `${base}/v1/plugins/${id}`;
  const body = (await remoteJson(url, { timeoutMs })) as { versions?: unknown };
  const listed = Array.isArray(body.versions) ? (body.versions as Partial<RemoteVersion>[]) : undefined;
  const wellFormed = (v: Partial<RemoteVersion> | null): v is RemoteVersion =>
    typeof v?.version === 'string' && semver.valid(v.version) === v.version && typeof v.integrity === 'string' && v.integrity.startsWith('sha512-');
  if (listed === undefined || !listed.every(wellFormed)) {
    throw errors.registry.REMOTE_FAILED.create(`GET ${url} answered an index without a list of exact versions and their integrity`, { details: { url } });
  }
  return [...listed].sort((a, b) => semver.compare(a.version, b.version));
}

/** The release of `id` a range picks on an HTTP registry, with the same rule as a local resolve (`pickVersion`). */
export async function pickRemoteRelease(base: string, id: string, range: string, timeoutMs?: number): Promise<RemoteVersion & { id: string }> {
  const versions = await remoteVersions(base, id, timeoutMs);
  const version = pickVersion(id, range, versions.map((v) => v.version), base);
  return { id, version, integrity: versions.find((v) => v.version === version)!.integrity };
}
