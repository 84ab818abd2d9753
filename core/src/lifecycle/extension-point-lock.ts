import { errors } from '@lpx/sdk';

/**
 * Wraps an extension point implementation so calls after its owner finished
 * init fail loudly: a late registration would otherwise be silently ignored.
 */
export function lockable<T extends object>(id: string, implementation: T): { proxy: T; lock(): void } {
  let locked = false;
  const proxy = new Proxy(implementation, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (locked) throw errors.plugin.EXTENSION_POINT_ILLEGAL.create(`extension point ${id} is locked: its owner has finished init`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { proxy, lock: () => void (locked = true) };
}
