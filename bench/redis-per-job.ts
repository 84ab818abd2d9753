/**
 * Redis commands per job, by the connection that sent them (its client
 * name), through the gateway or straight to the orchestrator, on a dev
 * network with steady-state tickets (as bench/gateway-throughput.ts):
 * MONITOR on a connection of its own while the jobs run. Commands inside Lua
 * scripts show as `lua`. A diagnostic, not a speed measure (MONITOR slows
 * Redis), so it prints counts only.
 *
 *   node --import tsx bench/redis-per-job.ts [gateway|direct] [jobs] [concurrency]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Pool } from 'undici';
import { privateKeyToAccount } from 'viem/accounts';
import { startDevNetwork } from '../core/src/dev/dev-network.js';
import type { PoolEntry } from '../core/src/gateway/pool/pool-options.js';
import { encodeJobRequestHeader } from '../core/src/network/byoc/index.js';
import { createChainPaymentSources } from '../core/src/payments-chain/create-sources.js';
import { createJobSender } from '../core/src/roles/gateway/job-sender.js';
import { measureConcurrent as measure } from './rate.js';
import { runNodesCompiled } from './compiled-nodes.js';

runNodesCompiled();

const mode = process.argv[2] === 'direct' ? 'direct' : 'gateway';
const jobs = Number(process.argv[3] ?? 300);
const concurrency = Number(process.argv[4] ?? 16);
const TICKET_EV = 2n * 10n ** 17n;

const dataDir = mkdtempSync(join(tmpdir(), 'lpx-bench-redis-'));
const network = await startDevNetwork({ orchestrators: 1, dataDir, echoCapacity: 16, tenantBudgetWei: 10n ** 24n, tickets: { ev: TICKET_EV, senderFundsWei: 1_000n * 10n ** 18n } });
const chainSources = await createChainPaymentSources({ rpcUrl: network.chain.rpcUrl, controller: network.chain.controller });
const senderKey = network.chain.accounts.find((a) => a.role === 'sender')!.privateKey as `0x${string}`;
const direct = createJobSender({ account: privateKeyToAccount(senderKey), chain: chainSources, requestTimeoutMs: 15_000, limits: { maxEV: 2n * TICKET_EV, maxTotalEV: 200n * TICKET_EV }, logger: pino({ level: 'silent' }) });
const client = new Pool(network.gateway.httpUrl, { connections: 64 });
const admin = new Redis(network.redis.url);
let monitor: Redis | undefined;
try {
  const first = { uri: network.orchestrators[0]!.serviceUri } as PoolEntry;
  const header = encodeJobRequestHeader({ id: '', request: '{}', parameters: JSON.stringify({ orchestrators: { include: [first.uri] } }), capability: 'echo', timeout_seconds: 30, sender: '', sig: '' });
  const viaGateway = async (i: number): Promise<void> => {
    const response = await client.request({ path: '/process/request/', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${network.tenants[0]!.apiKey}`, livepeer: header }, body: JSON.stringify({ text: `w${i}` }) });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`gateway answered ${response.statusCode}: ${text}`);
  };
  const straight = async (i: number): Promise<void> => {
    await direct.send(first, { capabilityId: 'byoc/echo', input: { text: `d${i}` }, requestId: randomUUID(), signal: AbortSignal.timeout(30_000) });
  };
  const call = mode === 'gateway' ? viaGateway : straight;
  // Discovery may take a while on a loaded machine: until then the gateway answers 404 for byoc/echo.
  for (let tries = 0; !(await viaGateway(0).then(() => true, () => false)); tries++) {
    if (tries > 120) throw new Error('the gateway never routed byoc/echo');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  await measure(32, concurrency, call);
  // A quiet moment before MONITOR starts: ioredis mistakes a command echoed during its switch for a reply.
  await new Promise((resolve) => setTimeout(resolve, 200));
  monitor = await admin.monitor();
  const counts = new Map<string, number>();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const key = `${source}\t${(args[0] ?? '').toLowerCase()}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  await measure(jobs, concurrency, call);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const names = new Map<string, string>();
  for (const line of ((await admin.client('LIST')) as string).split('\n')) {
    const address = /addr=(\S+)/.exec(line)?.[1];
    if (address !== undefined) names.set(address, /name=(\S*)/.exec(line)?.[1] || address);
  }
  const rows = [...counts].map(([key, count]) => {
    const [source, command] = key.split('\t') as [string, string];
    return { who: names.get(source) ?? source, command, perJob: count / jobs };
  });
  rows.sort((a, b) => b.perJob - a.perJob);
  console.log(`Redis commands per job, ${mode}, ${jobs} jobs at c=${concurrency} (lua: inside scripts)`);
  for (const row of rows.filter((r) => r.perJob >= 0.01)) console.log(`${row.perJob.toFixed(2).padStart(7)}  ${row.command.padEnd(18)} ${row.who}`);
} finally {
  monitor?.disconnect();
  admin.disconnect();
  direct.close();
  await client.close();
  await chainSources.close();
  await network.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
