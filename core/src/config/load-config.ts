import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { errors } from '@lpx/sdk';
import { KernelConfigSchema, type KernelConfig } from './kernel-schema.js';
import { applySetOverride, environmentOverrides, leafPaths } from './overrides.js';
import { compileSchema, describeProblems } from './schema-validator.js';

export interface LoadedConfig {
  readonly config: KernelConfig;
  /** Absolute path of the file, or undefined for embedded defaults. */
  readonly file: string | undefined;
  /** Relative plugin module paths and the data dir resolve against this. */
  readonly baseDir: string;
}

export interface LoadConfigOptions {
  file?: string;
  /** Raw object used instead of a file (tests, embedded defaults). */
  raw?: Record<string, unknown>;
  sets?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

const validateKernel = compileSchema(KernelConfigSchema);
const kernelLeafPaths = leafPaths(KernelConfigSchema as never);

/** file → LPX_* env → --set, then validated; unknown keys are errors. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const file = options.file === undefined ? undefined : resolve(options.file);
  const raw = structuredClone(options.raw ?? (file ? readConfigFile(file) : {}));
  for (const assignment of environmentOverrides(options.env ?? process.env, kernelLeafPaths)) applySetOverride(raw, assignment, 'environment', KernelConfigSchema);
  for (const assignment of options.sets ?? []) applySetOverride(raw, assignment, '--set', KernelConfigSchema);
  const label = file ?? 'config';
  refuseUnsupportedRoles(raw, label);
  if (!validateKernel(raw)) {
    const problems = describeProblems(validateKernel.errors, raw);
    const unknown = problems.find((p) => p.kind === 'unknown-key');
    const code = unknown ? errors.config.UNKNOWN_KEY : errors.config.INVALID;
    throw code.create(`${label}: ${problems.map((p) => p.message).join('; ')}`, { details: { problems } });
  }
  return { config: raw as unknown as KernelConfig, file, baseDir: file ? dirname(file) : process.cwd() };
}

/** A role the schema dropped gets its own code and the reason, not a bare "expected one of". */
function refuseUnsupportedRoles(raw: Record<string, unknown>, label: string): void {
  const roles = (raw['node'] as { roles?: unknown } | undefined)?.roles;
  if (Array.isArray(roles) && roles.includes('signer')) {
    throw errors.config.ROLE_UNSUPPORTED.create(
      `${label}: node.roles: "signer" is not supported: lpx does not implement go-livepeer's remote signer protocol (/sign-orchestrator-info, /generate-live-payment); run a go-livepeer -remoteSigner node for that, and remove "signer" here (ADR 0059)`,
      { details: { role: 'signer' } },
    );
  }
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw errors.config.FILE_UNREADABLE.create(`cannot read config file ${file}: ${(cause as Error).message}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw errors.config.PARSE.create(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(cause as Error).message}`, { cause });
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw errors.config.INVALID.create(`${file}: (root): expected an object of settings, found ${Array.isArray(parsed) ? 'array' : typeof parsed}`);
  }
  return parsed as Record<string, unknown>;
}

/** Validates one plugin's config slice against its manifest schema, applying defaults. */
export function validatePluginConfig(pluginId: string, schema: object | undefined, value: unknown): Record<string, unknown> {
  const slice = structuredClone((value ?? {}) as Record<string, unknown>);
  const base = `plugins.${pluginId}.config`;
  if (!schema) {
    const keys = Object.keys(slice);
    if (keys.length > 0) throw errors.config.UNKNOWN_KEY.create(`unknown key "${base}.${keys[0]}": plugin ${pluginId} declares no config`);
    return slice;
  }
  const validate = compileSchema(schema);
  if (!validate(slice)) {
    const problems = describeProblems(validate.errors, slice, base);
    const unknown = problems.find((p) => p.kind === 'unknown-key');
    throw (unknown ? errors.config.UNKNOWN_KEY : errors.config.INVALID).create(problems.map((p) => p.message).join('; '), { details: { problems } });
  }
  return slice;
}
