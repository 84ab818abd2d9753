import semver from 'semver';
import { errors } from '@lpx/sdk';
import type { RegisteredPlugin } from './registration.js';

export interface PluginGraph {
  /** Plugin ids in a valid init order (dependencies first). */
  readonly order: readonly string[];
  /** id → ids it must wait for. */
  readonly dependsOn: ReadonlyMap<string, ReadonlySet<string>>;
  /** extension point id → owner plugin id, or 'core'. */
  readonly extensionPointOwners: ReadonlyMap<string, string>;
}

/**
 * Builds the init graph. Edges come from `requires.plugins` (dependency first)
 * and from extension points: a consumer initialises before the owner, so the
 * owner sees every contribution before its own init runs and locks them.
 */
export function buildPluginGraph(plugins: readonly RegisteredPlugin[], kernel: { services: ReadonlySet<string>; extensionPoints: ReadonlySet<string> }): PluginGraph {
  const byId = new Map<string, RegisteredPlugin>();
  for (const plugin of plugins) {
    if (byId.has(plugin.id)) throw errors.plugin.DUPLICATE_ID.create(`two plugins have the id ${plugin.id}`);
    byId.set(plugin.id, plugin);
  }

  const owners = new Map<string, string>();
  for (const id of kernel.extensionPoints) owners.set(id, 'core');
  for (const plugin of plugins) {
    for (const point of plugin.extensionPoints.keys()) {
      const existing = owners.get(point);
      if (existing) throw errors.plugin.EXTENSION_POINT_ILLEGAL.create(`extension point ${point} is provided by both ${existing} and ${plugin.id}`);
      owners.set(point, plugin.id);
    }
  }

  const dependsOn = new Map<string, Set<string>>(plugins.map((p) => [p.id, new Set<string>()]));
  for (const plugin of plugins) {
    const requires = plugin.definition.manifest.requires ?? {};
    for (const service of requires.services ?? []) {
      if (!kernel.services.has(service)) throw errors.plugin.DEPENDENCY_MISSING.create(`plugin ${plugin.id} requires service ${service}, which this kernel does not provide`);
    }
    for (const [dep, range] of Object.entries(requires.plugins ?? {})) {
      const target = byId.get(dep);
      if (!target) throw errors.plugin.DEPENDENCY_MISSING.create(`plugin ${plugin.id} requires plugin ${dep} (${range}), which is not configured`);
      if (!semver.satisfies(target.definition.manifest.version, range)) {
        throw errors.plugin.DEPENDENCY_MISSING.create(`plugin ${plugin.id} requires plugin ${dep} ${range}, but ${target.definition.manifest.version} is configured`);
      }
      dependsOn.get(plugin.id)!.add(dep);
    }
    for (const point of requires.extensionPoints ?? []) {
      const owner = owners.get(point);
      if (!owner) throw errors.plugin.DEPENDENCY_MISSING.create(`plugin ${plugin.id} uses extension point ${point}, which nothing provides`);
      if (owner === plugin.id) throw errors.plugin.EXTENSION_POINT_ILLEGAL.create(`plugin ${plugin.id} consumes its own extension point ${point}`);
      if (owner !== 'core') dependsOn.get(owner)!.add(plugin.id);
    }
  }
  return { order: topologicalOrder(dependsOn), dependsOn, extensionPointOwners: owners };
}

function topologicalOrder(dependsOn: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(id)), id];
      throw errors.plugin.DEPENDENCY_CYCLE.create(`plugin dependency cycle: ${cycle.join(' -> ')}`, { details: { cycle } });
    }
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of [...(dependsOn.get(id) ?? [])].sort()) visit(dep);
    stack.pop();
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of [...dependsOn.keys()].sort()) visit(id);
  return order;
}
