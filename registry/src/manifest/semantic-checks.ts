import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, Options } from 'ajv';
import semver from 'semver';
import { PLUGIN_ID_PATTERN, type PluginManifest } from '@lpx/sdk';
import { describeFound, issuesFromAjv, joinPointer, type ManifestIssue } from './issues.js';
import { permissionIssues } from './permission-checks.js';
import { cachedValidator, defaultValidatorCacheDir, validatorCacheFile } from '../validation/cached-validator.js';

// ajv is required only when a config schema has not been checked before (ADR 0063).
const require = createRequire(import.meta.url);
const CONFIG_SCHEMA_OPTIONS: Options = { strict: false, allErrors: true, verbose: true };

const pluginIdRegex = new RegExp(PLUGIN_ID_PATTERN);

/**
 * Rules JSON Schema cannot express. They run only on a manifest that already
 * matches the schema, so the shapes below are guaranteed.
 */
export function semanticIssues(manifest: PluginManifest): ManifestIssue[] {
  return [...hostRangeIssues(manifest), ...requiredPluginIssues(manifest), ...capabilityIdIssues(manifest), ...configSchemaIssues(manifest), ...permissionIssues(manifest)];
}

function hostRangeIssues(manifest: PluginManifest): ManifestIssue[] {
  if (semver.validRange(manifest.host) !== null) return [];
  return [{ path: '/host', expected: 'a valid semver range such as "^0.1.0"', found: describeFound(manifest.host) }];
}

function requiredPluginIssues(manifest: PluginManifest): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  for (const [id, range] of Object.entries(manifest.requires?.plugins ?? {})) {
    const path = joinPointer('/requires/plugins', id);
    // The schema's record admits any key (TypeBox emits no additionalProperties for it), so ids are checked here.
    if (!pluginIdRegex.test(id)) issues.push({ path, expected: `a plugin id matching ${PLUGIN_ID_PATTERN}`, found: `key "${id}"` });
    if (id === manifest.id) issues.push({ path, expected: 'another plugin (a plugin cannot require itself)', found: `its own id "${id}"` });
    if (semver.validRange(range) === null) issues.push({ path, expected: 'a valid semver range', found: describeFound(range) });
  }
  return issues;
}

/** The capability registry keys by id, so a second declaration would silently shadow the first. */
function capabilityIdIssues(manifest: PluginManifest): ManifestIssue[] {
  const firstIndex = new Map<string, number>();
  const issues: ManifestIssue[] = [];
  (manifest.capabilities ?? []).forEach((capability, index) => {
    const first = firstIndex.get(capability.id);
    if (first === undefined) {
      firstIndex.set(capability.id, index);
      return;
    }
    issues.push({
      path: `/capabilities/${index}/id`,
      expected: `a capability id not already declared at /capabilities/${first}/id`,
      found: describeFound(capability.id),
    });
  });
  return issues;
}

/**
 * The config schema is compiled by the kernel at boot to validate the operator's
 * config slice; a broken schema must fail here, naming the manifest, not later
 * as a confusing config error.
 */
function configSchemaIssues(manifest: PluginManifest): ManifestIssue[] {
  if (manifest.config === undefined) return [];
  // A schema that compiled before has a cached validator: it is valid, and ajv need not load.
  const cacheDir = defaultValidatorCacheDir();
  if (cacheDir !== undefined && existsSync(validatorCacheFile(CONFIG_SCHEMA_OPTIONS, manifest.config, cacheDir))) return [];
  // A fresh instance per manifest: two plugins may reuse the same `$id`.
  const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
  const ajv = new Ajv(CONFIG_SCHEMA_OPTIONS);
  if (!ajv.validateSchema(manifest.config)) {
    return issuesFromAjv(ajv.errors, manifest.config, '/config').map((issue) => ({
      ...issue,
      expected: `${issue.expected} (the config schema must itself be valid JSON Schema)`,
    }));
  }
  try {
    // Compiled through the cache, so the next start skips both checks.
    cachedValidator(CONFIG_SCHEMA_OPTIONS, manifest.config, cacheDir);
    return [];
  } catch (error) {
    // Meta-valid but uncompilable, e.g. a `$ref` that points nowhere.
    return [{ path: '/config', expected: 'a JSON Schema ajv can compile', found: `an error: ${(error as Error).message}` }];
  }
}
