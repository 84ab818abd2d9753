import { errors, isExtensionPointRef, isServiceRef, type DependencyRef, type PluginDefinition, type PluginInit } from '@lpx/sdk';

/** What a plugin's register step declared. */
export interface RegisteredPlugin {
  readonly definition: PluginDefinition;
  readonly id: string;
  readonly init: PluginInit<Record<string, DependencyRef>>;
  /** Extension point id → the implementation object the owner registered. */
  readonly extensionPoints: ReadonlyMap<string, unknown>;
}

/**
 * Runs `register` and enforces that it only declares: exactly one init, only
 * extension points the manifest provides, nothing async.
 */
export function registerPlugin(definition: PluginDefinition): RegisteredPlugin {
  const { manifest } = definition;
  const provided = new Set(manifest.provides?.extensionPoints ?? []);
  const extensionPoints = new Map<string, unknown>();
  let init: PluginInit<Record<string, DependencyRef>> | undefined;
  let open = true;

  const result: unknown = definition.register({
    registerExtensionPoint(ref, implementation) {
      if (!open) throw errors.plugin.REGISTER_INVALID.create(`plugin ${manifest.id}: registerExtensionPoint called after register returned`);
      if (!provided.has(ref.id)) {
        throw errors.plugin.EXTENSION_POINT_ILLEGAL.create(`plugin ${manifest.id} registers extension point ${ref.id} but its manifest does not list it in provides.extensionPoints`);
      }
      if (extensionPoints.has(ref.id)) throw errors.plugin.EXTENSION_POINT_ILLEGAL.create(`plugin ${manifest.id} registers extension point ${ref.id} twice`);
      extensionPoints.set(ref.id, implementation);
    },
    registerInit(options) {
      if (!open) throw errors.plugin.REGISTER_INVALID.create(`plugin ${manifest.id}: registerInit called after register returned`);
      if (init) throw errors.plugin.REGISTER_INVALID.create(`plugin ${manifest.id}: registerInit called twice`);
      init = options as unknown as PluginInit<Record<string, DependencyRef>>;
    },
  });
  open = false;
  if (result !== undefined && typeof (result as Promise<unknown>).then === 'function') {
    throw errors.plugin.REGISTER_INVALID.create(`plugin ${manifest.id}: register must be synchronous and only declare; move async work into init`);
  }
  if (!init) throw errors.plugin.REGISTER_INVALID.create(`plugin ${manifest.id}: register did not call registerInit`);
  for (const id of provided) {
    if (!extensionPoints.has(id)) throw errors.plugin.EXTENSION_POINT_ILLEGAL.create(`plugin ${manifest.id} lists extension point ${id} in provides but never registers it`);
  }
  checkDeclaredDeps(manifest.id, init.deps, manifest.requires?.services ?? [], manifest.requires?.extensionPoints ?? []);
  return { definition, id: manifest.id, init, extensionPoints };
}

function checkDeclaredDeps(pluginId: string, deps: Record<string, DependencyRef>, services: readonly string[], points: readonly string[]): void {
  for (const [name, ref] of Object.entries(deps)) {
    if (isServiceRef(ref)) {
      if (!services.includes(ref.id)) {
        throw errors.plugin.UNDECLARED_DEPENDENCY.create(`plugin ${pluginId}: init dep "${name}" uses service ${ref.id}, which manifest.requires.services does not list`);
      }
    } else if (isExtensionPointRef(ref)) {
      if (!points.includes(ref.id)) {
        throw errors.plugin.UNDECLARED_DEPENDENCY.create(`plugin ${pluginId}: init dep "${name}" uses extension point ${ref.id}, which manifest.requires.extensionPoints does not list`);
      }
    } else {
      throw errors.plugin.REGISTER_INVALID.create(`plugin ${pluginId}: init dep "${name}" is neither a service ref nor an extension point ref`);
    }
  }
}
