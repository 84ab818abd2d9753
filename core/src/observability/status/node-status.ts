import type { Registry } from 'prom-client';
import type { CapabilityDescriptor } from '@lpx/sdk';
import type { SenderInfo } from '../../payments/chain/sources.js';
import { counterByLabel } from './metric-totals.js';
import { gatewayStatus, orchestratorStatus } from './status-payments.js';
import type { CapabilityStatus, FundsStatus, JobOutcomes, JobsStatus, NodeStatus, PluginStatus } from './status-types.js';

export interface PluginInfo {
  readonly id: string;
  readonly version: string;
  readonly capabilities: readonly string[];
}

/** What the host hands the assembler: read on every request, so late parts (roles, chain) show once they exist. */
export interface NodeStatusSources {
  readonly name: string;
  readonly version: string;
  readonly roles: readonly string[];
  state(): string;
  address(): string | undefined;
  plugins(): readonly PluginInfo[];
  readiness(): Promise<{ ready: boolean; checks: Record<string, string> }>;
  readonly capabilities: {
    list(): readonly CapabilityDescriptor[];
    available(id: string): number;
    inUse(id: string): number;
  };
  readonly metrics: Registry;
  /** Whether the node serves GET at this path (the events stream is optional). */
  hasRoute(path: string): boolean;
  /** TicketBroker.getSenderInfo for this node's address, when it pays tickets on a chain. */
  senderInfo(): (() => Promise<SenderInfo>) | undefined;
}

export async function assembleNodeStatus(sources: NodeStatusSources, now: Date = new Date()): Promise<NodeStatus> {
  const { ready, checks } = await sources.readiness();
  const state = sources.state();
  const address = sources.address();
  const roles = sources.roles;
  const funds = sources.senderInfo();
  return {
    node: { name: sources.name, version: sources.version, roles, state, ...(address === undefined ? {} : { address }), ready, checks },
    generatedAt: now.toISOString(),
    links: { metrics: '/metrics', ...(sources.hasRoute('/events') ? { events: '/events' } : {}) },
    plugins: sources.plugins().map((plugin) => pluginStatus(plugin, state, checks)),
    capabilities: sources.capabilities.list().map((d) => capabilityStatus(d, sources.capabilities)),
    jobs: await jobsStatus(sources.metrics),
    ...(roles.includes('gateway') ? { gateway: await gatewayStatus(sources.metrics) } : {}),
    ...(roles.includes('orchestrator') || roles.includes('redeemer') ? { orchestrator: await orchestratorStatus(sources.metrics) } : {}),
    ...(funds === undefined ? {} : { funds: await fundsStatus(funds) }),
  };
}

/** The host's readiness names a revoked plugin `plugin:<id>`; every other plugin shares the node's state. */
function pluginStatus(plugin: PluginInfo, state: string, checks: Record<string, string>): PluginStatus {
  const revoked = checks[`plugin:${plugin.id}`];
  const health = revoked !== undefined ? 'revoked' : state === 'ready' ? 'ok' : state;
  return { id: plugin.id, version: plugin.version, health, ...(revoked === undefined ? {} : { detail: revoked }), capabilities: plugin.capabilities };
}

function capabilityStatus(d: CapabilityDescriptor, registry: NodeStatusSources['capabilities']): CapabilityStatus {
  return {
    id: d.id,
    mode: d.mode,
    providedBy: d.providedBy,
    capacity: d.capacity,
    inUse: registry.inUse(d.id),
    available: registry.available(d.id),
    ...(d.price === undefined ? {} : { price: { pricePerUnit: d.price.pricePerUnit, pixelsPerUnit: d.price.pixelsPerUnit ?? '1', unit: d.priceUnit } }),
  };
}

/** Job outcomes by capability from the jobs kernel's counters (each attempt counted where it ran). */
async function jobsStatus(registry: Registry): Promise<JobsStatus> {
  const completed = (await counterByLabel(registry, 'lpx_jobs_completed_total', 'capability')) ?? {};
  const failed = (await counterByLabel(registry, 'lpx_jobs_failed_total', 'capability')) ?? {};
  const retried = (await counterByLabel(registry, 'lpx_jobs_retried_total', 'capability')) ?? {};
  const ids = [...new Set([...Object.keys(completed), ...Object.keys(failed), ...Object.keys(retried)])].sort();
  const byCapability = ids.map((capability) => ({ capability, completed: completed[capability] ?? 0, failed: failed[capability] ?? 0, retried: retried[capability] ?? 0 }));
  const totals = byCapability.reduce<JobOutcomes>((sum, c) => ({ completed: sum.completed + c.completed, failed: sum.failed + c.failed, retried: sum.retried + c.retried }), { completed: 0, failed: 0, retried: 0 });
  return { totals, byCapability };
}

/** A failed chain read does not fail /status: the dashboard shows the error in the funds card. */
async function fundsStatus(read: () => Promise<SenderInfo>): Promise<FundsStatus> {
  try {
    const info = await read();
    return { depositWei: info.deposit.toString(), reserveWei: info.reserve.fundsRemaining.toString(), withdrawRound: info.withdrawRound.toString() };
  } catch (error) {
    return { depositWei: '0', reserveWei: '0', withdrawRound: '0', error: (error as Error).message };
  }
}
