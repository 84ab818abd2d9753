import type { ByocHostedService, CapabilitiesService, CapabilityDeclaration, CapabilityRequest, HostedByocApp, LoggerService } from '@lpx/sdk';

/** A hosted app as byoc-host keeps it: what other plugins see, plus what only the proxy needs. */
export interface HostedEntry extends HostedByocApp {
  /** The legacy-wire capability; absent for apps that wire cannot bill (see capabilityDeclaration). */
  readonly declaration?: CapabilityDeclaration;
  /** Sent as `Authorization: Bearer <token>` (go-livepeer external capability `token`). */
  readonly token?: string;
  /** Registered over /capability/register: removed on a transport error or a 401 from the worker. */
  readonly external: boolean;
  /** A healthy instance's URL when the app runs several (round robin); `url` otherwise. */
  readonly pick?: () => string | undefined;
  /** Runs before anything is reserved or paid; throws errors.byoc.INPUT_INVALID. */
  readonly validate?: (request: CapabilityRequest) => Promise<void>;
}

interface Held {
  entry: HostedEntry;
  unregister?: () => void;
}

/**
 * The apps this node hosts (`byoc.hosted`) and their capabilities in the
 * kernel's registry: an app's `byoc/<name>` is registered the first time it
 * is ready, advertised with capacity 0 while it is not (so discovery keeps
 * its price), and unregistered when the app goes away.
 */
export class HostedApps implements ByocHostedService {
  readonly #held = new Map<string, Held>();
  readonly #listeners = new Set<(apps: readonly HostedByocApp[]) => void>();
  readonly #capabilities: CapabilitiesService;
  readonly #logger: LoggerService;
  /** Called once per app name that gets a capability: binds its job processor. */
  readonly #onCapability: (entry: HostedEntry) => void;

  constructor(capabilities: CapabilitiesService, logger: LoggerService, onCapability: (entry: HostedEntry) => void) {
    this.#capabilities = capabilities;
    this.#logger = logger;
    this.#onCapability = onCapability;
  }

  list(): readonly HostedByocApp[] {
    return [...this.#held.values()].map((held) => held.entry);
  }

  get(name: string): HostedEntry | undefined {
    return this.#held.get(name)?.entry;
  }

  onChange(listener: (apps: readonly HostedByocApp[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Adds or replaces an app (an external worker re-registering replaces its entry, as go-livepeer does). */
  put(entry: HostedEntry): void {
    const previous = this.#held.get(entry.name);
    previous?.unregister?.();
    const held: Held = { entry };
    this.#held.set(entry.name, held);
    this.#sync(held);
    this.#changed();
  }

  /** The app's readiness or capacity moved (an instance failed its health checks, or came back). */
  update(name: string, change: { readonly ready: boolean; readonly capacity: number }): void {
    const held = this.#held.get(name);
    if (held === undefined) return;
    if (held.entry.ready === change.ready && held.entry.capacity === change.capacity) return;
    held.entry = { ...held.entry, ready: change.ready, capacity: change.capacity };
    this.#sync(held);
    this.#changed();
  }

  remove(name: string, why: string): void {
    const held = this.#held.get(name);
    if (held === undefined) return;
    held.unregister?.();
    this.#held.delete(name);
    this.#logger.info({ app: name }, `BYOC app ${name} removed: ${why}`);
    this.#changed();
  }

  #sync(held: Held): void {
    const { entry } = held;
    const declaration = entry.declaration;
    if (declaration === undefined) return;
    const capacity = entry.ready ? entry.capacity : 0;
    if (held.unregister === undefined) {
      if (!entry.ready) return;
      held.unregister = this.#capabilities.register({ ...declaration, capacity }, entry.validate !== undefined ? { validate: entry.validate } : {});
      this.#onCapability(entry);
      return;
    }
    this.#capabilities.setCapacity(declaration.id, capacity);
  }

  #changed(): void {
    const apps = this.list();
    for (const listener of this.#listeners) {
      try {
        listener(apps);
      } catch (error) {
        this.#logger.error({ err: error }, 'a byoc.hosted listener failed');
      }
    }
  }
}
