/**
 * The local network a drill runs against: `lpx dev up`'s processes, started
 * in-process through startDevNetwork so a drill can SIGKILL and restart any
 * of them (orchestrators, the gateway, Redis) and read their RSS and Redis.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { brokerDeposit, brokerStatus } from '../../core/src/chain/broker-commands.js';
import { startDevNetwork, type DevNetwork } from '../../core/src/dev/dev-network.js';
import { startNodeProcess, type NodeProcess } from '../../core/src/dev/node-process.js';
import { connectRedis } from '../../core/src/redis/connect.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../core/src/redis/embedded-redis.js';

export interface DrillNode {
  /** The dev-network name: `orchestrator-1`, …, `gateway`. */
  readonly name: string;
  process: NodeProcess;
}

export interface DrillNetwork {
  readonly dev: DevNetwork;
  readonly nodes: DrillNode[];
  readonly gatewayUrl: string;
  /** A tenant API key when the gateway has tenants; undefined on an open gateway. */
  readonly apiKey: string | undefined;
  /** The current Redis url (the same after a restart: the port is kept). */
  readonly redisUrl: string;
  redis(): Promise<Redis>;
  /** SIGKILL a node and start it again on the same config, port and data. */
  killAndRestart(name: string): Promise<void>;
  /** SIGKILL redis-server and start it again on the same port and AOF. */
  killAndRestartRedis(): Promise<void>;
  /** Node processes that exited without being asked to. */
  crashed(): string[];
  stop(): Promise<void>;
}

export async function startDrillNetwork(options: { orchestrators?: number; tenants?: number } = {}): Promise<DrillNetwork> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lpx-drill-'));
  // A budget no drill exhausts: the drills measure the network, not the tenant's spending limit.
  const dev = await startDevNetwork({ orchestrators: options.orchestrators ?? 2, dataDir, tenants: options.tenants ?? 1, tenantBudgetWei: 10n ** 30n, onWarning: (m) => process.stderr.write(`[dev] ${m}\n`) });
  const nodes: DrillNode[] = [
    ...dev.orchestrators.map((o, i) => ({ name: `orchestrator-${i + 1}`, process: o.process })),
    { name: 'gateway', process: dev.gateway.process },
  ];
  const killedOnPurpose = new Set<number>();
  const depositKeeper = keepDepositFunded(dev);
  let redisServer: EmbeddedRedis = dev.redis;
  const clients: Redis[] = [];

  const restartNode = async (node: DrillNode): Promise<void> => {
    killedOnPurpose.add(node.process.pid);
    await node.process.kill();
    const config = JSON.parse(readFileSync(join(dataDir, `${node.name}.json`), 'utf8')) as { http: { port: number } };
    node.process = await startNodeProcess(node.name, dataDir, config, config.http.port);
  };

  return {
    dev,
    nodes,
    gatewayUrl: dev.gateway.httpUrl,
    apiKey: dev.tenants[0]?.apiKey,
    get redisUrl() {
      return redisServer.url;
    },
    async redis() {
      const client = await connectRedis(redisServer.url, { connectTimeoutMs: 10_000 });
      clients.push(client);
      return client;
    },
    async killAndRestart(name) {
      const node = nodes.find((n) => n.name === name);
      if (node === undefined) throw new Error(`no drill node ${name}`);
      await restartNode(node);
    },
    async killAndRestartRedis() {
      const { port } = redisServer;
      process.kill(redisServer.pid, 'SIGKILL');
      // The old server's stop() waits for this exit; a new one takes the same port and AOF.
      await redisServer.stop().catch(() => undefined);
      redisServer = await startEmbeddedRedis({ dataDir: join(dataDir, 'redis'), port, startTimeoutMs: 60_000 });
    },
    crashed() {
      return nodes.filter((n) => n.process.child.exitCode !== null && !killedOnPurpose.has(n.process.pid)).map((n) => n.name);
    },
    async stop() {
      clearInterval(depositKeeper);
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
      for (const node of [...nodes].reverse()) await node.process.stop().catch(() => undefined);
      if (redisServer !== dev.redis) await redisServer.stop().catch(() => undefined);
      await dev.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Winning tickets drain the dev gateway's 10 ETH deposit within minutes of
 * steady load (the dev tickets are large), after which every job fails with
 * "no sender deposit". Drills measure the node, not that limit: top it up.
 */
function keepDepositFunded(dev: DevNetwork): NodeJS.Timeout {
  const sender = dev.chain.accounts.find((a) => a.role === 'sender')!;
  const target = { rpcUrl: dev.chain.rpcUrl, controller: dev.chain.controller };
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      const { info } = await brokerStatus({ ...target, address: sender.address as `0x${string}` });
      if (info.deposit < parseEther('5')) await brokerDeposit({ ...target, account: privateKeyToAccount(sender.privateKey), amount: parseEther('10') });
    })()
      .catch((error: Error) => process.stderr.write(`[drill] deposit top-up failed: ${error.message}\n`))
      .finally(() => (busy = false));
  }, 5_000);
  timer.unref();
  return timer;
}

/** Resident set size of a process in bytes (Linux /proc), undefined when it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
