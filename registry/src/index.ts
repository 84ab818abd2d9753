/**
 * @lpx/registry — the PLUGIN registry (which plugins exist, whether they are
 * compatible with this host, where their verified code comes from). Not the
 * runtime capability registry, which is a kernel service in core.
 */
export { checkHostCompatibility } from './manifest/compat.js';
export { hostGranted, imageGranted, normalizeImageRef, urlPort } from './manifest/grant-patterns.js';
export { describeFound, formatIssue, type ManifestIssue } from './manifest/issues.js';
export { MANIFEST_SCHEMA_COMMAND, MANIFEST_SCHEMA_PATH, manifestJsonSchema, renderManifestSchema } from './manifest/json-schema.js';
export { validateManifest, type ValidateManifestOptions } from './manifest/validate.js';
export { entryModulePath } from './package/entry-point.js';
export { collectPluginFiles } from './package/collect-files.js';
export { inspectPluginPackage, MANIFEST_FILE, type PluginPackage } from './package/plugin-package.js';
export { MAX_UNPACKED_BYTES, type PackageFile } from './tarball/package-tarball.js';
export { installResolvedPlugin, verifyEntry, type InstalledPlugin, type VerifiedPackage } from './local-registry/install.js';
export { ENTRY_FILES, type RegistryEntry } from './local-registry/layout.js';
export { publishToLocalRegistry, type PublishResult } from './local-registry/publish.js';
export { listRegistry, resolvePlugin } from './local-registry/resolve.js';
export { resolvePluginsForNode, type PluginRequest, type ResolvedPlugin, type ResolveForNodeOptions } from './resolve-for-node.js';
export * from './trust/contract.js';
export { listVersions, readEntry } from './local-registry/read-entry.js';
export { sha512Integrity, verifyIntegrity } from './verify/integrity.js';
export { packPluginFolder, type PackedPlugin } from './package/pack-folder.js';
export { storeRelease, type ReleaseToStore } from './local-registry/store-release.js';
export { pickVersion } from './local-registry/resolve.js';
export { appendRecord, claimedReviewState, readRecords, RECORD_FILES, REGISTRY_FILES } from './local-registry/release-records.js';
export { checkReviewShape, checkSignatureList } from './http/record-shapes.js';
export { createRegistryServer, serveRegistry, DEFAULT_MAX_PUBLISH_BYTES, type RegistryServerOptions, type ServedRegistry } from './http/registry-server.js';
export { readTokenFile } from './http/tokens.js';
export { registryBaseUrl } from './http/remote-fetch.js';
export { mirrorForNode, mirrorRegistryKeys, mirrorRelease, type MirrorOptions } from './http/mirror.js';
export { postReviewToHttpRegistry, publishToHttpRegistry, revokeKeyOnHttpRegistry, type HttpKeyRevocation, type HttpPublishOptions, type HttpPublishResult, type HttpReviewResult } from './http/publish-client.js';
export { pickRemoteRelease, type RemoteVersion } from './http/remote-index.js';
export { RELEASE_UPLOAD_TYPE, releaseUploadBody } from './http/release-upload.js';
export { cachedValidator, defaultValidatorCacheDir, validatorCacheFile } from './validation/cached-validator.js';
