import type { ErrorObject } from 'ajv';

/** One problem in a manifest, phrased for the person who has to fix it. */
export interface ManifestIssue {
  /** JSON pointer into the manifest, `/` for the whole document. */
  readonly path: string;
  readonly expected: string;
  readonly found: string;
}

const MAX_SHOWN = 80;

/** `string "abc"`, `number 5`, `nothing` — the type up front because most mistakes are type mistakes. */
export function describeFound(value: unknown): string {
  if (value === undefined) return 'nothing';
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const json = JSON.stringify(value) ?? String(value);
  const shown = json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN - 3)}...` : json;
  return `${kind} ${shown}`;
}

export function formatIssue(issue: ManifestIssue): string {
  return `${issue.path}: expected ${issue.expected}, found ${issue.found}`;
}

export function joinPointer(base: string, segment: string | number): string {
  return `${base}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * A union of literals fails as one `anyOf` plus one `const` error per member;
 * the member errors are noise, so they fold into the `anyOf` line.
 */
function dropUnionMemberErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const isUnion = (e: ErrorObject) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
  const unionPaths = errors.filter(isUnion).map((e) => `${e.schemaPath}/`);
  const kept = errors.filter((e) => !unionPaths.some((prefix) => e.schemaPath.startsWith(prefix)));
  // Members reached through a `$ref` keep their own schema path and survive the
  // fold; they are more specific than "one of N alternatives", so they win.
  const specificAt = new Set(kept.filter((e) => !isUnion(e)).map((e) => e.instancePath));
  return kept.filter((e) => !isUnion(e) || !specificAt.has(e.instancePath));
}

function describeUnion(alternatives: unknown): string {
  const list = Array.isArray(alternatives) ? (alternatives as Array<Record<string, unknown>>) : [];
  if (list.length > 0 && list.every((alt) => 'const' in alt)) {
    return `one of ${list.map((alt) => JSON.stringify(alt['const'])).join(', ')}`;
  }
  return `a value matching one of ${list.length} alternatives`;
}

function describeAdditional(parentSchema: Record<string, unknown> | undefined): string {
  const named = Object.keys((parentSchema?.['properties'] as Record<string, unknown> | undefined) ?? {});
  const patterns = Object.keys((parentSchema?.['patternProperties'] as Record<string, unknown> | undefined) ?? {});
  if (patterns.length > 0) return `a property name matching ${patterns.join(' or ')}`;
  return named.length > 0 ? `no such property (allowed: ${named.join(', ')})` : 'no properties';
}

function toIssue(error: ErrorObject, data: unknown, prefix: string): ManifestIssue {
  const params = error.params as Record<string, unknown>;
  const here = error.instancePath;
  const at = (pointer: string): string => `${prefix}${pointer}` || '/';
  const found = describeFound(valueAt(data, here));
  switch (error.keyword) {
    case 'required': {
      const path = joinPointer(here, String(params['missingProperty']));
      return { path: at(path), expected: 'a value (required property)', found: 'nothing' };
    }
    case 'additionalProperties': {
      const path = joinPointer(here, String(params['additionalProperty']));
      const parent = error.parentSchema as Record<string, unknown> | undefined;
      return { path: at(path), expected: describeAdditional(parent), found: describeFound(valueAt(data, path)) };
    }
    case 'type':
      return { path: at(here), expected: `${String(params['type'])}`, found };
    case 'pattern':
      return { path: at(here), expected: `a string matching ${String(params['pattern'])}`, found };
    case 'minLength':
      return { path: at(here), expected: `a string of at least ${String(params['limit'])} character(s)`, found };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path: at(here), expected: `a number ${String(params['comparison'])} ${String(params['limit'])}`, found };
    case 'uniqueItems':
      return { path: at(here), expected: `unique items (items ${String(params['j'])} and ${String(params['i'])} are equal)`, found };
    case 'const':
      return { path: at(here), expected: JSON.stringify(params['allowedValue']), found };
    case 'enum':
      return { path: at(here), expected: `one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, found };
    case 'anyOf':
    case 'oneOf':
      return { path: at(here), expected: describeUnion(error.schema), found };
    default:
      return { path: at(here), expected: `a value that satisfies "${error.keyword}" (${error.message ?? 'no detail'})`, found };
  }
}

/**
 * Turns ajv's errors into issues. `data` is what was validated (ajv must run
 * with `verbose` so unions and unknown properties can be described); `prefix`
 * re-roots the paths, e.g. `/config` when validating a nested schema.
 */
export function issuesFromAjv(errors: readonly ErrorObject[] | null | undefined, data: unknown, prefix = ''): ManifestIssue[] {
  return dropUnionMemberErrors(errors ?? []).map((error) => toIssue(error, data, prefix));
}
