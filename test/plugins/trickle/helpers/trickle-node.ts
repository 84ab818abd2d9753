// A real lpx node with the orchestrator role and the trickle plugin, plus a
// consumer plugin that requires `trickle.channels` the way Live Runner or
// BYOC plugins do, so tests hold the service exactly as consumers get it.
import type { Test } from 'tap';
import { request } from 'undici';
import { coreServices, definePlugin, trickleServiceRef, type TrickleService } from '@lpx/sdk';
import { tricklePlugin, type TrickleConfig } from '../../../../plugins/trickle/src/index.js';
import { makeHost } from '../../../helpers/host.js';
import { testManifest } from '../../../helpers/plugins.js';
import { testRedis, uniquePrefix } from '../../../helpers/redis.js';

export interface TrickleNode {
  readonly service: TrickleService;
  /** The node's HTTP edge (for /metrics). */
  readonly httpUrl: string;
  readonly serviceUri: string | undefined;
  stop(): Promise<void>;
  /** A gauge or counter of the plugin from the node's /metrics. */
  metric(name: string): Promise<number | undefined>;
}

export async function startTrickleNode(t: Test, options: { readonly roles?: readonly string[]; readonly config?: TrickleConfig } = {}): Promise<TrickleNode> {
  let service: TrickleService | undefined;
  const consumer = definePlugin({
    manifest: testManifest('trickle-consumer', { requires: { services: ['trickle.channels', 'core.lifecycle'] } }),
    register(reg) {
      reg.registerInit({ deps: { trickle: trickleServiceRef, lifecycle: coreServices.lifecycle }, init: ({ trickle }) => void (service = trickle) });
    },
  });
  const roles = options.roles ?? ['orchestrator'];
  const redis = roles.includes('orchestrator') ? await testRedis(t) : undefined;
  const host = makeHost(t, [tricklePlugin, consumer], {
    ...(redis !== undefined ? { redis: { url: redis.url, prefix: uniquePrefix('trickle') } } : {}),
    node: { roles },
    ...(roles.includes('orchestrator') ? { orchestrator: { port: 0 } } : {}),
    ...(options.config !== undefined ? { plugins: { trickle: { config: options.config } } } : {}),
  });
  await host.start();
  return {
    service: service!,
    httpUrl: host.url!,
    serviceUri: host.serviceUri,
    stop: () => host.stop(),
    async metric(name) {
      const text = await (await request(`${host.url}/metrics`)).body.text();
      const line = text.split('\n').find((l) => l.startsWith(`lpx_trickle_${name} `));
      return line === undefined ? undefined : Number(line.split(' ')[1]);
    },
  };
}

/** Polls until `check` resolves true (state another connection reaches asynchronously). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
