/**
 * `lpx dev up`: a whole local Livepeer network as separate processes — an
 * embedded Redis, an anvil chain with the dev contracts (funded gateway,
 * bonded orchestrators with their service URIs registered), N orchestrators
 * that run their own workers and redeem their winning tickets, and a gateway.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startEmbeddedChain, type EmbeddedChain } from '../chain/embedded-anvil.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../redis/embedded-redis.js';
import { startChainKeeper, type ChainKeeper } from './chain-keeper.js';
import { distinctFreePorts } from './dev-ports.js';
import { mapWithConcurrency, startConcurrency } from './start-concurrency.js';
import { progressReporter, type DevProgress } from './dev-progress.js';
import { generateApiKey, hashApiKey } from '../roles/gateway/tenants/api-keys.js';
import { DEV_BLOCK_TIME_MS, DEV_TICKET_EV, devByocCacheDir, devRuntimeDockerConfig, gatewayConfig, orchestratorConfig, workerConfig } from './dev-configs.js';
import { installByocExample } from './byoc-example.js';
import { startOrphanReaper } from './orphan-reaper.js';
import { startNodeProcess, type NodeProcess, type NodeProcessOptions } from './node-process.js';
import { makePrivateDir, writePrivateFile } from './private-files.js';
import { registerServiceUri } from './service-uri.js';

export type DevNetworkEvent =
  | { service: 'redis'; url: string }
  | { service: 'chain'; rpcUrl: string; controller: string; chainId: number }
  | { role: 'orchestrator'; serviceUri: string; address: string; httpUrl: string; pid: number }
  | { role: 'gateway'; httpUrl: string; address: string; pid: number }
  | { role: 'worker'; orchestrator: string; httpUrl: string; pid: number }
  /** The BYOC example partner installed for orchestrator 1 (`--byoc`): its capability and pinned image id. */
  | { service: 'byoc'; capability: string; digest: string }
  /** One per tenant of the dev gateway: the API key scripts send as `Authorization: Bearer <apiKey>`. */
  | { tenant: string; apiKey: string }
  | { ready: true };

export interface DevNetworkOptions {
  readonly orchestrators?: number;
  /** Everything (configs, logs, Redis AOF) goes here; wiped at start. Default `.lpx/dev`. */
  readonly dataDir?: string;
  readonly onEvent?: (event: DevNetworkEvent) => void;
  readonly onWarning?: (message: string) => void;
  /** Each finished start-up step with the time since start (the CLI prints these to stderr). */
  readonly onProgress?: (progress: DevProgress) => void;
  /** How long each node may take to be ready, and to stay silent while booting (node-process.ts defaults). */
  readonly readiness?: Pick<NodeProcessOptions, 'readyTimeoutMs' | 'readyStallMs'>;
  /** Tenants of the gateway, each with a key and a budget (default 1); 0: an open gateway (loopback only). */
  readonly tenants?: number;
  /** Each tenant's budget per day in wei (default DEV_TENANT_BUDGET_WEI); drills that run for minutes raise it. */
  readonly tenantBudgetWei?: bigint;
  /** Worker processes per orchestrator, each with one transcode session (default 0: each orchestrator works itself). */
  readonly workers?: number;
  /**
   * AI on the network: orchestrator 1 runs the reference runner's containers (its own dockerd, the
   * image built once per machine) and the gateway serves go-livepeer's AI routes and OpenAI's /v1.
   */
  readonly ai?: boolean;
  /**
   * BYOC on the network: orchestrator 1 hosts the example partner plugin (examples/byoc-echo-plugin,
   * its image built on the same dockerd as --ai) as `byoc/<name>` and as a Live Runner app.
   */
  readonly byoc?: boolean;
  /** `byoc/echo` jobs each orchestrator takes at once (default 8). */
  readonly echoCapacity?: number;
  /**
   * Ticket economics other than the dev defaults, for benches that want a network's steady state
   * rather than a demo's: the orchestrators' ticket EV (the gateway's EV limits follow it) and the
   * sender's TicketBroker deposit and reserve, each (a large reserve lets face value reach 100 × EV,
   * so few tickets win; the defaults make about half of them win). `senders` funded senders (default 1):
   * the gateway pays with the first, a bench's own clients with the others (`chain.accounts`), so no two
   * payers share one balance at the orchestrator.
   */
  readonly tickets?: { readonly ev: bigint; readonly senderFundsWei: bigint; readonly senders?: number };
}

export interface DevTenant {
  readonly tenant: string;
  readonly apiKey: string;
}

/** Each dev tenant may spend this much per UTC day: a thousand of the dev chain's large tickets. */
export const DEV_TENANT_BUDGET_WEI = DEV_TICKET_EV * 1_000n;

