/**
 * A typed handle on an extension point: a narrow interface one owner exposes so
 * other plugins can add implementations (strategies, algorithms, backends).
 */
export interface ExtensionPointRef<T> {
  readonly $$type: 'extension-point';
  readonly id: string;
  readonly T?: T;
}

export function createExtensionPoint<T>(options: { id: string }): ExtensionPointRef<T> {
  return { $$type: 'extension-point', id: options.id };
}

export function isExtensionPointRef(value: unknown): value is ExtensionPointRef<unknown> {
  return typeof value === 'object' && value !== null && (value as { $$type?: unknown }).$$type === 'extension-point';
}
