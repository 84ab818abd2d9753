import { errors, isExtensionPointRef, isServiceRef, type DependencyRef, type PluginDefinition, type PluginInit, type PluginServiceFactory, type ServiceRef } from '@lpx/sdk';

/** Service ids under this prefix belong to the kernel; no plugin may provide one. */
export const KERNEL_SERVICE_PREFIX = 'core.';

/** A service one plugin provides to others (docs/adr/0018-plugin-provided-services.md). */
export interface RegisteredService {
  readonly ref: ServiceRef<unknown>;
  readonly service: PluginServiceFactory<unknown, Record<string, DependencyRef>>;
}

/** What a plugin's register step declared. */
export interface RegisteredPlugin {
  readonly definition: PluginDefinition;
  readonly id: string;
  readonly init: PluginInit<Record<string, DependencyRef>>;
  /** Extension point id → the implementation object the owner registered. */
  readonly extensionPoints: ReadonlyMap<string, unknown>;
  /** Service id → how to build it, in registration order (the order factories run). */
  readonly services: ReadonlyMap<string, RegisteredService>;
}

/**
 * Runs `register` and enforces that it only declares: exactly one init, only
 * extension points and services the manifest provides, nothing async.
 */
export function registerPlugin(definition: PluginDefinition): RegisteredPlugin {
  const { manifest } = definition;
  const provided = new Set(manifest.provides?.extensionPoints ?? []);
  const extensionPoints = new Map<string, unknown>();
  const providedServices = new Set(manifest.provides?.services ?? []);
  const services = new Map<string, RegisteredService>();
  // Static checks first: a manifest that claims a kernel service is refused before its register code runs.
  for (const id of providedServices) {
    if (id.startsWith(KERNEL_SERVICE_PREFIX)) {
      throw errors.plugin.SERVICE_ILLEGAL.create(`plugin ${manifest.id} lists ${id} in provides.services, but ${KERNEL_SERVICE_PREFIX}* services belong to the kernel`, { details: { plugin: manifest.id, service: id } });
    }
    if (manifest.requires?.services?.includes(id)) {
      throw errors.plugin.SERVICE_ILLEGAL.create(`plugin ${manifest.id} requires service ${id}, which it provides itself (its value exists only after its own init)`, { details: { plugin: manifest.id, service: id } });
    }
  }
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
    registerService(ref, service) {
      if (!open) throw errors.plugin.REGISTER_INVALID.create(`plugin ${manifest.id}: registerService called after register returned`);
      if (!isServiceRef(ref)) throw errors.plugin.REGISTER_INVALID.create(`plugin ${manifest.id}: registerService needs a ref made with createServiceRef`);
      if (typeof service?.factory !== 'function') throw errors.plugin.REGISTER_INVALID.create(`plugin ${manifest.id}: registerService(${ref.id}) needs a factory function`);
      const details = { plugin: manifest.id, service: ref.id };
      if (ref.id.startsWith(KERNEL_SERVICE_PREFIX)) {
        throw errors.plugin.SERVICE_ILLEGAL.create(`plugin ${manifest.id} registers service ${ref.id}, but ${KERNEL_SERVICE_PREFIX}* services belong to the kernel`, { details });
      }
      if (!providedServices.has(ref.id)) {
        throw errors.plugin.SERVICE_ILLEGAL.create(`plugin ${manifest.id} registers service ${ref.id} but its manifest does not list it in provides.services`, { details });
      }
      if (ref.scope !== 'root') {
        throw errors.plugin.SERVICE_ILLEGAL.create(`plugin ${manifest.id} registers service ${ref.id} with scope "${ref.scope}"; a provided service has one instance per node, so its ref must be root-scoped`, { details });
      }
      if (services.has(ref.id)) throw errors.plugin.SERVICE_ILLEGAL.create(`plugin ${manifest.id} registers service ${ref.id} twice`, { details });
      services.set(ref.id, { ref, service: service as unknown as RegisteredService['service'] });
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
  for (const id of providedServices) {
    if (!services.has(id)) throw errors.plugin.SERVICE_ILLEGAL.create(`plugin ${manifest.id} lists service ${id} in provides.services but never calls registerService for it`, { details: { plugin: manifest.id, service: id } });
  }
  const requiredServices = manifest.requires?.services ?? [];
  const requiredPoints = manifest.requires?.extensionPoints ?? [];
  checkDeclaredDeps(manifest.id, 'init dep', init.deps, requiredServices, requiredPoints);
  for (const [id, { service }] of services) checkDeclaredDeps(manifest.id, `service ${id} factory dep`, service.deps ?? {}, requiredServices, requiredPoints);
  return { definition, id: manifest.id, init, extensionPoints, services };
}

function checkDeclaredDeps(pluginId: string, what: string, deps: Record<string, DependencyRef>, services: readonly string[], points: readonly string[]): void {
  for (const [name, ref] of Object.entries(deps)) {
    if (isServiceRef(ref)) {
      if (!services.includes(ref.id)) {
        throw errors.plugin.UNDECLARED_DEPENDENCY.create(`plugin ${pluginId}: ${what} "${name}" uses service ${ref.id}, which manifest.requires.services does not list`);
      }
    } else if (isExtensionPointRef(ref)) {
      if (!points.includes(ref.id)) {
        throw errors.plugin.UNDECLARED_DEPENDENCY.create(`plugin ${pluginId}: ${what} "${name}" uses extension point ${ref.id}, which manifest.requires.extensionPoints does not list`);
      }
    } else {
      throw errors.plugin.REGISTER_INVALID.create(`plugin ${pluginId}: ${what} "${name}" is neither a service ref nor an extension point ref`);
    }
  }
}
