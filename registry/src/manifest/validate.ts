import type { ValidateFunction } from 'ajv';
import { errors, type PluginManifest } from '@lpx/sdk';
import { formatIssue, issuesFromAjv, type ManifestIssue } from './issues.js';
import { manifestJsonSchema } from './json-schema.js';
import { semanticIssues } from './semantic-checks.js';
import { cachedValidator } from '../validation/cached-validator.js';

export interface ValidateManifestOptions {
  /** Where the manifest came from (a file path, a registry entry), for the message. */
  readonly source?: string;
}

let compiled: ValidateFunction | undefined;

/**
 * Compiled once, lazily. `strict: false` because TypeBox emits annotations
 * (`$id`, `title`, `description`, `default`) and ajv's strict mode is aimed at
 * hand-written schemas; `verbose` gives the formatter the failing sub-schema.
 * The compiled code is cached on disk across starts (ADR 0063).
 */
function manifestValidator(): ValidateFunction {
  compiled ??= cachedValidator({ strict: false, allErrors: true, verbose: true }, manifestJsonSchema());
  return compiled;
}

/**
 * Checks a manifest before any of the plugin's code runs: the schema first,
 * then the rules a schema cannot say. Throws `LPX_ERR_PLUGIN_MANIFEST_INVALID`
 * listing every problem at once, so an author fixes them in one pass.
 */
export function validateManifest(value: unknown, options: ValidateManifestOptions = {}): PluginManifest {
  const validate = manifestValidator();
  const issues: ManifestIssue[] = validate(value) ? semanticIssues(value as PluginManifest) : issuesFromAjv(validate.errors, value);
  if (issues.length === 0) return value as PluginManifest;
  throw errors.plugin.MANIFEST_INVALID.create(invalidMessage(value, issues, options.source), {
    details: { issues, ...(options.source === undefined ? {} : { source: options.source }) },
  });
}

function invalidMessage(value: unknown, issues: readonly ManifestIssue[], source: string | undefined): string {
  const id = typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined;
  const subject = `plugin manifest${typeof id === 'string' ? ` "${id}"` : ''}${source === undefined ? '' : ` (${source})`}`;
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return `${subject} is invalid, ${count}:\n${issues.map((issue) => `  - ${formatIssue(issue)}`).join('\n')}`;
}
