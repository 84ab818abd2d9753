import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errors, isLpxError } from '@lpx/sdk';
import { inspectVerifiedTarball } from '../local-registry/install.js';
import { assertPluginId, ENTRY_FILES, entryDir, isNodeError, stagingDir, type RegistryEntry } from '../local-registry/layout.js';
import { readEntry } from '../local-registry/read-entry.js';
import { RECORD_FILES, REGISTRY_FILES } from '../local-registry/release-records.js';
import { validateManifest } from '../manifest/validate.js';
import type { PluginRequest } from '../resolve-for-node.js';
import { sha512Digests, sha512Integrity, verifyIntegrity } from '../verify/integrity.js';
import { DEFAULT_DOWNLOAD_TIMEOUT_MS, DEFAULT_MAX_DOWNLOAD_BYTES, DEFAULT_METADATA_TIMEOUT_MS, registryBaseUrl, remoteBody, remoteJson, remoteRequest } from './remote-fetch.js';
import { pickRemoteRelease } from './remote-index.js';
import { publisherFileName as keyFileName } from '../trust/publishers.js';

export interface MirrorOptions {
  /** Index, metadata and small files; default 30 s each. */
  readonly timeoutMs?: number;
  /** package.tgz; default 5 min. */
  readonly downloadTimeoutMs?: number;
  /** Largest package.tgz taken; default 128 MiB (what a registry accepts on publish by default). */
  readonly maxDownloadBytes?: number;
}

async function fetchFile(url: string, timeoutMs: number, optional: boolean, maxBytes?: number): Promise<Buffer | undefined> {
  const response = await remoteRequest(url, { timeoutMs, allow404: optional });
  return response === undefined ? undefined : remoteBody(response, url, maxBytes);
}

/**
 * Downloads one release, checks it completely in memory (tarball against its
 * integrity, manifest valid and equal to the one inside the tarball), and only
 * then writes it to a staging folder that is renamed into place. A release
 * that fails any check leaves nothing behind in the mirror.
 */
async function downloadRelease(base: string, id: string, version: string, mirrorDir: string, options: MirrorOptions): Promise<void> {
  const releaseUrl = `${base}/v1/plugins/${id}/${version}`;
  const subject = `plugin "${id}"@${version} from ${releaseUrl}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS;
  const [manifestBytes, integrityBytes, signatures, review] = await Promise.all([
    fetchFile(`${releaseUrl}/${ENTRY_FILES.manifest}`, timeoutMs, false),
    fetchFile(`${releaseUrl}/${ENTRY_FILES.integrity}`, timeoutMs, false),
    fetchFile(`${releaseUrl}/${RECORD_FILES.signatures}`, timeoutMs, true),
    fetchFile(`${releaseUrl}/${RECORD_FILES.review}`, timeoutMs, true),
  ]);
  const integrity = integrityBytes!.toString('utf8').trim();
  sha512Digests(integrity);
  const target = entryDir(mirrorDir, id, version);
  const held = await refuseChangedRelease(target, integrity, subject);

  // Re-mirroring a release already held (every boot) only refreshes its records: the
  // tarball is reused when it still hashes to the integrity, else fetched again.
  const cached = held === undefined ? undefined : await readFile(join(target, ENTRY_FILES.tarball)).catch(() => undefined);
  const reusable = cached !== undefined && sha512Digests(integrity).includes(sha512Integrity(cached));
  const tgz = reusable ? cached : (await fetchFile(`${releaseUrl}/${ENTRY_FILES.tarball}`, options.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS, false, options.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES))!;
  verifyIntegrity(tgz, integrity, subject);
  let manifestJson: unknown;
  try {
    manifestJson = JSON.parse(manifestBytes!.toString('utf8'));
  } catch (error) {
    throw errors.registry.ENTRY_INVALID.create(`${subject}: ${ENTRY_FILES.manifest} is not valid JSON`, { cause: error });
  }
  const manifest = validateManifest(manifestJson, { source: `${releaseUrl}/${ENTRY_FILES.manifest}` });
  if (manifest.id !== id || manifest.version !== version) {
    throw errors.registry.ENTRY_INVALID.create(`${subject}: its manifest describes "${manifest.id}"@${manifest.version}`);
  }
  inspectVerifiedTarball(tgz, manifest, subject, `${releaseUrl}/${ENTRY_FILES.manifest}`);

  const files: [string, Buffer | undefined][] = [
    [ENTRY_FILES.manifest, manifestBytes],
    [ENTRY_FILES.integrity, integrityBytes],
    [ENTRY_FILES.tarball, tgz],
    [RECORD_FILES.signatures, signatures],
    [RECORD_FILES.review, review],
  ];
  await writeFolder(target, version, files);
}

/**
 * Published versions are immutable. If the mirror already holds this version
 * with other bytes, the registry changed a release after the fact: refuse
 * rather than silently follow it.
 */
async function refuseChangedRelease(target: string, integrity: string, subject: string): Promise<string | undefined> {
  const held = await readFile(join(target, ENTRY_FILES.integrity), 'utf8').then((text) => text.trim(), (error: unknown) => {
    if (isNodeError(error, 'ENOENT', 'ENOTDIR')) return undefined;
    throw error;
  });
  if (held === undefined || held === integrity) return held;
  throw errors.registry.INTEGRITY_MISMATCH.create(
    `${subject}: the registry now serves integrity ${integrity} for a version this mirror holds as ${held}; published versions are immutable, so the registry's copy is not trusted (remove ${target} to accept it)`,
    { details: { expected: held, actual: integrity } },
  );
}

