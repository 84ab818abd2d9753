/**
 * Fixtures for the permission tests: a Host booted with inline plugins, and
 * an in-memory container runtime — a test double added through the
 * `containers.runtimes` extension point, which is exactly the boundary the
 * kernel's checks sit in front of (the docker runtime itself is tested in
 * test/plugins/runtime-docker).
 */
import {
  CONTAINER_OWNER_LABEL,
  CONTAINER_PLUGIN_LABEL,
  CONTAINER_SPEC_LABEL,
  containerRuntimesExtensionPoint,
  definePlugin,
  type ContainerInfo,
  type ContainerRuntime,
  type ContainerSpec,
  type DependencyRef,
  type PluginDefinition,
  type PluginManifest,
} from '@lpx/sdk';
import { makeHost, type Teardownable } from '../../../test/helpers/host.js';
import { testManifest } from '../../../test/helpers/plugins.js';
import type { Host } from '../../src/boot/host.js';

/** Test double of a container engine: keeps containers in memory, records every spec it was asked to create. */
export class MemoryRuntime implements ContainerRuntime {
  readonly name = 'memory';
  readonly created: ContainerSpec[] = [];
  readonly #containers = new Map<string, ContainerInfo>();

  async probe() {
    return { available: true, version: 'test' };
  }
  async ensureImage(spec: { ref: string }) {
    return { ref: spec.ref, id: `sha256:${'0'.repeat(64)}`, sizeBytes: 1, labels: {} };
  }
  async inspectImage() {
    return undefined;
  }
  async removeImage() {}
  async create(spec: ContainerSpec, context: { ownerId: string; pluginId: string; specHash: string }): Promise<ContainerInfo> {
    this.created.push(spec);
    const id = `c${this.#containers.size + 1}`;
    const labels = { ...spec.labels, [CONTAINER_OWNER_LABEL]: context.ownerId, [CONTAINER_PLUGIN_LABEL]: context.pluginId, [CONTAINER_SPEC_LABEL]: context.specHash };
    const info: ContainerInfo = { id, name: spec.name, image: spec.image, state: 'created', health: 'none', ports: [], labels, createdAt: Date.now() };
    this.#containers.set(id, info);
    return info;
  }
  async start(id: string) {
    return this.#containers.get(id)!;
  }
  async stop() {}
  async remove(id: string) {
    this.#containers.delete(id);
  }
  async inspect(id: string) {
    return this.#containers.get(id);
  }
  async logs() {
    return '';
  }
  async list(context: { ownerId: string }, labels: Readonly<Record<string, string>> = {}) {
    return [...this.#containers.values()].filter((c) => c.labels[CONTAINER_OWNER_LABEL] === context.ownerId && Object.entries(labels).every(([k, v]) => c.labels[k] === v));
  }
  async close() {}
}

export function runtimePlugin(runtime: ContainerRuntime): PluginDefinition {
  return definePlugin({
    manifest: testManifest('memory-runtime', { requires: { extensionPoints: [containerRuntimesExtensionPoint.id] } }),
    register(reg) {
      reg.registerInit({ deps: { runtimes: containerRuntimesExtensionPoint }, init: ({ runtimes }) => runtimes.addRuntime(runtime) });
    },
  });
}

/** A plugin whose init hands its resolved deps to the test. */
export function grabbing<D extends Record<string, DependencyRef>>(id: string, deps: D, manifest: Partial<PluginManifest>, sink: (deps: Record<string, unknown>) => void): PluginDefinition {
  const services = Object.values(deps).filter((ref) => ref.$$type === 'service-ref').map((ref) => ref.id);
  return definePlugin({
    manifest: testManifest(id, { ...manifest, requires: { services } }),
    register(reg) {
      reg.registerInit({ deps, init: (resolved) => sink(resolved as Record<string, unknown>) });
    },
  });
}

export async function startHost(t: Teardownable, plugins: PluginDefinition[], raw: Record<string, unknown> = {}): Promise<Host> {
  const host = makeHost(t, plugins, raw);
  await host.start();
  return host;
}
