// A paid orchestrator assembled from the kernel's real parts on loopback, as
// core/test/transcode/helpers/paid-orchestrator.ts does for /segment:
// paid-routes.ts (what the orchestrator role mounts) over a real
// PaymentProcessor / Recipient on in-memory chain sources, the kernel's
// KernelAI dispatching to BullMQ on a real Redis, a disk blob store — and a
// worker Host on that Redis with the test pipelines and a runner-backed
// executor. The gateway pays with TicketSender tickets and signs AI
// credentials as go-livepeer's gateway does (manifest `<capId>_<modelId>`).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { request } from 'undici';
import { privateKeyToAccount } from 'viem/accounts';
import type { Test } from 'tap';
import type { AIModelOffer, AIPipeline } from '@lpx/sdk';
import { KernelAI } from '../../../src/ai/kernel-ai.js';
import { BlobStore, DiskBackend, registerBlobRoutes } from '../../../src/blobs/index.js';
import { createJobsRuntime } from '../../../src/boot/jobs-runtime.js';
import type { KernelServices } from '../../../src/boot/kernel-services.js';
import { bitstringOf, CapabilityRegistry, DEFAULT_CAPABILITY_IDS, emptyLivepeerCapabilities, type LivepeerCapabilities } from '../../../src/capabilities/index.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { AuthTokenIssuer, capabilityPricing, OrchestratorInfoBuilder } from '../../../src/network/index.js';
import { emptySegData, encodeSegDataHeader, signSegment } from '../../../src/network/segment/index.js';
import { Balances, GatewayPayer, keccak256, PaymentProcessor, PrivateKeyTicketSigner, Recipient, SenderMonitor, ticketEV, TicketSender, toHex, type Rational } from '../../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../../src/payments/testing/index.js';
import type { OrchestratorPayments } from '../../../src/roles/orchestrator/orchestrator-payments.js';
import { mountPaidRoutes } from '../../../src/roles/orchestrator/paid-routes.js';
import { SessionLimit } from '../../../src/roles/orchestrator/session-limit.js';
import { KernelTranscode } from '../../../src/transcode/kernel-transcode.js';
import { makeHost } from '../../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../../test/helpers/redis.js';
import { executorsPlugin, pipelinesPlugin, testExecutor } from './test-executor.js';
import { startTestRunner } from './test-runner.js';

/** go-livepeer's AI job capabilities: the default set plus the pipeline's bit, with the model as constraint. */
export function aiJobCapabilities(livepeerCapability: number, modelId: string): LivepeerCapabilities {
  const caps = emptyLivepeerCapabilities();
  const ids = [...DEFAULT_CAPABILITY_IDS, livepeerCapability];
  caps.bitstring = bitstringOf(ids);
  // NewCapabilities: capacity 1 for every capability the job names.
  caps.capacities = Object.fromEntries(ids.map((id) => [id, 1]));
  caps.constraints.perCapability[livepeerCapability] = { models: { [modelId]: { warm: false, capacity: 0, runnerVersion: '', capacityInUse: 0 } } };
  return caps;
}

export interface PaidAIOptions {
  readonly pipelines: readonly AIPipeline[];
  readonly offers: AIModelOffer[];
  readonly limits?: Record<string, number>;
  readonly requestTimeoutMs?: number;
}

