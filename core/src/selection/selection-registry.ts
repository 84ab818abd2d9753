import { errors, type SelectionAlgorithm, type SelectionAlgorithmsExtensionPoint } from '@lpx/sdk';

/** Selection algorithms contributed by plugins, looked up by name from config. */
export class SelectionRegistry implements SelectionAlgorithmsExtensionPoint {
  readonly #algorithms = new Map<string, SelectionAlgorithm>();

  addAlgorithm(algorithm: SelectionAlgorithm): void {
    if (this.#algorithms.has(algorithm.name)) throw errors.plugin.EXTENSION_POINT_ILLEGAL.create(`selection algorithm ${algorithm.name} is registered twice`);
    this.#algorithms.set(algorithm.name, algorithm);
  }

  get(name: string): SelectionAlgorithm | undefined {
    return this.#algorithms.get(name);
  }

  get names(): string[] {
    return [...this.#algorithms.keys()];
  }
}