/** Writes `files` to a staging folder and swaps it in for `target` (replacing an older copy of the same release). */
async function writeFolder(target: string, label: string, files: readonly [string, Buffer | undefined][]): Promise<void> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const staging = stagingDir(parent, label);
  const aside = stagingDir(parent, `${label}-old`);
  try {
    await mkdir(staging);
    for (const [name, content] of files) if (content !== undefined) await writeFile(join(staging, name), content);
    const hadOld = await rename(target, aside).then(() => true, (error: unknown) => {
      if (isNodeError(error, 'ENOENT')) return false;
      throw error;
    });
    await rename(staging, target);
    if (hadOld) await rm(aside, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Mirrors the best version of `id` satisfying `range` (same rule as the local
 * resolve) from the HTTP registry at `url` into `<mirrorDir>/<id>/<version>/`,
 * with its signatures and reviews, and returns the mirrored entry. Trust and
 * install then read the mirror as a local registry folder.
 */
export async function mirrorRelease(url: string, id: string, range: string, mirrorDir: string, options: MirrorOptions = {}): Promise<RegistryEntry> {
  assertPluginId(id);
  const base = registryBaseUrl(url);
  const { version } = await pickRemoteRelease(base, id, range, options.timeoutMs);
  await downloadRelease(base, id, version, mirrorDir, options);
  return readEntry(mirrorDir, id, version);
}

/** The registry folder's own file name for a key id; an unsafe id from the network is the registry's fault. */
function publisherFileName(keyId: string, url: string): string {
  try {
    return keyFileName(keyId);
  } catch (error) {
    throw errors.registry.REMOTE_FAILED.create(`GET ${url} listed a publisher key id ${JSON.stringify(keyId)} that is not a safe file name`, { cause: error, details: { url } });
  }
}

/** The registry-wide trust inputs: revoked keys and known publisher keys, replaced as a whole each time. */
export async function mirrorRegistryKeys(url: string, mirrorDir: string, options: MirrorOptions = {}): Promise<void> {
  const base = registryBaseUrl(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS;
  const [revoked, publishers] = await Promise.all([remoteJson(`${base}/v1/keys/revoked`, { timeoutMs }), remoteJson(`${base}/v1/publishers`, { timeoutMs })]);
  if (!Array.isArray(revoked) || !revoked.every((k: { keyId?: unknown }) => typeof k?.keyId === 'string')) {
    throw errors.registry.REMOTE_FAILED.create(`GET ${base}/v1/keys/revoked did not answer a JSON array of {keyId, reason, at}`, { details: { url: `${base}/v1/keys/revoked` } });
  }
  if (!Array.isArray(publishers) || !publishers.every((p: { keyId?: unknown }) => typeof p?.keyId === 'string')) {
    throw errors.registry.REMOTE_FAILED.create(`GET ${base}/v1/publishers did not answer a JSON array of key records`, { details: { url: `${base}/v1/publishers` } });
  }
  const publisherFiles = publishers.map((record: { keyId: string }): [string, Buffer] => [publisherFileName(record.keyId, `${base}/v1/publishers`), Buffer.from(`${JSON.stringify(record, null, 2)}\n`)]);
  await mkdir(mirrorDir, { recursive: true });
  const revokedPath = join(mirrorDir, REGISTRY_FILES.revokedKeys);
  await writeFile(`${revokedPath}.tmp`, `${JSON.stringify(revoked, null, 2)}\n`);
  await rename(`${revokedPath}.tmp`, revokedPath);
  await writeFolder(
    join(mirrorDir, REGISTRY_FILES.publishers),
    'publishers',
    publisherFiles,
  );
}

/** Every failed request in one coded error, worded like the local resolve's, so the operator fixes all of them at once. */
function mirrorFailure(url: string, failed: readonly { request: PluginRequest; error: Error }[], total: number): Error {
  const describe = (error: Error) => `${isLpxError(error) ? `${error.code}: ` : ''}${error.message}`;
  return errors.registry.RESOLVE_FAILED.create(
    `${failed.length} of ${total} plugin(s) named by the node config could not be mirrored from ${url}; nothing was installed:\n` +
      failed.map(({ request, error }) => `  - "${request.id}" (${request.version}): ${describe(error).replace(/\n/g, '\n    ')}`).join('\n'),
    {
      cause: new AggregateError(failed.map((f) => f.error), 'plugin mirroring failed'),
      details: { url, failures: failed.map(({ request, error }) => ({ id: request.id, range: request.version, code: isLpxError(error) ? error.code : undefined, message: error.message })) },
    },
  );
}

/**
 * Mirrors every plugin a node config asks for, plus the registry's keys, so
 * the node then resolves, checks trust and installs from `mirrorDir` exactly
 * as from a local registry. Every failure is reported together (like the
 * local resolve); a release that failed leaves nothing in the mirror.
 */
export async function mirrorForNode(url: string, requests: readonly PluginRequest[], mirrorDir: string, options: MirrorOptions = {}): Promise<RegistryEntry[]> {
  // A plugin named twice is mirrored once; the resolve that follows reports the duplicate.
  const unique = requests.filter((request, index) => requests.findIndex((other) => other.id === request.id) === index);
  const settled = await Promise.allSettled(unique.map((request) => mirrorRelease(url, request.id, request.version, mirrorDir, options)));
  const failed = settled.flatMap((result, index) => (result.status === 'rejected' ? [{ request: unique[index]!, error: result.reason as Error }] : []));
  if (failed.length > 0) throw mirrorFailure(url, failed, unique.length);
  await mirrorRegistryKeys(url, mirrorDir, options);
  return settled.map((result) => (result as PromiseFulfilledResult<RegistryEntry>).value);
}