export async function startPaidAIOrchestrator(t: Test, options: PaidAIOptions) {
  const redis = await testRedis(t);
  const prefix = uniquePrefix('paid-ai');
  const dir = await mkdtemp(join(tmpdir(), 'lpx-paid-ai-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const ai = { heartbeatMs: 200, ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}), ...(options.limits ? { limits: options.limits } : {}) };
  const config = loadConfig({ raw: { node: { roles: ['orchestrator'], dataDir: dir }, redis: { url: redis.url, prefix }, ai }, env: {} }).config;
  const logger = pino({ level: process.env.LPX_TEST_LOG ?? 'silent' });

  const disk = new DiskBackend(join(dir, 'blobs'));
  await disk.init();
  const store = await BlobStore.open({ backend: disk, secret: randomBytes(32), maxBlobBytes: 64 * 1024 * 1024, quotaBytes: 1024 * 1024 * 1024, ttlSeconds: 3600 });
  const edge = Fastify();
  registerBlobRoutes(edge, store);
  await edge.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => edge.close());
  store.setPublicUrl(`http://127.0.0.1:${(edge.server.address() as AddressInfo).port}`);

  const metrics = new Registry();
  const jobs = await createJobsRuntime({ url: redis.url, prefix, logger, metrics, tuning: config.jobs });
  t.teardown(() => jobs.close());
  const transcode = new KernelTranscode({ config, redisUrl: redis.url, store, jobs, logger });
  t.teardown(() => transcode.close());
  const kernelAI = new KernelAI({ config, redisUrl: redis.url, store, jobs, logger, metrics });
  t.teardown(() => kernelAI.close());
  for (const pipeline of options.pipelines) kernelAI.pipelines.addPipeline(pipeline);
  const registry = new CapabilityRegistry();
  kernelAI.declare(registry, [], ['orchestrator']);
  registry.publish();

  const orchestratorKey = randomBytes(32);
  const account = privateKeyToAccount(toHex(orchestratorKey));
  const orchestratorAddress = new PrivateKeyTicketSigner(orchestratorKey).address;
  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  const senderMonitor = new SenderMonitor({ claimant: orchestratorAddress }, rounds, senderInfo);
  const recipient = new Recipient(
    { address: orchestratorAddress, economics: { ev: 200_000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } },
    { rounds, gasPrice: new FixedGasPrice(400_000n), senderMonitor },
  );
  const processor = new PaymentProcessor({ recipient, balances: new Balances(), sink: new InMemoryWinningTicketSink(), rounds, senderMonitor });
  const authTokens = new AuthTokenIssuer();
  let uri = '';
  const info = new OrchestratorInfoBuilder({
    serviceUri: () => uri,
    address: orchestratorAddress,
    descriptors: () => registry.list(),
    nodeVersion: '0.9.1',
    authTokens,
    payments: { pricing: capabilityPricing(() => registry.list()), tickets: recipient },
    capabilityOptions: { usage: registry },
  });
  const sessions = new SessionLimit(10);
  const door = Fastify();
  const kernel = { capabilities: registry, jobs, blobs: { store, inlineMaxBytes: 64 * 1024 }, transcode, ai: kernelAI } as unknown as KernelServices;
  mountPaidRoutes(door, { config, kernel, payments: { processor, recipient } as unknown as OrchestratorPayments, authTokens, info, sessions, account, serviceUri: () => uri, logger, metrics });
  await door.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => door.close());
  uri = `http://127.0.0.1:${(door.server.address() as AddressInfo).port}`;

  // The worker: a separate Host on the same Redis with the pipelines and a runner-backed executor.
  const runner = await startTestRunner();
  t.teardown(() => runner.close());
  const executor = testExecutor('test-runners', runner, options.offers);
  const worker = makeHost(t, [pipelinesPlugin('test-ai-pipelines', ...options.pipelines), executorsPlugin('test-ai-executor', executor)], { redis: { url: redis.url, prefix }, ai, node: { roles: ['worker'] } });
  await worker.start();

  // The gateway: a funded ticket sender.
  const gatewayKey = randomBytes(32);
  const ticketSigner = new PrivateKeyTicketSigner(gatewayKey);
  const gateway = privateKeyToAccount(toHex(gatewayKey));
  senderInfo.set(ticketSigner.address, { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const payer = new GatewayPayer(new TicketSender({ signer: ticketSigner, rounds, senderInfo }), new Balances());

  /** Asks for OrchestratorInfo for the (pipeline, model) job and opens a payment session at its price. */
  async function session(pipeline: AIPipeline, modelId: string) {
    const caps = aiJobCapabilities(pipeline.livepeerCapability, modelId);
    const orchInfo = await info.build({ gateway: ticketSigner.address, capabilities: caps, ignoreCapacityCheck: true });
    const authToken = orchInfo.authToken!;
    const paying = payer.startSession(orchInfo.ticketParams!, orchInfo.priceInfo!, authToken.sessionId);
    const ev = ticketEV(orchInfo.ticketParams!.faceValue, orchInfo.ticketParams!.winProb);
    const manifestId = `${pipeline.livepeerCapability}_${modelId}`;

    /** go-livepeer's prepareAIPayment: credentials for an empty segment, tickets for units × price. */
    async function headers(units: bigint, extra: { caps?: LivepeerCapabilities; payment?: string; segment?: string } = {}) {
      const prepared = await payer.preparePayment(paying, payer.fee(paying, units));
      prepared.update.sent();
      const seg = { ...emptySegData(), manifestId, seq: 0n, hash: keccak256(new Uint8Array(0)), duration: 0, capabilities: extra.caps ?? caps, authToken, fullProfiles: [] };
      const sig = await signSegment(gateway, { manifestId, seq: 0n, hash: seg.hash, profileNames: [] });
      return {
        headers: { 'livepeer-payment': extra.payment ?? prepared.header, 'livepeer-segment': extra.segment ?? encodeSegDataHeader({ ...seg, sig }), authorization: 'Livepeer-AI-Worker-1.0' } as Record<string, string>,
        credit: ev.mulInt(BigInt(prepared.numTickets)) as Rational,
      };
    }
    const balance = () => processor.balance(ticketSigner.address, manifestId);
    return { orchInfo, headers, balance, manifestId };
  }

  async function post(path: string, headers: Record<string, string>, body: string | Buffer | FormData, contentType = 'application/json') {
    let payload: string | Buffer;
    let type = contentType;
    if (body instanceof FormData) {
      const encoded = new Response(body);
      type = encoded.headers.get('content-type')!;
      payload = Buffer.from(await encoded.arrayBuffer());
    } else payload = body;
    const res = await request(`${uri}${path}`, { method: 'POST', headers: { ...headers, 'content-type': type }, body: payload });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  return { uri, registry, kernelAI, worker, executor, runner, store, metrics, session, post, info, gatewayAddress: ticketSigner.address };
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
