// An lpx orchestrator booted from config with the live-runner plugin and the
// trickle.channels test double, plus polling helpers for the tests.
import type { PluginDefinition } from '@lpx/sdk';
import type { Host } from '../../../../core/src/boot/host.js';
import type { TestRedis } from '../../../helpers/redis.js';
import { makeHost, type Teardownable } from '../../../helpers/host.js';
import { testRedis, uniquePrefix } from '../../../helpers/redis.js';
import { liveRunnerPlugin } from '../../../../plugins/live-runner/src/index.js';
import { trickleDoublePlugin, type TrickleDouble } from './trickle-double.js';

export const ORCH_SECRET = 'live-runner-orchestrator-secret';

export interface LiveRunnerTestNode {
  readonly host: Host;
  readonly uri: string;
  readonly trickle: TrickleDouble;
  readonly redis: TestRedis;
  /** The node's redis.prefix (its credit store lives under it). */
  readonly prefix: string;
}

export async function startLiveRunnerNode(
  t: Teardownable,
  options: { config?: Record<string, unknown>; extraPlugins?: PluginDefinition[]; raw?: Record<string, unknown>; orchestrator?: Record<string, unknown> } = {},
): Promise<LiveRunnerTestNode> {
  const redis = await testRedis(t);
  const trickle = trickleDoublePlugin();
  const prefix = uniquePrefix('live-runner');
  const host = makeHost(t, [trickle.plugin, liveRunnerPlugin, ...(options.extraPlugins ?? [])], {
    redis: { url: redis.url, prefix },
    node: { roles: ['orchestrator'] },
    orchestrator: { port: 0, secret: ORCH_SECRET, ...options.orchestrator },
    plugins: { 'live-runner': { config: { healthIntervalMs: 100, heartbeatIntervalMs: 100, heartbeatTtlMs: 60_000, ...options.config } } },
    ...options.raw,
  });
  await host.start();
  return { host, uri: host.serviceUri!, trickle: trickle.instance(), redis, prefix };
}

/** Polls `probe` until it returns something other than undefined/false. */
export async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
