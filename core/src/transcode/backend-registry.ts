/**
 * The kernel's side of the `transcode.backends` extension point: plugins add
 * backends during their init, the kernel locks the point with the other
 * kernel-owned points, and from then on the set is fixed (only statuses move).
 */
import { errors, type TranscodeBackend, type TranscodeBackendsExtensionPoint } from '@lpx/sdk';

export class TranscodeBackendRegistry implements TranscodeBackendsExtensionPoint {
  readonly #backends = new Map<string, TranscodeBackend>();

  addBackend(backend: TranscodeBackend): void {
    const name = backend?.name;
    if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
      throw errors.plugin.REGISTER_INVALID.create(`a transcode backend needs a lowercase name ([a-z0-9._-]), got ${JSON.stringify(name)}`);
    }
    // Two backends under one name would share stickiness, metrics and status keys.
    if (this.#backends.has(name)) throw errors.transcode.BACKEND_DUPLICATE.create(`two plugins added a transcode backend named "${name}"`, { details: { backend: name } });
    this.#backends.set(name, backend);
  }

  get size(): number {
    return this.#backends.size;
  }

  get(name: string): TranscodeBackend | undefined {
    return this.#backends.get(name);
  }

  list(): TranscodeBackend[] {
    return [...this.#backends.values()];
  }
}
