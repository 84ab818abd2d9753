// The gateway's Live Runner routing wired for tests: a real OrchestratorPool
// fed by the doubles' GetOrchestrator answers, real /discovery over HTTP, real
// ticket payments over the in-memory chain (validated by the doubles'
// Recipient), the router and the app-facing routes on a real Fastify server
// with the kernel's problem+json handler.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import type { Test } from 'tap';
import { privateKeyToAccount } from 'viem/accounts';
import type { RationalPrice } from '@lpx/sdk';
import { installProblemJson, problemJsonServerOptions } from '../../../src/http/problem-json.js';
import { OrchestratorPool } from '../../../src/gateway/pool/orchestrator-pool.js';
import { PrivateKeyTicketSigner, TicketSender, toHex } from '../../../src/payments/index.js';
import { LiveRunnerDirectory } from '../../../src/roles/gateway/live-runner-directory.js';
import type { LiveRunnerCeilings } from '../../../src/roles/gateway/live-runner-price.js';
import { LiveRunnerRouter } from '../../../src/roles/gateway/live-runner-router.js';
import { registerLiveRunnerRoutes } from '../../../src/roles/gateway/live-runner-routes.js';
import { SegmentPayments, type ChargeTenant } from '../../../src/roles/gateway/segment-payments.js';
import type { TenantBudgets } from '../../../src/roles/gateway/tenants/tenant-budgets.js';
import { TenantDirectory } from '../../../src/roles/gateway/tenants/tenant-directory.js';
import { memoryChain, preferring } from './ai-fixture.js';
import { GoLiveRunnerOrchestratorDouble, type GoLiveChain, type GoLiveRunner } from '../../network/helpers/go-live-runner-orchestrator-double.js';

export { memoryChain };

export async function startLiveDouble(t: Test, chain: GoLiveChain, runners: readonly GoLiveRunner[]): Promise<GoLiveRunnerOrchestratorDouble> {
  return new GoLiveRunnerOrchestratorDouble(chain, runners).start(t);
}

export interface LiveGatewayOptions {
  readonly ceilings?: LiveRunnerCeilings;
  readonly tenantMaxPrice?: RationalPrice;
  readonly intervalMs?: number;
  readonly aheadSeconds?: number;
  readonly paid?: boolean;
  /** The tenant charge hook (budgets). */
  readonly charge?: ChargeTenant;
}

export async function startLiveGateway(t: Test, chain: GoLiveChain, orchestrators: readonly GoLiveRunnerOrchestratorDouble[], options: LiveGatewayOptions = {}) {
  const key = randomBytes(32);
  const signer = new PrivateKeyTicketSigner(key);
  chain.senderInfo.set(signer.address, { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const account = privateKeyToAccount(toHex(key));
  const byUri = new Map(orchestrators.map((o) => [o.uri, o]));
  const pool = new OrchestratorPool({ candidates: async () => orchestrators.map((o) => ({ uri: o.uri, score: 1 })), fetchInfo: async (uri) => byUri.get(uri)!.info() });
  t.teardown(() => pool.close());
  await pool.discover();
  const paid = options.paid ?? true;
  const directory = new LiveRunnerDirectory({ orchestrators: () => pool.cached(), paid, refreshMs: 60_000, timeoutMs: 5_000 });
  const failed: { uri: string; action: string; error: unknown }[] = [];
  const ended: { id: string; reason: Error }[] = [];
  const router = new LiveRunnerRouter({
    directory,
    algorithm: preferring(() => orchestrators.map((o) => o.uri)),
    payments: paid ? new SegmentPayments(new TicketSender({ signer, rounds: chain.rounds, senderInfo: chain.senderInfo })) : undefined,
    signer: account,
    payer: account.address,
    isSuspended: (uri) => pool.isSuspended(uri),
    suspend: (uri, reason) => pool.suspend(uri, reason),
    chargeFor: () => options.charge,
    timeoutMs: 10_000,
    maxAttempts: 3,
    intervalMs: options.intervalMs ?? 100,
    aheadSeconds: options.aheadSeconds ?? 2,
    onAttemptFailed: (event) => failed.push(event),
    onSessionEnded: (event) => ended.push(event),
  });
  t.teardown(() => router.close());
  const app = Fastify(problemJsonServerOptions);
  installProblemJson(app);
  registerLiveRunnerRoutes(app, {
    router,
    directory,
    tenants: new TenantDirectory({}),
    budgets: { assertWithin: async () => undefined } as unknown as TenantBudgets,
    ceilings: options.ceilings ?? {},
    maxPriceOf: () => options.tenantMaxPrice,
    requestTimeoutMs: 10_000,
    maxSingleShotBodyBytes: 1024 * 1024,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return { url, router, directory, pool, failed, ended, sender: signer.address };
}

/** Waits (polling, generous) until `check` holds; the test fails with `what` otherwise. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
