import { defineErrors } from '../lpx-error.js';

export const registryErrors = defineErrors('REGISTRY', {
  ENTRY_MISSING: { status: 500, description: 'The plugin registry folder has no entry for this plugin id and version range.' },
  INTEGRITY_MISMATCH: { status: 500, description: 'A package tarball does not match the sha512 integrity recorded for it; nothing was imported.' },
  ENTRY_INVALID: { status: 500, description: 'A registry entry is malformed (missing manifest, tarball or integrity).' },
  PUBLISH_CONFLICT: { status: 500, description: 'An entry for this plugin id and version already exists with different content.' },
  PACKAGE_INVALID: { status: 500, description: 'A plugin folder or package tarball breaks the package convention (no package.json, no plugin.manifest.json, no entry module, unsafe paths).' },
  RESOLVE_FAILED: { status: 500, description: 'One or more plugins named by the node config could not be resolved, verified or installed; the message lists every failure and nothing was installed.' },
});
