/**
 * A typed handle on a kernel service. The phantom `T` carries the type; the
 * string id is the real identity, so two copies of the sdk still interoperate
 * and errors can name the service.
 */
export interface ServiceRef<T> {
  readonly $$type: 'service-ref';
  readonly id: string;
  /** root: one instance for the node; plugin: one instance per plugin (logger, config, http...). */
  readonly scope: 'root' | 'plugin';
  /** Never set at runtime; only carries T for inference. */
  readonly T?: T;
}

export function createServiceRef<T>(options: { id: string; scope?: 'root' | 'plugin' }): ServiceRef<T> {
  return { $$type: 'service-ref', id: options.id, scope: options.scope ?? 'root' };
}

export function isServiceRef(value: unknown): value is ServiceRef<unknown> {
  return typeof value === 'object' && value !== null && (value as { $$type?: unknown }).$$type === 'service-ref';
}
