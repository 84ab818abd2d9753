import { errors, type DependencyRef, type ServiceRef } from '@lpx/sdk';
import { withDeadline } from '../lifecycle/with-timeout.js';
import type { RegisteredPlugin } from './registration.js';

export interface ServiceProvision {
  /** Resolves a factory dep from the provider's own scope, exactly as its init deps were. */
  resolveDep(pluginId: string, ref: DependencyRef): unknown;
  /** Makes the value visible to every plugin that declared the service (root scope: one per node). */
  publish(ref: ServiceRef<unknown>, value: unknown): void;
  /** Pushed after the provider's shutdown step, so it runs after every consumer's shutdown hooks. */
  onDispose(name: string, run: () => Promise<void>): void;
  readonly timeoutMs: number;
  readonly stopTimeoutMs: number;
}

/**
 * Builds the services one plugin provides, in registration order, right after
 * its init resolved and before any consumer's init (the graph guarantees the
 * latter). A factory that throws, times out or yields nothing fails the boot
 * with SERVICE_FAILED naming provider and service; the caller unwinds.
 */
export async function provideServices(plugin: RegisteredPlugin, provision: ServiceProvision): Promise<void> {
  for (const [id, { ref, service }] of plugin.services) {
    const details = { plugin: plugin.id, service: id };
    const deps: Record<string, unknown> = {};
    for (const [name, dep] of Object.entries(service.deps ?? {})) deps[name] = provision.resolveDep(plugin.id, dep);
    let value: unknown;
    const work = Promise.resolve().then(() => service.factory(deps as never));
    try {
      value = await withDeadline(work, provision.timeoutMs, () => {
        // Boot is abandoned; a value that still arrives must not leak what it holds (connections, processes).
        void work.then((late) => service.dispose?.(late)).catch(() => {});
        return errors.plugin.SERVICE_FAILED.create(`plugin ${plugin.id}: the factory of service ${id} did not finish within ${provision.timeoutMs} ms`, { details });
      });
    } catch (cause) {
      if (errors.plugin.SERVICE_FAILED.is(cause)) throw cause;
      throw errors.plugin.SERVICE_FAILED.create(`plugin ${plugin.id}: the factory of service ${id} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause, details });
    }
    // A consumer would receive `undefined` and fail far from the cause.
    if (value === undefined || value === null) throw errors.plugin.SERVICE_FAILED.create(`plugin ${plugin.id}: the factory of service ${id} returned ${value}`, { details });
    provision.publish(ref, value);
    const { dispose } = service;
    if (dispose) {
      provision.onDispose(`service ${id}`, async () => {
        try {
          await withDeadline(Promise.resolve().then(() => dispose(value)), provision.stopTimeoutMs, () =>
            errors.plugin.STOP_FAILED.create(`plugin ${plugin.id}: disposing service ${id} did not finish within ${provision.stopTimeoutMs} ms`, { details }),
          );
        } catch (cause) {
          if (errors.plugin.STOP_FAILED.is(cause)) throw cause;
          throw errors.plugin.STOP_FAILED.create(`plugin ${plugin.id}: disposing service ${id} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause, details });
        }
      });
    }
  }
}
