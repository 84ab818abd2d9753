// A real orchestrator gRPC endpoint: the kernel's GrpcEdge with TLS from a
// freshly generated self-signed certificate on a free port, serving our
// net.Orchestrator service backed by a capability registry and a payments
// Recipient over in-memory chain state. The gateway is a viem account.
import { randomBytes } from 'node:crypto';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { CapabilityRegistry } from '../../../src/capabilities/index.js';
import { GrpcEdge } from '../../../src/grpc/grpc-edge.js';
import {
  AuthTokenIssuer,
  capabilityPricing,
  createOrchestratorGrpcService,
  generateSelfSignedCertificate,
  OrchestratorInfoBuilder,
  orchestratorServerCredentials,
  type HardwareInformation,
  type OrchestratorGrpcServiceOptions,
  type TlsKeyPair,
} from '../../../src/network/index.js';
import { parseAddress, Recipient, SenderMonitor } from '../../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource } from '../../../src/payments/testing/index.js';

const base = { version: 1, mode: 'request-response', workUnit: 'pixel', priceUnit: 'wei/pixel' } as const;

export const HARDWARE: HardwareInformation[] = [
  {
    pipeline: 'text-to-image',
    modelId: 'stabilityai/sd-turbo',
    gpuInfo: { '0': { id: 'GPU-1', name: 'RTX 4090', major: 8, minor: 9, memoryFree: 20n * 2n ** 30n, memoryTotal: 24n * 2n ** 30n } },
  },
];

let cachedPair: Promise<TlsKeyPair> | undefined;

export interface FixtureOptions {
  readonly service?: Partial<OrchestratorGrpcServiceOptions>;
  /** An offchain node: no prices, no ticket params. */
  readonly offchain?: boolean;
}

export async function startOrchestrator(options: FixtureOptions = {}) {
  const registry = new CapabilityRegistry();
  registry.declare('transcode', { ...base, id: 'video/transcode', mode: 'stream', capacity: 4, price: { pricePerUnit: '1200', pixelsPerUnit: '1' } });
  registry.declare('ai', {
    ...base,
    id: 'ai/text-to-image',
    capacity: 2,
    constraints: { models: { 'stabilityai/sd-turbo': { warm: true, capacity: 2 } } },
    price: { pricePerUnit: '4768371', pixelsPerUnit: '1' },
  });
  registry.declare('byoc', { ...base, id: 'byoc/echo', price: { pricePerUnit: '30', pixelsPerUnit: '20' } });
  registry.publish();

  const orchestratorKey = generatePrivateKey();
  const orchestrator = privateKeyToAccount(orchestratorKey);
  const orchestratorAddress = parseAddress(orchestrator.address);
  const gateway: PrivateKeyAccount = privateKeyToAccount(generatePrivateKey());

  const rounds = new InMemoryRoundsSource({ round: 100n, blockHash: randomBytes(32), l1Block: 5_000n });
  const senderInfo = new InMemorySenderInfoSource();
  senderInfo.set(parseAddress(gateway.address), { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const senderMonitor = new SenderMonitor({ claimant: orchestratorAddress }, rounds, senderInfo);
  const recipient = new Recipient({ address: orchestratorAddress }, { rounds, gasPrice: new FixedGasPrice(1_000_000_000n), senderMonitor });

  const authTokens = new AuthTokenIssuer();
  const edge = new GrpcEdge();
  let uri = '';
  const info = new OrchestratorInfoBuilder({
    serviceUri: () => uri,
    address: orchestratorAddress,
    descriptors: () => registry.list(),
    nodeVersion: '0.9.1-lpx',
    authTokens,
    ...(options.offchain ? {} : { payments: { pricing: capabilityPricing(() => registry.list()), tickets: recipient } }),
    capabilityOptions: { usage: registry },
    hardware: () => HARDWARE,
    nodes: () => ['https://node-2.example:8935'],
  });
  const service = createOrchestratorGrpcService({ info, authTokens, signer: orchestrator, ...options.service });
  edge.facadeFor('kernel.network').addService(service.definition, service.implementation);

  cachedPair ??= generateSelfSignedCertificate({ hostname: '127.0.0.1' });
  const port = await edge.start('127.0.0.1', 0, orchestratorServerCredentials(await cachedPair));
  uri = `https://127.0.0.1:${port}`;

  return { uri, port: port!, edge, registry, recipient, authTokens, orchestrator, orchestratorAddress, gateway, stop: () => edge.stop(1_000) };
}
