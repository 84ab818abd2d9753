import { createHash } from 'node:crypto';
import { CONTAINER_OWNER_LABEL, CONTAINER_PLUGIN_LABEL, CONTAINER_SPEC_LABEL, type ContainerSpec } from '../extension-points/container-runtimes.js';

// Read at call time: this module and container-runtimes.ts import each other.
const kernelLabel = (key: string): boolean => key === CONTAINER_OWNER_LABEL || key === CONTAINER_PLUGIN_LABEL || key === CONTAINER_SPEC_LABEL;

/** The spec without the labels only the kernel sets (a plugin cannot override them). */
export function withoutKernelLabels(spec: ContainerSpec): ContainerSpec {
  if (spec.labels === undefined) return spec;
  const labels = Object.fromEntries(Object.entries(spec.labels).filter(([key]) => !kernelLabel(key)));
  return { ...spec, labels };
}

/** JSON with sorted keys and undefined dropped: equal specs hash equal whatever the key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().filter((key) => (value as Record<string, unknown>)[key] !== undefined).map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  }
  return value;
}

/**
 * CONTAINER_SPEC_LABEL's value: a hash of the spec as the plugin gave it
 * (kernel labels excluded, empty label maps equal to none). A restarted
 * plugin compares it with the hash of the spec it wants now to decide between
 * adopting a container and replacing it.
 */
export function containerSpecHash(spec: ContainerSpec): string {
  const clean = withoutKernelLabels(spec);
  const normalized = clean.labels !== undefined && Object.keys(clean.labels).length === 0 ? { ...clean, labels: undefined } : clean;
  return createHash('sha256').update(JSON.stringify(canonical(normalized))).digest('hex').slice(0, 32);
}
