/**
 * Discovery fan-out to 100 real lpx orchestrator gRPC services on loopback
 * (one grpc-js server per orchestrator, TLS, payments on in-memory chain
 * state, all in this process), against a baseline measured in the same run:
 * one direct GetOrchestrator call to one of them. Each call opens a fresh
 * connection, as go-livepeer gateways do.
 *   - time to a usable pool: `OrchestratorPool.discover()` until all 100 answered;
 *   - time to the first usable orchestrator: `discover({ wanted: 1 })`.
 * Prints absolute ms and ratios; no thresholds. Run: node --import tsx bench/discovery.ts
 */
import { randomBytes } from 'node:crypto';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { CapabilityRegistry } from '../core/src/capabilities/index.js';
import { OrchestratorPool } from '../core/src/gateway/pool/index.js';
import { GrpcEdge } from '../core/src/grpc/grpc-edge.js';
import {
  AuthTokenIssuer,
  capabilityPricing,
  createOrchestratorGrpcService,
  gatewayCredentials,
  generateSelfSignedCertificate,
  getOrchestratorInfo,
  OrchestratorInfoBuilder,
  orchestratorServerCredentials,
  type GatewayCredentials,
  type TlsKeyPair,
} from '../core/src/network/index.js';
import { parseAddress, Recipient, SenderMonitor, type Address } from '../core/src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource } from '../core/src/payments/testing/index.js';

const ORCHESTRATORS = Number(process.env['BENCH_ORCHESTRATORS'] ?? 100);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const base = { version: 1, mode: 'request-response', workUnit: 'pixel', priceUnit: 'wei/pixel' } as const;

/** One orchestrator as `lpx start --roles orchestrator` would serve GetOrchestrator, funded for `gateway`. */
async function startOrchestrator(gateway: Address, tls: TlsKeyPair, i: number): Promise<{ uri: string; stop: () => Promise<void> }> {
  const registry = new CapabilityRegistry();
  registry.declare('transcode', { ...base, id: 'video/transcode', mode: 'stream', capacity: 4, price: { pricePerUnit: String(1_000 + i), pixelsPerUnit: '1' } });
  registry.declare('ai', {
    ...base,
    id: 'ai/text-to-image',
    capacity: 2,
    constraints: { models: { 'stabilityai/sd-turbo': { warm: true, capacity: 2 } } },
    price: { pricePerUnit: '4768371', pixelsPerUnit: '1' },
  });
  registry.publish();
  const signer = privateKeyToAccount(generatePrivateKey());
  const address = parseAddress(signer.address);
  const rounds = new InMemoryRoundsSource({ round: 100n, blockHash: randomBytes(32), l1Block: 5_000n });
  const senderInfo = new InMemorySenderInfoSource();
  senderInfo.set(gateway, { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const recipient = new Recipient({ address }, { rounds, gasPrice: new FixedGasPrice(1_000_000_000n), senderMonitor: new SenderMonitor({ claimant: address }, rounds, senderInfo) });
  const authTokens = new AuthTokenIssuer();
  let uri = '';
  const info = new OrchestratorInfoBuilder({
    serviceUri: () => uri,
    address,
    descriptors: () => registry.list(),
    nodeVersion: '0.9.1-lpx',
    authTokens,
    payments: { pricing: capabilityPricing(() => registry.list()), tickets: recipient },
    capabilityOptions: { usage: registry },
  });
  const service = createOrchestratorGrpcService({ info, authTokens, signer });
  const edge = new GrpcEdge();
  edge.facadeFor('kernel.network').addService(service.definition, service.implementation);
  const port = await edge.start('127.0.0.1', 0, orchestratorServerCredentials(tls));
  uri = `https://127.0.0.1:${port}`;
  return { uri, stop: () => edge.stop(500) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(10);

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

async function main(): Promise<void> {
  const gatewayAccount = privateKeyToAccount(generatePrivateKey());
  const credentials: GatewayCredentials = await gatewayCredentials(gatewayAccount);
  const tls = await generateSelfSignedCertificate({ hostname: '127.0.0.1' });
  const started = performance.now();
  const orchestrators = await Promise.all(Array.from({ length: ORCHESTRATORS }, (_, i) => startOrchestrator(credentials.address, tls, i)));
  const bootMs = performance.now() - started;
  try {
    const candidates = async () => orchestrators.map((o) => ({ uri: o.uri }));
    // Warm-up: first TLS contexts, JIT, protobuf roots.
    await getOrchestratorInfo(orchestrators[0]!.uri, { credentials });
    await new OrchestratorPool({ candidates, credentials }).discover();

    const direct: number[] = [];
    const full: number[] = [];
    const firstOne: number[] = [];
    let answered = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const uri = orchestrators[round % orchestrators.length]!.uri;
      direct.push((await timed(() => getOrchestratorInfo(uri, { credentials })))[0]);
      // A new pool each round: nothing cached, every orchestrator asked over a fresh connection.
      const pool = new OrchestratorPool({ candidates, credentials }, { discoveryTimeoutMs: 500, maxDiscoveryTimeoutMs: 6_000 });
      const [ms, result] = await timed(() => pool.discover());
      full.push(ms);
      answered = Math.min(round === 0 ? Infinity : answered, pool.usable('video/transcode').length);
      if (result.pending.length > 0) console.log(`  (round ${round}: the 500 ms tick ended it with ${result.answered.length} answered, ${result.pending.length} still running)`);
      await pool.settled();
      const quick = new OrchestratorPool({ candidates, credentials });
      firstOne.push((await timed(() => quick.discover({ wanted: 1 })))[0]);
      await quick.settled();
    }
    const baseline = median(direct);
    console.log(`discovery bench (${ORCHESTRATORS} lpx orchestrators on loopback, one process, ${ROUNDS} rounds, medians, node ${process.version})`);
    console.log(`  started ${ORCHESTRATORS} orchestrators in ${bootMs.toFixed(0)} ms`);
    console.log(`  one direct GetOrchestrator (baseline)      ${fmt(baseline)}`);
    console.log(`  pool.discover(): all ${ORCHESTRATORS} answered, usable  ${fmt(median(full))}   ${(median(full) / baseline).toFixed(1)}× baseline (${answered} usable in the worst round)`);
    console.log(`  pool.discover({ wanted: 1 })              ${fmt(median(firstOne))}   ${(median(firstOne) / baseline).toFixed(1)}× baseline`);
  } finally {
    await Promise.all(orchestrators.map((o) => o.stop()));
  }
}

await main();
