// The lpx gateway's BYOC streaming API as the gateway role composes it — the real
// service, routes, problem+json edge, ticket sender and tenant budgets on a real Redis —
// on loopback, pointed at stream orchestrator doubles instead of a discovered pool.
import type { Test } from 'tap';
import { fastify } from 'fastify';
import { pino } from 'pino';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { TenantConfig } from '../../../core/src/config/kernel-schema.js';
import { installProblemJson } from '../../../core/src/http/problem-json.js';
import { personalSign } from '../../../core/src/network/index.js';
import { jobSenderFor, type JobSender } from '../../../core/src/network/byoc/index.js';
import { fromHex, TicketSender, type Address } from '../../../core/src/payments/index.js';
import { streamTenancy } from '../../../core/src/roles/gateway/byoc-stream-routing.js';
import { registerByocStreamRoutes } from '../../../core/src/roles/gateway/byoc-stream-routes.js';
import { ByocStreamService } from '../../../core/src/roles/gateway/byoc-stream-service.js';
import { generateApiKey, hashApiKey } from '../../../core/src/roles/gateway/tenants/api-keys.js';
import { TenantBudgets } from '../../../core/src/roles/gateway/tenants/tenant-budgets.js';
import { TenantDirectory } from '../../../core/src/roles/gateway/tenants/tenant-directory.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';
import { chainState, StreamOrchestratorDouble, type ChainState, type DoubleScript } from './stream-orchestrator-double.js';

export const CAPABILITY = 'video-analysis';
export const PRICE = 10n; // wei per second; a ticket's EV is 1000 wei
export const ALICE = generateApiKey();
export const BOB = generateApiKey();
export const CAROL = generateApiKey();
const TENANTS: Record<string, TenantConfig> = {
  alice: { keys: [hashApiKey(ALICE)], capabilities: ['byoc/*'] },
  bob: { keys: [hashApiKey(BOB)], capabilities: ['byoc/*'] },
  carol: { keys: [hashApiKey(CAROL)], capabilities: ['byoc/*'], budget: { spendPerPeriod: '500', periodSeconds: 3600 } },
};

export interface GatewayUnderTest {
  readonly url: string;
  readonly service: ByocStreamService;
  readonly gatewayAddress: Address;
  /** Wei the tenant has been charged this period (Redis). */
  spent(tenant: string): Promise<bigint>;
  readonly chain: ChainState;
  orchestrator(script?: DoubleScript, price?: bigint): Promise<StreamOrchestratorDouble>;
  /** Orchestrators the token search asks, in the order added. */
  readonly candidates: string[];
}

export async function startGateway(t: Test, options: { paymentIntervalMs?: number; controlKeepaliveMs?: number } = {}): Promise<GatewayUnderTest> {
  const redis = await testRedis(t);
  const connection = await redis.connect();
  const account = privateKeyToAccount(generatePrivateKey());
  const gatewayAddress = fromHex(account.address);
  const chain = chainState(gatewayAddress);
  const tenants = new TenantDirectory(TENANTS);
  const budgets = new TenantBudgets(connection, uniquePrefix('byoc-stream'));
  const candidates: string[] = [];
  let sender: Promise<JobSender> | undefined;
  const service = new ByocStreamService({
    wire: {
      signer: account,
      sender: () => (sender ??= jobSenderFor(account)),
      tickets: new TicketSender({ signer: { address: gatewayAddress, signMessage: (m) => personalSign(account, m) }, rounds: chain.rounds, senderInfo: chain.senderInfo }),
      logger: pino({ level: 'silent' }),
      now: () => Date.now(),
      paymentIntervalMs: options.paymentIntervalMs ?? 3_600_000,
      controlKeepaliveMs: options.controlKeepaliveMs ?? 3_600_000,
      maxPaymentFailures: 2,
    },
    candidates: async () => candidates,
    ...streamTenancy({
      tenants,
      budgets,
      chargeFor: (name) => (name === undefined ? undefined : (wei) => budgets.reserve(tenants.get(name)!, wei)),
    }),
  });
  const app = fastify({ forceCloseConnections: true });
  installProblemJson(app);
  registerByocStreamRoutes(app, service);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  t.teardown(async () => {
    await service.close();
    await app.close();
  });
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    service,
    gatewayAddress,
    chain,
    spent: async (name) => (await budgets.report(tenants.get(name)!)).spentWei,
    candidates,
    async orchestrator(script = {}, price = PRICE) {
      const double = await new StreamOrchestratorDouble(CAPABILITY, price, script, chain).start(t);
      candidates.push(double.uri);
      return double;
    },
  };
}

/** The client's unsigned Livepeer header. */
export function livepeerHeader(fields: { request?: string; parameters?: string; capability?: string; timeout_seconds?: number }): string {
  return Buffer.from(JSON.stringify({ request: '{}', parameters: '{}', capability: CAPABILITY, timeout_seconds: 30, ...fields })).toString('base64');
}

export const ALL_CHANNELS = JSON.stringify({ enable_video_ingress: true, enable_video_egress: true, enable_data_output: true });

export function auth(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}
