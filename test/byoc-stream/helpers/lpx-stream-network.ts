// lpx's two BYOC streaming halves on one real network: the embedded dev chain
// (orchestrators staked, a funded sender), Redis, lpx orchestrators with
// trickle + byoc-host + byoc-stream on their TLS doors, and an lpx gateway
// (discovery-static, the sender's key, real tickets) whose /process/stream/*
// talks to them. Stream workers register over /capability/register with the
// orchestrator secret, as go-livepeer external workers do.
import type { Test } from 'tap';
import { request } from 'undici';
import type { PluginDefinition } from '@lpx/sdk';
import discoveryStaticPlugin from '@lpx/plugin-discovery-static';
import { privateKeyToAccount } from 'viem/accounts';
import { byocHostPlugin } from '../../../plugins/byoc-host/src/index.js';
import { byocStreamPlugin } from '../../../plugins/byoc-stream/src/index.js';
import { tricklePlugin } from '../../../plugins/trickle/src/index.js';
import type { Host } from '../../../core/src/boot/host.js';
import { startEmbeddedChain } from '../../../core/src/chain/index.js';
import { fetchJobToken, insecureOrchestratorAgent, jobSenderFor, type JobToken } from '../../../core/src/network/byoc/index.js';
import { generateApiKey, hashApiKey } from '../../../core/src/roles/gateway/tenants/api-keys.js';
import { TenantBudgets } from '../../../core/src/roles/gateway/tenants/tenant-budgets.js';
import { TenantDirectory } from '../../../core/src/roles/gateway/tenants/tenant-directory.js';
import { makeHost } from '../../helpers/host.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

export const STREAM_SECRET = 'lpx-pair-secret';
export const TICKET_EV = 100_000n;

export interface StreamOrchestrator {
  readonly host: Host;
  readonly uri: string;
  register(name: string, url: string, options?: { readonly price?: number; readonly capacity?: number; readonly token?: string }): Promise<void>;
}

export interface LpxStreamNetwork {
  readonly orchestrators: StreamOrchestrator[];
  readonly gateway: Host;
  readonly gatewayUrl: string;
  /** The gateway tenant's bearer key; its budget is large enough never to refuse. */
  readonly apiKey: string;
  /** Wei the gateway charged the tenant (its budget in Redis): the sum of every stream's charged_wei. */
  spent(): Promise<bigint>;
  /** The gateway's token at an orchestrator: its balance there and the capacity left. */
  token(o: StreamOrchestrator, capability: string): Promise<JobToken>;
}

/** Registers an external stream worker with an orchestrator, as go-livepeer's /capability/register takes it. */
export async function registerWorker(uri: string, secret: string, name: string, url: string, options: { readonly price?: number; readonly capacity?: number; readonly token?: string } = {}): Promise<void> {
  const body = JSON.stringify({ name, url, description: 'stream worker', capacity: options.capacity ?? 1, price_per_unit: options.price ?? 1, price_scaling: 1, currency: '', token: options.token ?? '' });
  const res = await insecureOrchestratorAgent().request({ origin: new URL(uri).origin, path: '/capability/register', method: 'POST', body, headers: { authorization: secret } });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`register ${name}: ${res.statusCode} ${text}`);
}

export async function startLpxStreamNetwork(t: Test, options: { readonly orchestrators?: number; readonly debitIntervalMs?: number; readonly paymentIntervalMs?: number } = {}): Promise<LpxStreamNetwork> {
  const redis = await testRedis(t);
  const count = options.orchestrators ?? 1;
  const chain = await startEmbeddedChain({ orchestrators: count, senders: 1 });
  t.teardown(() => chain.stop());
  const senderKey = chain.accounts.find((a) => a.role === 'sender')!.privateKey;
  const chainRef = { rpcUrl: chain.rpcUrl, controller: chain.controller };
  const orchestrators: StreamOrchestrator[] = [];
  for (const account of chain.accounts.filter((a) => a.role === 'orchestrator')) {
    const plugins: PluginDefinition[] = [tricklePlugin, byocHostPlugin, byocStreamPlugin];
    const host = makeHost(t, plugins, {
      redis: { url: redis.url, prefix: uniquePrefix('lpx-pair-o') },
      node: { roles: ['orchestrator', 'worker'] },
      chain: { ...chainRef, privateKey: account.privateKey, l1BlockTimeMs: 100 },
      orchestrator: { port: 0, secret: STREAM_SECRET, ticketEV: TICKET_EV.toString(), pricePerUnit: '1', pixelsPerUnit: '1' },
      plugins: { 'byoc-stream': { config: { debitIntervalMs: options.debitIntervalMs ?? 3_600_000 } } },
    });
    await host.start();
    const uri = host.serviceUri!;
    orchestrators.push({ host, uri, register: (name, url, o) => registerWorker(uri, STREAM_SECRET, name, url, o) });
  }
  const apiKey = generateApiKey();
  const tenants = { pair: { keys: [hashApiKey(apiKey)], capabilities: ['byoc/*'], budget: { spendPerPeriod: (10n ** 30n).toString(), periodSeconds: 86_400 } } };
  const gatewayPrefix = uniquePrefix('lpx-pair-g');
  const gateway = makeHost(t, [discoveryStaticPlugin], {
    redis: { url: redis.url, prefix: gatewayPrefix },
    node: { roles: ['gateway'] },
    http: { host: '127.0.0.1', port: 0 },
    chain: { ...chainRef, privateKey: senderKey },
    gateway: { byocStreamPaymentIntervalMs: options.paymentIntervalMs ?? 3_600_000, tenants },
    plugins: { 'discovery-static': { config: { orchAddr: orchestrators.map((o) => o.uri) } } },
  });
  await gateway.start();
  const sender = await jobSenderFor(privateKeyToAccount(senderKey));
  const budgets = new TenantBudgets(await redis.connect(), gatewayPrefix);
  const tenant = new TenantDirectory(tenants).get('pair')!;
  return {
    orchestrators,
    gateway,
    gatewayUrl: gateway.url!,
    apiKey,
    spent: async () => (await budgets.report(tenant)).spentWei,
    token: (o, capability) => fetchJobToken({ serviceUri: o.uri, capability, sender, timeoutMs: 10_000 }),
  };
}

/** The client's unsigned Livepeer header for a stream start. */
export function clientHeader(capability: string, parameters: unknown = { enable_video_ingress: true, enable_video_egress: true, enable_data_output: true }, timeoutSeconds = 30): string {
  return Buffer.from(JSON.stringify({ request: '{}', parameters: JSON.stringify(parameters), capability, timeout_seconds: timeoutSeconds })).toString('base64');
}

export interface StreamUrls {
  readonly stream_id: string;
  readonly update_url: string;
  readonly status_url: string;
  readonly data_url: string;
  readonly stop_url: string;
  readonly ingest_url: string;
  readonly out_url: string;
}

export async function startClientStream(net: Pick<LpxStreamNetwork, 'gatewayUrl' | 'apiKey'>, capability: string, body: unknown = {}, parameters?: unknown): Promise<{ status: number; json: StreamUrls & { code?: string; detail?: string } }> {
  const res = await request(`${net.gatewayUrl}/process/stream/start`, { method: 'POST', headers: { authorization: `Bearer ${net.apiKey}`, livepeer: clientHeader(capability, parameters), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, json: JSON.parse(text) as StreamUrls };
}
