import type { Logger } from 'pino';
import { byocCapabilityId, errors, type PluginManifest } from '@lpx/sdk';
import { evaluateTrust, type TrustPolicy } from '@lpx/registry';
import type { CapabilityRegistry } from '../capabilities/index.js';
import type { CapacityChange } from '../capabilities/registry/registry-events.js';
import type { RegistryRelease } from './load-plugins.js';

/** A loaded registry plugin found revoked while the node runs. */
export interface RevokedPlugin {
  readonly id: string;
  readonly version: string;
  /** The refusal's message: who revoked it and why. */
  readonly reason: string;
  /** Capabilities withdrawn (capacity held at 0). */
  readonly capabilities: readonly string[];
  readonly detectedAt: string;
}

export interface RevocationWatchOptions {
  /** Registry plugins the node loaded, by plugin id. */
  readonly releases: ReadonlyMap<string, RegistryRelease>;
  readonly policy: TrustPolicy | undefined;
  readonly capabilities: CapabilityRegistry;
  readonly logger: Logger;
  readonly refreshMs: number;
}

/**
 * Honours revocation at refresh (ADR 0037): every `refreshMs` it re-reads the
 * review state and revoked keys of each loaded registry plugin (re-fetching
 * an HTTP registry's mirror first). A revoked plugin is not unloaded — its
 * in-flight jobs finish — but its capabilities are held at capacity 0, so no
 * new job is routed to it and the node stops advertising it, and it is listed
 * by `revoked()`. Only REVOKED withdraws: a registry that cannot be read, or
 * a review changed to rejected, is logged and left for an operator, because
 * pulling a working plugin on a transient error would be worse.
 */
export class RevocationWatch {
  readonly #options: RevocationWatchOptions;
  readonly #revoked = new Map<string, RevokedPlugin>();
  readonly #withdrawn = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<readonly RevokedPlugin[]> | undefined;
  readonly #holdAtZero = (change: CapacityChange): void => {
    // A plugin (or a worker joining) raising the capacity of a withdrawn capability is undone at once.
    if (this.#withdrawn.has(change.capabilityId) && (this.#options.capabilities.get(change.capabilityId)?.capacity ?? 0) > 0) {
      this.#options.capabilities.setCapacity(change.capabilityId, 0);
    }
  };

  constructor(options: RevocationWatchOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#timer !== undefined || this.#options.releases.size === 0) return;
    this.#options.capabilities.on('capacity', this.#holdAtZero);
    this.#timer = setInterval(() => void this.check(), this.#options.refreshMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#options.capabilities.off('capacity', this.#holdAtZero);
  }

  /** The plugins found revoked so far (for `lpx plugins list` and status output). */
  revoked(): readonly RevokedPlugin[] {
    return [...this.#revoked.values()];
  }

  /** One pass over every loaded registry plugin; concurrent calls share the pass. Returns the plugins newly revoked. */
  check(): Promise<readonly RevokedPlugin[]> {
    this.#running ??= this.#check().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #check(): Promise<readonly RevokedPlugin[]> {
    const found: RevokedPlugin[] = [];
    const refreshed = new Set<unknown>();
    for (const [id, release] of this.#options.releases) {
      if (this.#revoked.has(id)) continue;
      try {
        if (release.registry.refresh && !refreshed.has(release.registry)) {
          refreshed.add(release.registry);
          await release.registry.refresh();
        }
        await evaluateTrust(release.entry, this.#options.policy);
      } catch (error) {
        if (errors.registry.REVOKED.is(error)) found.push(this.#withdraw(id, release, (error as Error).message));
        else this.#options.logger.warn({ err: error, plugin: id }, 'plugin registry re-check failed; the plugin stays loaded');
      }
    }
    return found;
  }

  #withdraw(id: string, release: RegistryRelease, reason: string): RevokedPlugin {
    const registry = this.#options.capabilities;
    const capabilities = capabilitiesOf(id, release.entry.manifest, registry);
    for (const capabilityId of capabilities) {
      this.#withdrawn.add(capabilityId);
      if (registry.get(capabilityId) !== undefined) registry.setCapacity(capabilityId, 0);
    }
    const revoked: RevokedPlugin = { id, version: release.entry.version, reason, capabilities, detectedAt: new Date().toISOString() };
    this.#revoked.set(id, revoked);
    this.#options.logger.error({ plugin: id, version: release.entry.version, capabilities, reason }, `plugin ${id}@${release.entry.version} was revoked in the registry; its capabilities are withdrawn`);
    return revoked;
  }
}

/**
 * What a release stands behind: the capabilities its manifest declares and it
 * provides, and its BYOC app's `byoc/<name>` — registered by the hosting plugin
 * (byoc-host) on the app's behalf, so its provider is not the app's plugin id.
 */
function capabilitiesOf(id: string, manifest: PluginManifest, registry: CapabilityRegistry): string[] {
  const declared = (manifest.capabilities ?? []).map((c) => c.id).filter((capabilityId) => registry.providerOf(capabilityId) === id);
  return manifest.byoc === undefined ? declared : [...new Set([...declared, byocCapabilityId(manifest.byoc.name)])];
}
