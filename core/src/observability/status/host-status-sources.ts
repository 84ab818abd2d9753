import { HOST_API_VERSION } from '@lpx/sdk';
import type { KernelConfig } from '../../config/kernel-schema.js';
import type { KernelServices } from '../../boot/kernel-services.js';
import type { PreparedPlugins } from '../../boot/prepare-plugins.js';
import type { RolesRuntime } from '../../boot/roles-runtime.js';
import type { NodeStatusSources } from './node-status.js';
import type { Registry } from 'prom-client';
import { parseAddress } from '../../payments/encoding/address.js';

export interface HostStatusParts {
  readonly config: KernelConfig;
  readonly prepared: PreparedPlugins;
  readonly kernel: KernelServices;
  readonly roles: RolesRuntime;
  readonly metrics: Registry;
  hasRoute(path: string): boolean;
  state(): string;
  readiness(): Promise<{ ready: boolean; checks: Record<string, string> }>;
}

/** Binds the status assembler to a booted host's parts (the host stays the composition root). */
export function hostStatusSources(parts: HostStatusParts): NodeStatusSources {
  const { config, prepared, kernel, roles } = parts;
  const plugins = prepared.graph.order.flatMap((id) => {
    const plugin = prepared.byId.get(id);
    if (plugin === undefined) return [];
    const manifest = plugin.definition.manifest;
    return [{ id, version: manifest.version, capabilities: (manifest.capabilities ?? []).map((c) => c.id) }];
  });
  return {
    name: config.node.name,
    version: HOST_API_VERSION,
    roles: config.node.roles,
    state: parts.state,
    address: () => roles.address,
    plugins: () => plugins,
    readiness: parts.readiness,
    capabilities: kernel.capabilities,
    metrics: parts.metrics,
    hasRoute: parts.hasRoute,
    senderInfo: () => {
      const { chain, address } = roles;
      // Only a gateway pays tickets: its deposit and reserve are what operators top up.
      if (roles.gateway === undefined || chain === undefined || address === undefined) return undefined;
      const sender = parseAddress(address);
      return () => chain.senderInfo.getSenderInfo(sender);
    },
  };
}
