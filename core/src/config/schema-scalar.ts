/**
 * Reading an override value (`--set path=value`, `LPX_*`) as the type the
 * config schema wants at that path. Parsing every value as YAML made `1` a
 * number and `0x…` an integer where the schema wants a string, which stopped
 * the node over a price of `1`. The schema decides instead: string leaves keep
 * the raw text, numbers and booleans are parsed, unions (`integer | 'auto'`)
 * try their literals first, and paths the schema leaves open (plugin configs)
 * keep the YAML reading.
 */
import { parse as parseYaml } from 'yaml';

type Schema = Record<string, unknown>;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;

/** The sub-schema at a dotted path, through properties, records and unions; undefined where the schema is open. */
export function schemaAt(schema: Schema, segments: readonly string[]): Schema | undefined {
  let current: Schema | undefined = schema;
  for (const segment of segments) {
    if (current === undefined) return undefined;
    current = childSchema(current, segment);
  }
  return current;
}

function childSchema(schema: Schema, key: string): Schema | undefined {
  const branches = unionBranches(schema);
  if (branches !== undefined) {
    const children = branches.map((branch) => childSchema(branch, key)).filter((c): c is Schema => c !== undefined);
    return children.length === 0 ? undefined : children.length === 1 ? children[0] : { anyOf: children };
  }
  const properties = schema.properties as Record<string, Schema> | undefined;
  if (properties?.[key] !== undefined) return properties[key];
  const patterns = schema.patternProperties as Record<string, Schema> | undefined;
  for (const [pattern, child] of Object.entries(patterns ?? {})) {
    if (new RegExp(pattern, 'u').test(key)) return child;
  }
  const additional = schema.additionalProperties;
  return typeof additional === 'object' && additional !== null && Object.keys(additional).length > 0 ? (additional as Schema) : undefined;
}

function unionBranches(schema: Schema): Schema[] | undefined {
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  return Array.isArray(branches) ? branches : undefined;
}

interface Accepts {
  literals: unknown[];
  types: Set<string>;
}

/** Which literal values and JSON types a schema accepts, unions flattened. */
function accepts(schema: Schema, into: Accepts = { literals: [], types: new Set() }): Accepts {
  const branches = unionBranches(schema);
  if (branches !== undefined) {
    for (const branch of branches) accepts(branch, into);
    return into;
  }
  // A literal accepts that value, not every value of its type.
  if ('const' in schema) into.literals.push(schema.const);
  else if (Array.isArray(schema.enum)) into.literals.push(...(schema.enum as unknown[]));
  else if (typeof schema.type === 'string') into.types.add(schema.type);
  else if (Array.isArray(schema.type)) for (const type of schema.type as string[]) into.types.add(type);
  return into;
}

/** The YAML reading: what overrides did before, still right for open paths and structured values. */
export function yamlScalar(raw: string): unknown {
  if (raw === '') return '';
  try {
    return parseYaml(raw) as unknown;
  } catch {
    return raw;
  }
}

/** `raw` as the type `schema` wants; when nothing fits, the value the user most likely meant, for validation to refuse. */
export function scalarFor(schema: Schema | undefined, raw: string): unknown {
  if (schema === undefined) return yamlScalar(raw);
  const { literals, types } = accepts(schema);
  if (types.size === 0 && literals.length === 0) return yamlScalar(raw);
  const literal = literals.find((value) => String(value) === raw);
  if (literal !== undefined) return literal;
  const trimmed = raw.trim();
  if (types.has('integer') && INTEGER.test(trimmed)) return Number(trimmed);
  if (types.has('number') && NUMBER.test(trimmed)) return Number(trimmed);
  if (types.has('boolean') && (trimmed === 'true' || trimmed === 'false')) return trimmed === 'true';
  if (types.has('null') && (trimmed === 'null' || trimmed === '~')) return null;
  if ((types.has('array') && trimmed.startsWith('[')) || (types.has('object') && trimmed.startsWith('{'))) return yamlScalar(raw);
  if (types.has('string')) return unquote(raw);
  return yamlScalar(raw);
}

/** A string leaf written YAML-quoted (`'1'`, `"0x…"`) means the text inside, as before. */
function unquote(raw: string): string {
  if (raw.length >= 2 && ((raw.startsWith("'") && raw.endsWith("'")) || (raw.startsWith('"') && raw.endsWith('"')))) {
    const parsed = yamlScalar(raw);
    if (typeof parsed === 'string') return parsed;
  }
  return raw;
}
