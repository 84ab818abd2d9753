import type { PluginManifest } from './manifest/schema.js';
import type { ExtensionPointRef } from './refs/extension-point.js';
import type { ServiceRef } from './refs/service-ref.js';

export type DependencyRef = ServiceRef<unknown> | ExtensionPointRef<unknown>;
type RefValue<R> = R extends ServiceRef<infer T> ? T : R extends ExtensionPointRef<infer T> ? T : never;
export type ResolvedDeps<D extends Record<string, DependencyRef>> = { [K in keyof D]: RefValue<D[K]> };

export interface PluginInit<D extends Record<string, DependencyRef>> {
  deps: D;
  init(deps: ResolvedDeps<D>): void | Promise<void>;
}

/**
 * How a plugin builds a service it provides to other plugins. The deps come
 * from the provider's own scope (its manifest must declare them, as for init).
 * The factory runs once per node, after the provider's init resolved and
 * before any consumer's init; its value is what every consumer receives.
 */
export interface PluginServiceFactory<T, D extends Record<string, DependencyRef>> {
  deps: D;
  factory(deps: ResolvedDeps<D>): T | Promise<T>;
  /** Called at shutdown, after every consumer's shutdown hooks, in reverse creation order. */
  dispose?(value: T): void | Promise<void>;
}

/** What `register` may do: declare, nothing else. */
export interface PluginRegistrar {
  registerExtensionPoint<T>(ref: ExtensionPointRef<T>, implementation: T): void;
  registerInit<D extends Record<string, DependencyRef>>(init: PluginInit<D>): void;
  /** Provides `ref` (a root-scoped, non-`core.` service listed in manifest.provides.services) to other plugins. */
  registerService<T, D extends Record<string, DependencyRef>>(ref: ServiceRef<T>, service: PluginServiceFactory<T, D>): void;
}

export interface PluginDefinition {
  readonly $$type: 'lpx-plugin';
  readonly manifest: PluginManifest;
  register(registrar: PluginRegistrar): void;
}

/**
 * Defines a plugin: a manifest (static, validated before code runs) and a
 * synchronous register step that declares extension points, services it
 * provides to other plugins, and one init.
 */
export function definePlugin(options: { manifest: PluginManifest; register(registrar: PluginRegistrar): void }): PluginDefinition {
  return { $$type: 'lpx-plugin', manifest: options.manifest, register: options.register };
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && (value as { $$type?: unknown }).$$type === 'lpx-plugin';
}
