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

/** What `register` may do: declare, nothing else. */
export interface PluginRegistrar {
  registerExtensionPoint<T>(ref: ExtensionPointRef<T>, implementation: T): void;
  registerInit<D extends Record<string, DependencyRef>>(init: PluginInit<D>): void;
}

export interface PluginDefinition {
  readonly $$type: 'lpx-plugin';
  readonly manifest: PluginManifest;
  register(registrar: PluginRegistrar): void;
}

/**
 * Defines a plugin: a manifest (static, validated before code runs) and a
 * synchronous register step that declares extension points and one init.
 */
export function definePlugin(options: { manifest: PluginManifest; register(registrar: PluginRegistrar): void }): PluginDefinition {
  return { $$type: 'lpx-plugin', manifest: options.manifest, register: options.register };
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && (value as { $$type?: unknown }).$$type === 'lpx-plugin';
}
