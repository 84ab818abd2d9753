import semver from 'semver';
import { errors } from '@lpx/sdk';
import { KERNEL_SERVICE_PREFIX, type RegisteredPlugin } from './registration.js';

export interface PluginGraph {
  /** Plugin ids in a valid init order (dependencies first). */
  readonly order: readonly string[];
  /** id → ids it must wait for. */
  readonly dependsOn: ReadonlyMap<string, ReadonlySet<string>>;
  /** extension point id → owner plugin id, or 'core'. */
  readonly extensionPointOwners: ReadonlyMap<string, string>;
  /** plugin-provided service id → provider plugin id (kernel services are not listed). */
  readonly serviceProviders: ReadonlyMap<string, string>;
}

export interface KernelProvides {
  readonly services: ReadonlySet<string>;
  readonly extensionPoints: ReadonlySet<string>;
  /** Plugins that are not configured but would provide a service (e.g. from the local registry), for the error hint. */
  readonly serviceCandidates?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Builds the init graph. Edges come from `requires.plugins` (dependency first),
 * from plugin-provided services (the provider first, so its value exists
 * before any consumer's init) and from extension points: a consumer
 * initialises before the owner, so the owner sees every contribution before
 * its own init runs and locks them.
 */
export function buildPluginGraph(plugins: readonly RegisteredPlugin[], kernel: KernelProvides): PluginGraph {
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

  const providers = new Map<string, string>();
  for (const plugin of plugins) {
    for (const service of plugin.services.keys()) {
      const details = { plugin: plugin.id, service };
      if (kernel.services.has(service)) throw errors.plugin.SERVICE_ILLEGAL.create(`plugin ${plugin.id} provides service ${service}, which the kernel provides`, { details });
      const existing = providers.get(service);
      if (existing) throw errors.plugin.SERVICE_ILLEGAL.create(`service ${service} is provided by both ${existing} and ${plugin.id}; configure only one of them`, { details: { ...details, providers: [existing, plugin.id] } });
      providers.set(service, plugin.id);
    }
  }

  const dependsOn = new Map<string, Set<string>>(plugins.map((p) => [p.id, new Set<string>()]));
  // from → to → why, so a cycle can say which declaration made each edge.
  const why = new Map<string, string>();
  const edge = (from: string, to: string, reason: string): void => {
    dependsOn.get(from)!.add(to);
    if (!why.has(`${from} ${to}`)) why.set(`${from} ${to}`, reason);
  };
  for (const plugin of plugins) {
    const requires = plugin.definition.manifest.requires ?? {};
    for (const service of requires.services ?? []) {
      if (kernel.services.has(service)) continue;
      const provider = providers.get(service);
      if (provider) {
        edge(plugin.id, provider, `uses service ${service}`);
        continue;
      }
      if (service.startsWith(KERNEL_SERVICE_PREFIX)) throw errors.plugin.DEPENDENCY_MISSING.create(`plugin ${plugin.id} requires service ${service}, which this kernel does not provide`);
      throw errors.plugin.DEPENDENCY_MISSING.create(`plugin ${plugin.id} requires service ${service}, which neither this kernel nor any configured plugin provides; ${candidateHint(service, kernel.serviceCandidates?.get(service) ?? [])}`, {
        details: { plugin: plugin.id, service, candidates: kernel.serviceCandidates?.get(service) ?? [] },
      });
    }
    for (const [dep, range] of Object.entries(requires.plugins ?? {})) {
      const target = byId.get(dep);
      if (!target) throw errors.plugin.DEPENDENCY_MISSING.create(`plugin ${plugin.id} requires plugin ${dep} (${range}), which is not configured`);
      if (!semver.satisfies(target.definition.manifest.version, range)) {
        throw errors.plugin.DEPENDENCY_MISSING.create(`plugin ${plugin.id} requires plugin ${dep} ${range}, but ${target.definition.manifest.version} is configured`);
      }
      edge(plugin.id, dep, `requires plugin ${dep}`);
    }
    for (const point of requires.extensionPoints ?? []) {
      const owner = owners.get(point);
      if (!owner) throw errors.plugin.DEPENDENCY_MISSING.create(`plugin ${plugin.id} uses extension point ${point}, which nothing provides`);
      if (owner === plugin.id) throw errors.plugin.EXTENSION_POINT_ILLEGAL.create(`plugin ${plugin.id} consumes its own extension point ${point}`);
      if (owner !== 'core') edge(owner, plugin.id, `waits for contributions to ${point} from ${plugin.id}`);
    }
  }
  return { order: topologicalOrder(dependsOn, why), dependsOn, extensionPointOwners: owners, serviceProviders: providers };
}

function candidateHint(service: string, candidates: readonly string[]): string {
  if (candidates.length > 0) return `configure one of the plugins that provide it: ${candidates.join(', ')}`;
  return `configure a plugin whose manifest lists ${service} in provides.services`;
}

function topologicalOrder(dependsOn: ReadonlyMap<string, ReadonlySet<string>>, why: ReadonlyMap<string, string>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(id)), id];
      const edges = cycle.slice(1).map((to, i) => `${cycle[i]} ${why.get(`${cycle[i]} ${to}`) ?? `depends on ${to}`}`);
      throw errors.plugin.DEPENDENCY_CYCLE.create(`plugin dependency cycle: ${cycle.join(' -> ')} (${edges.join('; ')})`, { details: { cycle, edges } });
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
