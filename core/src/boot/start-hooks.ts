import { errors } from '@lpx/sdk';
import { withDeadline } from '../lifecycle/with-timeout.js';
import type { PluginScope } from './plugin-scope.js';

/** Start hooks run one plugin at a time in dependency order, after every edge is up. */
export async function runStartHooks(order: readonly string[], scopes: ReadonlyMap<string, PluginScope>, timeoutMs: number): Promise<void> {
  for (const id of order) {
    for (const hook of scopes.get(id)?.lifecycle.startHooks ?? []) {
      try {
        await withDeadline(Promise.resolve().then(hook), timeoutMs, () => errors.plugin.START_FAILED.create(`plugin ${id}: start hook did not finish within ${timeoutMs} ms`));
      } catch (cause) {
        if (errors.plugin.START_FAILED.is(cause)) throw cause;
        throw errors.plugin.START_FAILED.create(`plugin ${id}: start hook failed: ${(cause as Error).message}`, { cause });
      }
    }
  }
}

/** Shutdown hooks of one plugin, newest first; failures are reported, not thrown, so the unwind goes on. */
export async function runShutdownHooks(id: string, scope: PluginScope, timeoutMs: number): Promise<void> {
  const failures: Error[] = [];
  for (const hook of [...scope.lifecycle.shutdownHooks].reverse()) {
    try {
      await withDeadline(Promise.resolve().then(hook), timeoutMs, () => errors.plugin.STOP_FAILED.create(`plugin ${id}: shutdown hook did not finish within ${timeoutMs} ms`));
    } catch (cause) {
      failures.push(errors.plugin.STOP_FAILED.is(cause) ? cause : errors.plugin.STOP_FAILED.create(`plugin ${id}: shutdown hook failed: ${(cause as Error).message}`, { cause }));
    }
  }
  if (failures.length > 0) throw failures[0];
}
