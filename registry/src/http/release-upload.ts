import { errors } from '@lpx/sdk';
import { ENTRY_FILES } from '../local-registry/layout.js';
import { inspectVerifiedTarball } from '../local-registry/install.js';
import { RECORD_FILES } from '../local-registry/release-records.js';
import type { ReleaseToStore } from '../local-registry/store-release.js';
import { validateManifest } from '../manifest/validate.js';
import { readTar } from '../tarball/tar-read.js';
import { writeTar } from '../tarball/tar-write.js';
import { gunzipPackage } from '../tarball/package-tarball.js';
import type { ReleaseSignature } from '../trust/contract.js';
import { assertSignaturesVerify } from '../trust/signatures.js';
import { sha512Integrity, verifyIntegrity } from '../verify/integrity.js';
import { checkSignatureList } from './record-shapes.js';

/** Media type of a PUT body: an uncompressed tar of the release files, named as in a registry folder. */
export const RELEASE_UPLOAD_TYPE = 'application/x-tar';

/** What a publish may carry. No review.json: a new release starts pending, reviews are a separate, admin-only write. */
const UPLOAD_FILES = new Set<string>([ENTRY_FILES.manifest, ENTRY_FILES.tarball, ENTRY_FILES.integrity, RECORD_FILES.signatures]);

export interface ReleaseUpload {
  readonly release: ReleaseToStore;
  readonly signatures: readonly ReleaseSignature[];
}

/** The PUT body for a release: the same files a registry folder holds, so the server stores what a local publish would. */
export function releaseUploadBody(release: { manifest: unknown; tgz: Buffer; integrity: string }, signatures: readonly ReleaseSignature[] = []): Buffer {
  const files: { path: string; content: Buffer }[] = [
    { path: ENTRY_FILES.manifest, content: Buffer.from(`${JSON.stringify(release.manifest, null, 2)}\n`) },
    { path: ENTRY_FILES.tarball, content: release.tgz },
    { path: ENTRY_FILES.integrity, content: Buffer.from(`${release.integrity}\n`) },
  ];
  if (signatures.length > 0) files.push({ path: RECORD_FILES.signatures, content: Buffer.from(JSON.stringify(signatures)) });
  return writeTar(files);
}

function json(content: Buffer, name: string, subject: string): unknown {
  try {
    return JSON.parse(content.toString('utf8')) as unknown;
  } catch (error) {
    throw errors.registry.PACKAGE_INVALID.create(`${subject}: ${name} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function uploadFiles(body: Buffer, subject: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readTar(body)) {
    if (!UPLOAD_FILES.has(entry.path)) {
      const hint = entry.path === RECORD_FILES.review ? ' (a new release starts pending; reviews are POSTed to .../reviews with an admin token)' : '';
      throw errors.registry.PACKAGE_INVALID.create(`${subject}: the upload holds "${entry.path}", which a publish may not carry${hint}; allowed: ${[...UPLOAD_FILES].join(', ')}`);
    }
    if (files.has(entry.path)) throw errors.registry.PACKAGE_INVALID.create(`${subject}: the upload holds "${entry.path}" twice`);
    files.set(entry.path, entry.content);
  }
  for (const required of [ENTRY_FILES.manifest, ENTRY_FILES.tarball, ENTRY_FILES.integrity]) {
    if (!files.has(required)) throw errors.registry.PACKAGE_INVALID.create(`${subject}: the upload has no ${required}`);
  }
  return files;
}

/**
 * Checks a PUT body completely before anything is stored: the tarball hashes
 * to the integrity sent with it, the manifest is valid, names the id and
 * version of the URL and equals the one inside the tarball, the package
 * follows the convention, and any signatures verify over this release.
 */
export function parseReleaseUpload(body: Buffer, id: string, version: string): ReleaseUpload {
  const subject = `publish of "${id}"@${version}`;
  const files = uploadFiles(body, subject);
  const tgz = files.get(ENTRY_FILES.tarball)!;
  verifyIntegrity(tgz, files.get(ENTRY_FILES.integrity)!.toString('utf8'), subject);
  const manifest = validateManifest(json(files.get(ENTRY_FILES.manifest)!, ENTRY_FILES.manifest, subject), { source: `${subject}: ${ENTRY_FILES.manifest}` });
  if (manifest.id !== id || manifest.version !== version) {
    throw errors.registry.PACKAGE_INVALID.create(`${subject}: ${ENTRY_FILES.manifest} describes "${manifest.id}"@${manifest.version}, not the id and version of the URL`);
  }
  try {
    inspectVerifiedTarball(tgz, manifest, `${subject}: ${ENTRY_FILES.tarball}`, ENTRY_FILES.manifest);
  } catch (error) {
    // Inside a request the mismatch is the client's package, not a broken registry entry.
    if (errors.registry.ENTRY_INVALID.is(error)) throw errors.registry.PACKAGE_INVALID.create(error.message, { cause: error });
    throw error;
  }
  const signaturesFile = files.get(RECORD_FILES.signatures);
  const signatures = signaturesFile === undefined ? [] : checkSignatureList(json(signaturesFile, RECORD_FILES.signatures, subject), subject);
  const integrity = sha512Integrity(tgz);
  assertSignaturesVerify({ id, version, integrity, manifest }, signatures);
  return { release: { manifest, tgz, tar: gunzipPackage(tgz), integrity }, signatures };
}
