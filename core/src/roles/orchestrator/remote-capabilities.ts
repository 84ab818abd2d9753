/**
 * Capabilities served by remote AI workers (go-livepeer `-aiWorker` nodes
 * registering with the orchestrator secret) are declared by the kernel before
 * the registry is published, at capacity 0: the set of ids is fixed at boot
 * like every other capability, and only their capacity moves as workers
 * connect and leave. Remote transcoders are a transcode backend plugin
 * (transcode-remote, docs/adr/0023-orchestrator-wire-and-remote-transcoder-plugin.md).
 */
import type { CapabilityRegistry } from '../../capabilities/index.js';
import type { KernelConfig } from '../../config/kernel-schema.js';

export const REMOTE_WORKERS_PROVIDER = 'kernel.remote-workers';

export interface RemoteCapabilities {
  /** `ai/<pipeline>` → models served by remote AI workers. */
  readonly ai: ReadonlyMap<string, readonly string[]>;
}

export const NO_REMOTE_CAPABILITIES: RemoteCapabilities = { ai: new Map() };

export function remoteWorkersEnabled(config: KernelConfig): boolean {
  return config.node.roles.includes('orchestrator') && config.orchestrator.secret !== undefined;
}

export function declareRemoteCapabilities(registry: CapabilityRegistry, config: KernelConfig): RemoteCapabilities {
  if (!remoteWorkersEnabled(config)) return NO_REMOTE_CAPABILITIES;
  const settings = config.orchestrator;
  const ai = new Map<string, string[]>();
  for (const [pipeline, served] of Object.entries(settings.remoteAI)) {
    const id = `ai/${pipeline}`;
    registry.declare(REMOTE_WORKERS_PROVIDER, {
      id,
      version: 1,
      mode: 'request-response',
      workUnit: 'pixel',
      priceUnit: 'wei/pixel',
      description: `${pipeline} on remote AI workers registered with this orchestrator`,
      capacity: 0,
      constraints: { models: Object.fromEntries(served.models.map((model) => [model, { warm: true, capacity: 0 }])) },
      price: { pricePerUnit: served.pricePerUnit, pixelsPerUnit: served.pixelsPerUnit },
    });
    ai.set(id, [...served.models]);
  }
  return { ai };
}