export interface DevOrchestrator {
  readonly serviceUri: string;
  readonly address: string;
  readonly privateKey: string;
  /** Its `orchestrator.secret`: external BYOC workers register with it (the demo's stream worker). */
  readonly secret: string;
  readonly process: NodeProcess;
  /** Its separate worker processes (`workers` option). */
  readonly workers: readonly NodeProcess[];
}

export interface DevNetwork {
  readonly redis: EmbeddedRedis;
  readonly chain: EmbeddedChain;
  readonly orchestrators: readonly DevOrchestrator[];
  readonly gateway: { readonly httpUrl: string; readonly address: string; readonly process: NodeProcess };
  /** The gateway's clients and their keys (also in `<dataDir>/tenants.json`). */
  readonly tenants: readonly DevTenant[];
  readonly dataDir: string;
  stop(): Promise<void>;
}

export async function startDevNetwork(options: DevNetworkOptions = {}): Promise<DevNetwork> {
  const count = options.orchestrators ?? 2;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`--orchestrators must be a positive integer, got ${count}`);
  const tenantCount = options.tenants ?? 1;
  if (!Number.isInteger(tenantCount) || tenantCount < 0) throw new RangeError(`--tenants must be a non-negative integer, got ${tenantCount}`);
  const workerCount = options.workers ?? 0;
  if (!Number.isInteger(workerCount) || workerCount < 0) throw new RangeError(`--workers must be a non-negative integer, got ${workerCount}`);
  if (options.ai === true && workerCount > 0) throw new RangeError('--ai runs the runner containers on orchestrator 1 itself: use it without --workers');
  if (options.byoc === true && workerCount > 0) throw new RangeError('--byoc runs the partner container on orchestrator 1 itself: use it without --workers');
  const dataDir = resolve(options.dataDir ?? '.lpx/dev');
  const emit = options.onEvent ?? (() => {});
  const progress = progressReporter(options.onProgress);
  await rm(dataDir, { recursive: true, force: true });
  // Node configs in here hold private keys and the worker secret.
  await makePrivateDir(dataDir);

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch((error: Error) => options.onWarning?.(`stop failed: ${error.message}`));
    stops.length = 0;
  };
  const reaper = startOrphanReaper(join(dataDir, 'dev-pids.json'));
  stops.push(async () => reaper.stop());
  // Built while Redis and the chain start: the image takes seconds, and only orchestrator 1 needs it.
  const byocInstall = options.byoc === true ? installByocExample(join(dataDir, 'byoc-echo-plugin'), devRuntimeDockerConfig(), { cacheDir: devByocCacheDir() }) : undefined;
  byocInstall?.catch(() => undefined);
  try {
    const redis = await startEmbeddedRedis({ dataDir: join(dataDir, 'redis') });
    reaper.track(redis.pid);
    stops.push(() => redis.stop());
    emit({ service: 'redis', url: redis.url });
    progress('redis', redis.url);

    // Rounds of 500 blocks (100 s at the keeper's pace): a winner issued near a round's end still has
    // time to be redeemed after its params expire (40 blocks) and before the ticket itself expires.
    const funds = options.tickets === undefined ? {} : { senderDeposit: options.tickets.senderFundsWei, senderReserve: options.tickets.senderFundsWei };
    const chain = await startEmbeddedChain({ orchestrators: count, senders: options.tickets?.senders ?? 1, protocol: { roundLength: 500n }, onProgress: progress, ...funds });
    reaper.track(chain.pid);
    stops.push(() => chain.stop());
    const keeper: ChainKeeper = startChainKeeper(chain, DEV_BLOCK_TIME_MS, (error) => options.onWarning?.(`chain keeper: ${(error as Error).message}`));
    stops.push(() => keeper.stop());
    emit({ service: 'chain', rpcUrl: chain.rpcUrl, controller: chain.controller, chainId: chain.chainId });
    const chainRef = { rpcUrl: chain.rpcUrl, controller: chain.controller };

    const orchestratorAccounts = chain.accounts.filter((a) => a.role === 'orchestrator');
    const sender = chain.accounts.find((a) => a.role === 'sender')!;
    // Every node's ports at once, all distinct: nodes start in parallel and bind them only then.
    const ports = await distinctFreePorts(orchestratorAccounts.length * (2 + workerCount) + 1);
    const nextPort = (): number => ports.pop()!;
    const planned = orchestratorAccounts.map((account, i) => ({
      account,
      index: i + 1,
      httpPort: nextPort(),
      servicePort: nextPort(),
      workerPorts: Array.from({ length: workerCount }, nextPort),
    }));
    const gatewayPort = nextPort();
    for (const o of planned) {
      const uri = `https://127.0.0.1:${o.servicePort}`;
      await registerServiceUri(chain.rpcUrl, chain.addresses.serviceRegistry, o.account.privateKey, uri);
      progress(`orchestrator ${o.index} registered`, `${uri} ${o.account.address}`);
    }
    const byoc = await byocInstall;
    if (byoc !== undefined) emit({ service: 'byoc', capability: `byoc/${byoc.app}`, digest: byoc.digest });

    // A few at a time: every node boot is CPU-bound (TypeScript loaded at run time), and eight at
    // once on a 2-core machine starve each other and Redis past their connect timeouts.
    const orchestrators = await mapWithConcurrency(
      planned,
      startConcurrency(),
      async (o) => {
        const secret = randomBytes(16).toString('hex');
        const config = orchestratorConfig({
          index: o.index,
          redisUrl: redis.url,
          chain: chainRef,
          privateKey: o.account.privateKey,
          httpPort: o.httpPort,
          servicePort: o.servicePort,
          dataDir: join(dataDir, `orchestrator-${o.index}`),
          secret,
          separateWorkers: workerCount > 0,
          ...(options.echoCapacity !== undefined ? { echoCapacity: options.echoCapacity } : {}),
          ...(options.tickets !== undefined ? { ticketEV: options.tickets.ev } : {}),
          ai: options.ai === true && o.index === 1,
          ...(byoc !== undefined && o.index === 1 ? { byoc: { pluginId: byoc.pluginId, module: join(byoc.dir, 'index.js') } } : {}),
        });
        const process = await startNodeProcess(`orchestrator-${o.index}`, dataDir, config, o.httpPort, options.readiness);
        reaper.track(process.pid);
        stops.push(() => process.stop());
        const serviceUri = `https://127.0.0.1:${o.servicePort}`;
        emit({ role: 'orchestrator', serviceUri, address: o.account.address, httpUrl: process.httpUrl, pid: process.pid });
        progress(`orchestrator ${o.index} ready`, `${serviceUri} (pid ${process.pid})`);
        const workers: NodeProcess[] = [];
        for (let w = 1; w <= workerCount; w++) {
          const httpPort = o.workerPorts[w - 1]!;
          const name = `worker-${o.index}-${w}`;
          const worker = await startNodeProcess(name, dataDir, workerConfig({ orchestrator: o.index, index: w, redisUrl: redis.url, httpPort, dataDir: join(dataDir, name) }), httpPort, options.readiness);
          reaper.track(worker.pid);
          stops.push(() => worker.stop());
          emit({ role: 'worker', orchestrator: serviceUri, httpUrl: worker.httpUrl, pid: worker.pid });
          progress(`worker ${o.index}.${w} ready`, `${worker.httpUrl} (pid ${worker.pid})`);
          workers.push(worker);
        }
        return { serviceUri, address: o.account.address, privateKey: o.account.privateKey, secret, process, workers };
      },
    );

    const tenants: DevTenant[] = Array.from({ length: tenantCount }, (_, i) => ({ tenant: `tenant-${i + 1}`, apiKey: generateApiKey() }));
    const tenantConfig = Object.fromEntries(tenants.map((t) => [t.tenant, { keys: [hashApiKey(t.apiKey)], budget: { spendPerPeriod: (options.tenantBudgetWei ?? DEV_TENANT_BUDGET_WEI).toString(), periodSeconds: 86_400 } }]));
    await writePrivateFile(join(dataDir, 'tenants.json'), `${JSON.stringify(tenants, null, 2)}\n`);
    const gatewayProcess = await startNodeProcess(
      'gateway',
      dataDir,
      gatewayConfig({ redisUrl: redis.url, chain: chainRef, privateKey: sender.privateKey, httpPort: gatewayPort, dataDir: join(dataDir, 'gateway'), orchestrators: orchestrators.map((o) => o.serviceUri), tenants: tenantConfig, ai: options.ai === true, ...(options.tickets !== undefined ? { ticketEV: options.tickets.ev } : {}) }),
      gatewayPort,
      options.readiness,
    );
    reaper.track(gatewayProcess.pid);
    stops.push(() => gatewayProcess.stop());
    emit({ role: 'gateway', httpUrl: gatewayProcess.httpUrl, address: sender.address, pid: gatewayProcess.pid });
    progress('gateway ready', `${gatewayProcess.httpUrl} (pid ${gatewayProcess.pid})`);
    for (const t of tenants) emit({ tenant: t.tenant, apiKey: t.apiKey });
    emit({ ready: true });

    return { redis, chain, orchestrators, gateway: { httpUrl: gatewayProcess.httpUrl, address: sender.address, process: gatewayProcess }, tenants, dataDir, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
