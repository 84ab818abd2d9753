// A paid lpx orchestrator on the kernel's real segment path (after issue 10's
// transcode dispatch): the routes the orchestrator role mounts
// (mountPaidRoutes), a real PaymentProcessor / Recipient on the shared
// in-memory chain, the kernel's KernelTranscode putting each segment in the
// blob store and on a BullMQ transcode queue, and a worker Host running the
// transcode-ffmpeg plugin (real ffmpeg) on the same Redis. Assembled like
// core/test/transcode/helpers/paid-orchestrator.ts, but on the chain the
// gateway fixture pays on, so the segment router can pay it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Test } from 'tap';
import { privateKeyToAccount } from 'viem/accounts';
import transcodeFfmpegPlugin from '@lpx/plugin-transcode-ffmpeg';
import { BlobStore, DiskBackend, registerBlobRoutes } from '../../src/blobs/index.js';
import { createJobsRuntime } from '../../src/boot/jobs-runtime.js';
import type { KernelServices } from '../../src/boot/kernel-services.js';
import { CapabilityRegistry } from '../../src/capabilities/index.js';
import { loadConfig } from '../../src/config/load-config.js';
import { AuthTokenIssuer, capabilityPricing, OrchestratorInfoBuilder } from '../../src/network/index.js';
import { Balances, PaymentProcessor, PrivateKeyTicketSigner, Recipient, SenderMonitor, toHex } from '../../src/payments/index.js';
import { FixedGasPrice, InMemoryWinningTicketSink } from '../../src/payments/testing/index.js';
import type { OrchestratorPayments } from '../../src/roles/orchestrator/orchestrator-payments.js';
import { mountPaidRoutes } from '../../src/roles/orchestrator/paid-routes.js';
import { SessionLimit } from '../../src/roles/orchestrator/session-limit.js';
import { KernelTranscode } from '../../src/transcode/kernel-transcode.js';
import { makeHost } from '../../../test/helpers/host.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { until } from '../transcode/helpers/media.js';
import { PRICE, type Chain } from './segment-fixture.js';

export async function startKernelOrchestrator(t: Test, chain: Chain) {
  const redis = await testRedis(t);
  const prefix = uniquePrefix('seg-kernel');
  const dir = await mkdtemp(join(tmpdir(), 'lpx-seg-kernel-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const { config } = loadConfig({
    raw: {
      node: { roles: ['orchestrator'], dataDir: dir },
      redis: { url: redis.url, prefix },
      transcode: { heartbeatMs: 200 },
      orchestrator: { pricePerUnit: PRICE.num.toString(), pixelsPerUnit: PRICE.den.toString() },
    },
    env: {},
  });
  const logger = pino({ level: process.env.LPX_TEST_LOG ?? 'silent' });

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
  transcode.declare(registry, [{ id: 'transcode-ffmpeg', version: '0.1.0', host: '*', requires: { extensionPoints: ['transcode.backends'] } }]);
  registry.publish();

  const key = randomBytes(32);
  const account = privateKeyToAccount(toHex(key));
  const address = new PrivateKeyTicketSigner(key).address;
  const senderMonitor = new SenderMonitor({ claimant: address }, chain.rounds, chain.senderInfo);
  const recipient = new Recipient({ address, economics: { ev: 1000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } }, { rounds: chain.rounds, gasPrice: new FixedGasPrice(2000n), senderMonitor });
  const processor = new PaymentProcessor({ recipient, balances: new Balances(), sink: new InMemoryWinningTicketSink(), rounds: chain.rounds, senderMonitor });
  const authTokens = new AuthTokenIssuer();
  let uri = '';
  const builder = new OrchestratorInfoBuilder({
    serviceUri: () => uri,
    address,
    descriptors: () => registry.list(),
    nodeVersion: '0.9.1',
    authTokens,
    payments: { pricing: capabilityPricing(() => registry.list()), tickets: recipient },
    capabilityOptions: { usage: registry },
  });
  const sessions = new SessionLimit(10, 60_000, Date.now, (sessionId) => transcode.endSession(sessionId));
  const door = Fastify();
  const kernel = { capabilities: registry, jobs, blobs: { store, inlineMaxBytes: 64 * 1024 }, transcode } as unknown as KernelServices;
  mountPaidRoutes(door, { config, kernel, payments: { processor, recipient } as unknown as OrchestratorPayments, authTokens, info: builder, sessions, account, serviceUri: () => uri, logger });
  await door.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => door.close());
  uri = `http://127.0.0.1:${(door.server.address() as AddressInfo).port}`;

  const worker = makeHost(t, [transcodeFfmpegPlugin], {
    redis: { url: redis.url, prefix },
    transcode: { heartbeatMs: 200 },
    node: { roles: ['worker'] },
    plugins: { 'transcode-ffmpeg': { config: { ffmpegPath: '/usr/bin/ffmpeg', ffprobePath: '/usr/bin/ffprobe', preset: 'ultrafast', maxSessions: 1 } } },
  });
  await worker.start();
  await until(() => (registry.get('video/transcode')?.capacity ?? 0) > 0, "the worker's capacity on the orchestrator");
  return { uri, address, builder, processor };
}
