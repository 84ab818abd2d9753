import { errors } from '@lpx/sdk';
import { scalarFor, schemaAt } from './schema-scalar.js';

/**
 * `http.port=9000` → sets root.http.port = 9000. With a schema the value takes
 * the type the schema wants at that path (schema-scalar.ts); without one, or
 * where the schema is open, it is read as a YAML scalar/flow value.
 */
export function applySetOverride(root: Record<string, unknown>, assignment: string, source = '--set', schema?: object): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw errors.config.BAD_OVERRIDE.create(`${source} "${assignment}": expected path=value`);
  const path = assignment.slice(0, eq).trim();
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_/@-]+)*$/.test(path)) {
    throw errors.config.BAD_OVERRIDE.create(`${source} "${assignment}": "${path}" is not a dotted config path`);
  }
  const segments = path.split('.');
  const raw = assignment.slice(eq + 1);
  setPath(root, segments, scalarFor(schema === undefined ? undefined : schemaAt(schema as Record<string, unknown>, segments), raw));
}

function setPath(root: Record<string, unknown>, segments: string[], value: unknown): void {
  let current = root;
  for (const segment of segments.slice(0, -1)) {
    const next = current[segment];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) current[segment] = {};
    current = current[segment] as Record<string, unknown>;
  }
  current[segments[segments.length - 1]!] = value;
}

/**
 * Environment overrides for kernel settings: LPX_ + the path in SCREAMING_SNAKE
 * (http.port → LPX_HTTP_PORT, node.dataDir → LPX_NODE_DATA_DIR). Only paths the
 * kernel schema knows are read, so secrets such as LPX_ETH_KEY never leak into
 * config. REDIS_URL is honoured as the conventional name for redis.url.
 */
export function environmentOverrides(env: NodeJS.ProcessEnv, knownPaths: readonly string[]): string[] {
  const assignments: string[] = [];
  for (const path of knownPaths) {
    const name = `LPX_${path.split('.').map(toScreamingSnake).join('_')}`;
    const value = env[name];
    if (value !== undefined) assignments.push(`${path}=${value}`);
  }
  if (env.REDIS_URL && env.LPX_REDIS_URL === undefined) assignments.push(`redis.url=${env.REDIS_URL}`);
  return assignments;
}

function toScreamingSnake(segment: string): string {
  return segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Leaf paths of a JSON schema's nested objects (not records), for env mapping. */
export function leafPaths(schema: { properties?: Record<string, unknown> }, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const sub = child as { type?: string; properties?: Record<string, unknown> };
    if (sub.type === 'object' && sub.properties) out.push(...leafPaths(sub, path));
    else if (sub.type !== 'object') out.push(path);
  }
  return out;
}
