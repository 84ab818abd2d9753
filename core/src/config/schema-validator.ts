import type { ErrorObject, ValidateFunction } from 'ajv';
import { cachedValidator } from '@lpx/registry';

/** The kernel's ajv options: defaults applied, every error collected. */
const AJV_OPTIONS = { allErrors: true, useDefaults: true, strict: false, coerceTypes: false };

export interface SchemaProblem {
  /** JSON-pointer-like path with dots: `http.port`, `plugins.echo.config.greeting`. */
  readonly path: string;
  readonly kind: 'unknown-key' | 'invalid';
  readonly message: string;
}

/** Compiled once per schema and cached on disk across starts (ADR 0063). */
export function compileSchema(schema: object): ValidateFunction {
  return cachedValidator(AJV_OPTIONS, closeObjects(schema) as object);
}

/**
 * Unknown keys must be errors even when a plugin author forgot
 * `additionalProperties: false`: close every object schema that declares
 * properties and leaves the question open.
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = closeObjects(value);
  if (out.type === 'object' && out.properties !== undefined && out.additionalProperties === undefined && out.patternProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

export function describeProblems(errors: readonly ErrorObject[] | null | undefined, root: unknown, basePath = ''): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const error of errors ?? []) {
    const segments = error.instancePath.split('/').slice(1).map(unescapePointer);
    const at = join(basePath, segments.join('.'));
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as { additionalProperty: string }).additionalProperty);
      problems.push({ path: join(at, key), kind: 'unknown-key', message: `unknown key "${join(at, key)}"` });
      continue;
    }
    if (error.keyword === 'anyOf' || error.keyword === 'if') continue; // the branch errors say more
    const found = describeValue(valueAt(root, segments));
    problems.push({ path: at || '(root)', kind: 'invalid', message: `${at || '(root)'}: expected ${expectation(error)}, found ${found}` });
  }
  return dedupe(problems);
}

function expectation(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return String(params.type);
    case 'const':
      return JSON.stringify(params.allowedValue);
    case 'enum':
      return `one of ${JSON.stringify(params.allowedValues)}`;
    case 'required':
      return `property "${String(params.missingProperty)}" to be present`;
    case 'pattern':
      return `a string matching ${String(params.pattern)}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `a number ${String(params.comparison)} ${String(params.limit)}`;
    default:
      return `a value that ${error.message ?? 'matches the schema'}`;
  }
}

function valueAt(root: unknown, segments: string[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  const shown = json.length > 60 ? `${json.slice(0, 57)}...` : json;
  return `${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value} ${shown}`;
}

function join(a: string, b: string): string {
  return a && b ? `${a}.${b}` : a || b;
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => (seen.has(p.message) ? false : (seen.add(p.message), true)));
}
