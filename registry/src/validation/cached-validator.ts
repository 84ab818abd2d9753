/**
 * ajv validators compiled once per schema, not once per start (ADR 0063). Compiling the kernel's
 * config schema and the manifest schema costs ≈ 0.3 s of every `lpx start` / `lpx config check`;
 * ajv's standalone code for a schema is written to a cache file named by a hash of the ajv
 * version, the options and the schema, and later starts load that code instead. A changed schema
 * is a different file, so a stale validator cannot be picked up; an unreadable or broken file is
 * compiled again.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv as AjvClass, Options, ValidateFunction } from 'ajv';

// ajv (the compiler) loads only on a cache miss; cached code requires its small runtime helpers itself.
const require = createRequire(import.meta.url);
const FORMAT = 1;

/** `LPX_VALIDATOR_CACHE`: a folder, or `off`; else node_modules/.cache/lpx/validators at the repository root. */
export function defaultValidatorCacheDir(): string | undefined {
  const setting = process.env.LPX_VALIDATOR_CACHE;
  if (setting === 'off' || setting === '0') return undefined;
  if (setting !== undefined && setting !== '') return setting;
  return fileURLToPath(new URL('../../../node_modules/.cache/lpx/validators/', import.meta.url));
}

/** The cache file a validator for these options and this schema lives in. */
export function validatorCacheFile(options: Options, schema: object, dir: string): string {
  const version = (require('ajv/package.json') as { version: string }).version;
  const key = createHash('sha256').update(JSON.stringify({ format: FORMAT, ajv: version, options, schema })).digest('hex');
  return join(dir, `${key.slice(0, 40)}.cjs`);
}

/**
 * `new Ajv(options).compile(schema)`, from the cache when it holds this schema. `dir` undefined
 * (or LPX_VALIDATOR_CACHE=off) compiles every time. Options must be plain data (no functions).
 */
export function cachedValidator(options: Options, schema: object, dir: string | undefined = defaultValidatorCacheDir()): ValidateFunction {
  if (dir === undefined) return compile(options, schema, false).validate;
  const file = validatorCacheFile(options, schema, dir);
  const cached = load(file);
  if (cached !== undefined) return cached;
  const { validate, code } = compile(options, schema, true);
  if (code === undefined) return validate;
  try {
    mkdirSync(dir, { recursive: true });
    // Written whole then renamed: a concurrent start never reads half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  } catch {
    // A read-only cache only means compiling again next time.
  }
  return validate;
}

function compile(options: Options, schema: object, withCode: boolean): { validate: ValidateFunction; code?: string } {
  const { Ajv } = require('ajv') as { Ajv: typeof AjvClass };
  const ajv = new Ajv({ ...options, ...(withCode ? { code: { source: true } } : {}) });
  const validate = ajv.compile(schema);
  if (!withCode) return { validate };
  const standaloneCode = (require('ajv/dist/standalone') as { default: (ajv: AjvClass, validate: ValidateFunction) => string }).default;
  try {
    return { validate, code: standaloneCode(ajv, validate) };
  } catch {
    // A schema ajv compiles but cannot emit standalone (a custom keyword with a function) is just not cached.
    return { validate };
  }
}

function load(file: string): ValidateFunction | undefined {
  let code: string;
  try {
    code = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const module = { exports: {} as unknown };
    // The way ajv itself turns generated code into a function; the code is ajv's own output, written by this module.
    new Function('require', 'module', 'exports', code)(require, module, module.exports);
    return typeof module.exports === 'function' ? (module.exports as ValidateFunction) : undefined;
  } catch {
    return undefined;
  }
}
