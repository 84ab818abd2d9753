import { createHash } from 'node:crypto';
import { byocCapabilityId, errors, type ByocAppContribution, type ByocAppSpec, type ByocPrice, type CapabilityDeclaration } from '@lpx/sdk';
import type { AppOverride } from './config.js';

/** What the node runs for one app: the partner's spec with the operator's overrides applied. */
export interface AppPlan {
  readonly contribution: ByocAppContribution;
  readonly spec: ByocAppSpec;
  readonly price: ByocPrice;
  /** Concurrent jobs one instance takes. */
  readonly capacity: number;
  readonly instances: number;
  /** GPU ids per instance (empty arrays without GPUs). */
  readonly gpus: readonly (readonly string[])[];
  readonly env: Readonly<Record<string, string>>;
  readonly memoryBytes?: number;
}

function invalid(name: string, what: string): Error {
  return errors.byoc.APP_INVALID.create(`BYOC app "${name}": ${what}`, { details: { app: name } });
}

/**
 * Checks a contributed spec and applies the operator's override. Refused
 * (APP_INVALID): both or neither of container and external, a GPU count the
 * configured GPUs cannot cover.
 */
export function planApp(contribution: ByocAppContribution, override: AppOverride = {}): AppPlan {
  const { spec } = contribution;
  if ((spec.container === undefined) === (spec.external === undefined)) throw invalid(spec.name, 'exactly one of "container" and "external" must be set');
  const instances = spec.external !== undefined ? 1 : (override.instances ?? 1);
  const perInstance = spec.resources?.gpu ?? 0;
  const configured = override.gpus ?? [];
  if (perInstance * instances > configured.length) {
    throw invalid(spec.name, `needs ${perInstance} GPU(s) per instance × ${instances} instance(s); the config gives ${configured.length} (plugins.byoc-host.config.apps.${spec.name}.gpus)`);
  }
  const gpus = Array.from({ length: instances }, (_, i) => configured.slice(i * perInstance, (i + 1) * perInstance));
  const memoryBytes = override.memoryBytes ?? spec.resources?.memoryBytes;
  return {
    contribution,
    spec,
    price: override.price ?? spec.price,
    capacity: override.capacity ?? spec.capacity,
    instances,
    gpus,
    env: { ...spec.container?.env, ...override.env },
    ...(memoryBytes !== undefined ? { memoryBytes } : {}),
  };
}

/**
 * The capability the kernel learns for an app on the legacy BYOC wire. That
 * wire bills ceil(seconds) × price (go-livepeer), so only per-second prices
 * fit it; apps priced per request or per 720p-pixel-second are hosted for
 * the Live Runner bridge only and get no declaration (undefined).
 */
export function capabilityDeclaration(spec: ByocAppSpec, price: ByocPrice, capacity: number): CapabilityDeclaration | undefined {
  if (price.unit !== 'second') return undefined;
  return {
    id: byocCapabilityId(spec.name),
    version: 1,
    mode: spec.mode === 'request-response' ? 'request-response' : spec.mode === 'sse' ? 'stream' : 'live',
    workUnit: 'second',
    priceUnit: 'wei/second',
    description: spec.description,
    capacity,
    price: { pricePerUnit: price.pricePerUnit, ...(price.pixelsPerUnit !== undefined ? { pixelsPerUnit: price.pixelsPerUnit } : {}) },
  };
}

/** Labels byoc-host reads back from the containers it finds at start. */
export const LABELS = {
  app: 'io.lpx.byoc.app',
  instance: 'io.lpx.byoc.instance',
  plugin: 'io.lpx.byoc.plugin',
  version: 'io.lpx.byoc.version',
  /** Our hash of what makes an instance: a container is adopted only when it matches. */
  spec: 'io.lpx.byoc.spec',
} as const;

/** What makes an instance; equal hashes mean an adopted container is what the config would create now. */
export function instanceHash(plan: AppPlan, instance: number): string {
  const container = plan.spec.container!;
  const essentials = {
    digest: container.digest,
    port: container.port,
    command: container.command ?? null,
    env: Object.fromEntries(Object.entries(plan.env).sort(([a], [b]) => a.localeCompare(b))),
    gpus: plan.gpus[instance] ?? [],
    memoryBytes: plan.memoryBytes ?? null,
    cpus: plan.spec.resources?.cpus ?? null,
    plugin: plan.contribution.pluginId,
    version: plan.contribution.pluginVersion,
  };
  return createHash('sha256').update(JSON.stringify(essentials)).digest('hex').slice(0, 32);
}
