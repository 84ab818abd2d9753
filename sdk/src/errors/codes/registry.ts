import { defineErrors } from '../lpx-error.js';

export const registryErrors = defineErrors('REGISTRY', {
  ENTRY_MISSING: { status: 500, description: 'The plugin registry folder has no entry for this plugin id and version range.' },
  INTEGRITY_MISMATCH: { status: 500, description: 'A package tarball does not match the sha512 integrity recorded for it; nothing was imported.' },
  ENTRY_INVALID: { status: 500, description: 'A registry entry is malformed (missing manifest, tarball or integrity).' },
  PUBLISH_CONFLICT: { status: 500, description: 'An entry for this plugin id and version already exists with different content.' },
  PACKAGE_INVALID: { status: 500, description: 'A plugin folder or package tarball breaks the package convention (no package.json, no plugin.manifest.json, no entry module, unsafe paths).' },
  RESOLVE_FAILED: { status: 500, description: 'One or more plugins named by the node config could not be resolved, verified or installed; the message lists every failure and nothing was installed.' },
  SIGNATURE_INVALID: { status: 500, description: 'A release signature does not verify against its key, or covers other bytes than the tarball and manifest it came with (tampering).' },
  UNTRUSTED: { status: 500, description: 'No signature on the release is by a publisher key the operator\'s trust policy accepts (or the release is unsigned and the policy requires signatures).' },
  REVOKED: { status: 500, description: 'The release (or its publisher key) is revoked in the registry; it is not installed, and a running node withdraws it at the next refresh.' },
  NOT_APPROVED: { status: 500, description: 'The release\'s review state (pending, rejected) is not one the operator\'s trust policy accepts.' },
  IMAGE_DIGEST_MISMATCH: { status: 500, description: 'A container image archive in a package is not the digest its manifest pins.' },
  LOCKFILE_MISMATCH: { status: 500, description: 'The lockfile pins a version, integrity or image digest the registry no longer serves for that plugin; nothing was installed.' },
  LOCKFILE_INVALID: { status: 500, description: 'The plugin lockfile is not valid JSON of the expected shape.' },
  DEPENDENCIES_FAILED: { status: 500, description: 'A registry plugin\'s npm dependencies could not be installed from its lockfile (no package-lock.json, integrity mismatch, install error).' },
  KEY_INVALID: { status: 500, description: 'A publisher key file is unreadable, of an unknown algorithm, or not the key its id names.' },
  REMOTE_FAILED: { status: 502, description: 'An HTTP registry could not be reached or answered an error; the detail has the URL and status.' },
  UNAUTHORIZED: { status: 401, description: 'A write to an HTTP registry (publish, signature, review) carried no bearer token, or one the registry does not know.' },
  FORBIDDEN: { status: 403, description: 'An HTTP registry refused a write: the token is not allowed that action (a publish token posting a review), or the registry serves read-only (no token file configured).' },
  REVIEW_INVALID: { status: 400, description: 'A review (approve, reject, revoke) is malformed or signed by a key the registry does not accept as a reviewer.' },
});
