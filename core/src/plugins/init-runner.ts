import { errors } from '@lpx/sdk';
import type { PluginGraph } from './plugin-graph.js';

export interface InitOutcome {
  /** Plugins whose init resolved, in completion order. */
  readonly initialised: string[];
}

/**
 * Runs each plugin's init as soon as everything it depends on has finished,
 * so independent branches run in parallel. The first failure or timeout stops
 * scheduling; inits already running are allowed to settle (a timed-out one is
 * abandoned) and the error names the plugin and the cause.
 *
 * `afterInit` runs once a plugin's init resolved (and `onInitialised` ran) and
 * before any plugin that depends on it starts: the kernel builds the services
 * the plugin provides there (docs/adr/0018-plugin-provided-services.md).
 */
export async function runInits(
  graph: PluginGraph,
  runOne: (id: string) => Promise<void>,
  timeoutFor: (id: string) => number,
  onInitialised: (id: string) => void = () => {},
  afterInit: (id: string) => Promise<void> = async () => {},
): Promise<InitOutcome> {
  const initialised: string[] = [];
  const started = new Map<string, Promise<void>>();
  let failure: Error | undefined;

  const start = (id: string): Promise<void> => {
    const existing = started.get(id);
    if (existing) return existing;
    const promise = (async () => {
      await Promise.all([...(graph.dependsOn.get(id) ?? [])].map(start));
      if (failure) return;
      await withTimeout(id, runOne(id), timeoutFor(id));
      initialised.push(id);
      onInitialised(id);
      if (failure) return;
      await afterInit(id);
    })().catch((error: unknown) => {
      failure ??= errors.plugin.INIT_TIMEOUT.is(error) || errors.plugin.SERVICE_FAILED.is(error) ? (error as Error) : wrapInitError(id, error);
    });
    started.set(id, promise);
    return promise;
  };

  await Promise.all(graph.order.map(start));
  if (failure) throw Object.assign(failure, { initialised });
  return { initialised };
}

function wrapInitError(id: string, error: unknown): Error {
  if (errors.plugin.INIT_FAILED.is(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return errors.plugin.INIT_FAILED.create(`plugin ${id} failed to initialise: ${message}`, { cause: error, details: { plugin: id } });
}

function withTimeout(id: string, promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(errors.plugin.INIT_TIMEOUT.create(`plugin ${id} did not finish init within ${ms} ms`, { details: { plugin: id } })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
