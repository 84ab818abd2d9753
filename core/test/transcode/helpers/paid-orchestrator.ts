// A paid orchestrator assembled from the kernel's real parts on loopback:
// paid-routes.ts (the /segment the orchestrator role mounts) over a real
// PaymentProcessor / Recipient (in-memory chain sources, as the segment route
// tests use), the kernel's KernelTranscode dispatching to BullMQ on a real
// Redis, a disk blob store served on an HTTP edge — and a worker Host with a
// real-ffmpeg backend sharing that Redis. The gateway is a viem key paying
// with TicketSender tickets and signing segment credentials.
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
import { BlobStore, DiskBackend, registerBlobRoutes } from '../../../src/blobs/index.js';
import { createJobsRuntime } from '../../../src/boot/jobs-runtime.js';
import type { KernelServices } from '../../../src/boot/kernel-services.js';
import { CapabilityRegistry, jobCapabilitiesForTranscode } from '../../../src/capabilities/index.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { AuthTokenIssuer, capabilityPricing, OrchestratorInfoBuilder } from '../../../src/network/index.js';
import { emptySegData, encodeSegDataHeader, signSegment, type VideoProfile } from '../../../src/network/segment/index.js';
import {
  Balances,
  GatewayPayer,
  keccak256,
  PaymentProcessor,
  PrivateKeyTicketSigner,
  Rational,
  Recipient,
  SenderMonitor,
  ticketEV,
  TicketSender,
  toHex,
} from '../../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../../src/payments/testing/index.js';
import type { OrchestratorPayments } from '../../../src/roles/orchestrator/orchestrator-payments.js';
import { mountPaidRoutes } from '../../../src/roles/orchestrator/paid-routes.js';
import { SessionLimit } from '../../../src/roles/orchestrator/session-limit.js';
import { KernelTranscode } from '../../../src/transcode/kernel-transcode.js';
import { makeHost } from '../../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../../test/helpers/redis.js';
import type { Test } from 'tap';
import { testBackend, testBackendPlugin, type TestBackend, type TestBackendOptions } from './ffmpeg-test-backend.js';
import { LADDER, until } from './media.js';

/** 3 wei per 2 pixels: a rational price, as go-livepeer's PriceInfo allows. */
export const PRICE = Rational.of(3n, 2n);

export async function startPaidOrchestrator(t: Test, backendOptions: TestBackendOptions = {}) {
  const redis = await testRedis(t);
  const prefix = uniquePrefix('paid-transcode');
  const dir = await mkdtemp(join(tmpdir(), 'lpx-paid-orch-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const loaded = loadConfig({
    raw: {
      node: { roles: ['orchestrator'], dataDir: dir },
      redis: { url: redis.url, prefix },
      transcode: { heartbeatMs: 200 },
      orchestrator: { pricePerUnit: PRICE.num.toString(), pixelsPerUnit: PRICE.den.toString() },
    },
    env: {},
  });
  const config = loaded.config;
  const logger = pino({ level: process.env.LPX_TEST_LOG ?? 'silent' });

  // The orchestrator's blob store, reachable by workers over its HTTP edge.
  const disk = new DiskBackend(join(dir, 'blobs'));
  await disk.init();
  const store = await BlobStore.open({ backend: disk, secret: randomBytes(32), maxBlobBytes: 64 * 1024 * 1024, quotaBytes: 1024 * 1024 * 1024, ttlSeconds: 3600 });
  const edge = Fastify();
  registerBlobRoutes(edge, store);
  await edge.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => edge.close());
  store.setPublicUrl(`http://127.0.0.1:${(edge.server.address() as AddressInfo).port}`);

  const jobs = await createJobsRuntime({ url: redis.url, prefix, logger, metrics: new Registry(), tuning: config.jobs });
  t.teardown(() => jobs.close());
  const transcode = new KernelTranscode({ config, redisUrl: redis.url, store, jobs, logger });
  t.teardown(() => transcode.close());
  const registry = new CapabilityRegistry();
  transcode.declare(registry, [{ id: 'test-transcode', version: '1.0.0', host: '*', requires: { extensionPoints: ['transcode.backends'] } }]);
  registry.publish();

  // Payments: the Recipient is the orchestrator's key.
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
  const sessions = new SessionLimit(10, 60_000, Date.now, (sessionId) => transcode.endSession(sessionId));

  const door = Fastify();
  const kernel = { capabilities: registry, jobs, blobs: { store, inlineMaxBytes: 64 * 1024 }, transcode } as unknown as KernelServices;
  mountPaidRoutes(door, { config, kernel, payments: { processor, recipient } as unknown as OrchestratorPayments, authTokens, info, sessions, account, serviceUri: () => uri, logger });
  await door.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => door.close());
  uri = `http://127.0.0.1:${(door.server.address() as AddressInfo).port}`;

  // The worker: a separate Host on the same Redis with a real-ffmpeg backend.
  const backend: TestBackend = testBackend(backendOptions);
  const worker = makeHost(t, [testBackendPlugin('test-transcode', backend)], { redis: { url: redis.url, prefix }, transcode: { heartbeatMs: 200 }, node: { roles: ['worker'] } });
  await worker.start();
  await until(() => registry.get('video/transcode')!.capacity > 0 || backend.options.probe !== undefined, 'the worker capacity on the orchestrator');

  // The gateway.
  const gatewayKey = randomBytes(32);
  const ticketSigner = new PrivateKeyTicketSigner(gatewayKey);
  const gateway = privateKeyToAccount(toHex(gatewayKey));
  senderInfo.set(ticketSigner.address, { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const payer = new GatewayPayer(new TicketSender({ signer: ticketSigner, rounds, senderInfo }), new Balances());
  const orchInfo = await info.build({ gateway: ticketSigner.address, ignoreCapacityCheck: true });
  const authToken = orchInfo.authToken!;
  const session = payer.startSession(orchInfo.ticketParams!, orchInfo.priceInfo!, authToken.sessionId);
  const ev = ticketEV(orchInfo.ticketParams!.faceValue, orchInfo.ticketParams!.winProb);
  let seq = 0n;

  /** Pays for `pixels` and posts `body` as the next segment; returns the TranscodeResult bytes and the credit. */
  async function postPaid(body: Uint8Array, pixels = 2_000_000n, profiles: VideoProfile[] = LADDER) {
    const prepared = await payer.preparePayment(session, payer.fee(session, pixels));
    prepared.update.sent();
    const credit = ev.mulInt(BigInt(prepared.numTickets));
    seq += 1n;
    const seg = {
      ...emptySegData(),
      manifestId: 'paid-manifest',
      seq,
      hash: keccak256(body),
      duration: 1_000,
      capabilities: jobCapabilitiesForTranscode({ profiles: [{ format: 'mpegts' }] }),
      authToken,
      fullProfiles: profiles,
    };
    const sig = await signSegment(gateway, { manifestId: seg.manifestId, seq: seg.seq, hash: seg.hash, profileNames: profiles.map((p) => p.name) });
    const res = await request(`${uri}/segment`, {
      method: 'POST',
      headers: { 'livepeer-payment': prepared.header, 'livepeer-segment': encodeSegDataHeader({ ...seg, sig }), 'content-type': 'video/MP2T' },
      body,
    });
    return { status: res.statusCode, body: new Uint8Array(await res.body.arrayBuffer()), credit, seq };
  }

  const balance = () => processor.balance(ticketSigner.address, authToken.sessionId);
  return { uri, registry, backend, worker, transcode, sessions, account, authToken, postPaid, balance, store };
}
