import { Type, type Static } from '@sinclair/typebox';
import { GatewaySection, Tenant } from './gateway-schema.js';
import { CapabilityOverride, PluginEntry, RegistrySection } from './plugin-schema.js';
import { AISection, BlobsSection, ContainersSection, JobsSection, TranscodeSection } from './work-schema.js';

export { TENANT_NAME_PATTERN } from './gateway-schema.js';

// No `signer`: go-livepeer's remote signer protocol is not implemented (ADR 0059); load-config names it with its own code.
export const ROLES = ['gateway', 'orchestrator', 'worker', 'redeemer'] as const;

/** The kernel's half of the node config; each plugin validates its own `plugins.<id>.config`. */
export const KernelConfigSchema = Type.Object(
  {
    node: Type.Object(
      {
        name: Type.String({ default: 'lpx' }),
        roles: Type.Array(Type.Union(ROLES.map((r) => Type.Literal(r))), { default: ['worker'], uniqueItems: true }),
        dataDir: Type.String({ default: '.lpx/data' }),
      },
      { additionalProperties: false, default: {} },
    ),
    log: Type.Object(
      {
        level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
        pretty: Type.Boolean({ default: false }),
      },
      { additionalProperties: false, default: {} },
    ),
    http: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        host: Type.String({ default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8935 }),
        bodyLimitBytes: Type.Integer({ minimum: 1, default: 16 * 1024 * 1024 }),
      },
      { additionalProperties: false, default: {} },
    ),
    grpc: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
      },
      { additionalProperties: false, default: {} },
    ),
    redis: Type.Object(
      {
        /** Absent: the node starts its own redis-server (AOF on) in `node.dataDir`. */
        url: Type.Optional(Type.String({ pattern: '^rediss?://' })),
        /** Hash-tagged so every key of a queue lands in one Redis Cluster slot. */
        prefix: Type.String({ default: '{lpx}' }),
        /**
         * Start waits this long for a configured Redis to answer, then refuses with LPX_ERR_REDIS_UNREACHABLE (at run
         * time a lost connection is retried without end). `lpx dev up` passes 60000: its nodes start together on few cores.
         */
        connectTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    // Sections defined beside their concept: work-schema.ts, plugin-schema.ts, gateway-schema.ts.
    jobs: JobsSection,
    blobs: BlobsSection,
    transcode: TranscodeSection,
    ai: AISection,
    containers: ContainersSection,
    lifecycle: Type.Object(
      {
        initTimeoutMs: Type.Integer({ minimum: 1, default: 10_000 }),
        stopTimeoutMs: Type.Integer({ minimum: 1, default: 10_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    registry: RegistrySection,
    /** Ethereum access; absent on an offchain node (no payments, like go-livepeer without -network). */
    chain: Type.Optional(
      Type.Object(
        {
          rpcUrl: Type.String({ pattern: '^(https?|wss?)://' }),
          /** The protocol Controller; every other contract is resolved through it. */
          controller: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' }),
          /** Hex key, or leave out and set LPX_ETH_KEY / LPX_ETH_KEYSTORE. */
          privateKey: Type.Optional(Type.String({ pattern: '^(0x)?[0-9a-fA-F]{64}$' })),
          keystore: Type.Optional(Type.Object({ path: Type.String(), passwordFile: Type.String() }, { additionalProperties: false })),
          /** Expected L1 block time; the redeemer paces its rechecks by it (dev chains mine much faster than 12 s). */
          l1BlockTimeMs: Type.Integer({ minimum: 10, default: 12_000 }),
          /** Block poll interval (go-livepeer's -blockPollingInterval); default 5000 ms (1000 ms on loopback). ADR 0060. */
          pollIntervalMs: Type.Optional(Type.Integer({ minimum: 10 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** The orchestrator role: the public TLS port serving gRPC and the paid HTTP routes. */
    orchestrator: Type.Object(
      {
        host: Type.String({ default: '127.0.0.1' }),
        /** 0 picks a free port (tests, `lpx dev up`). */
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8936 }),
        /** The advertised `host:port` (go-livepeer's -serviceAddr); default: host and the bound port. */
        serviceAddr: Type.Optional(Type.String({ minLength: 1 })),
        /** Base URL runners and workers reach this node at (go-livepeer's -liveRunnerAddr), e.g. a container network address; default: the service URI. */
        runnerAddr: Type.Optional(Type.String({ pattern: '^https?://', minLength: 8 })),
        /** Shared with remote workers (go-livepeer's -orchSecret); absent: remote workers are refused. */
        secret: Type.Optional(Type.String({ minLength: 8 })),
        /** go-livepeer's -maxSessions: concurrent gateway sessions; 'auto' follows the capacity of connected remote transcoders. */
        maxSessions: Type.Union([Type.Integer({ minimum: 1 }), Type.Literal('auto')], { default: 10 }),
        /** Base (transcoding) price in wei per pixelsPerUnit pixels. */
        pricePerUnit: Type.String({ pattern: '^[0-9]+$', default: '0' }),
        pixelsPerUnit: Type.String({ pattern: '^[1-9][0-9]*$', default: '1' }),
        /** Per-gateway base price overrides (go-livepeer's -pricePerGateway), keyed by 0x address. */
        pricePerGateway: Type.Record(Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' }), Type.Object({ pricePerUnit: Type.String({ pattern: '^[0-9]+$' }), pixelsPerUnit: Type.String({ pattern: '^[1-9][0-9]*$' }) }, { additionalProperties: false }), { default: {} }),
        /** Ticket expected value in wei (go-livepeer's -ticketEV). */
        ticketEV: Type.String({ pattern: '^[0-9]+$', default: '1000000000000' }),
        /** Cap on face value in wei; '0' means no cap (go-livepeer's -maxFaceValue). */
        maxFaceValue: Type.String({ pattern: '^[0-9]+$', default: '0' }),
        /** Check the gateway's signature on GetOrchestrator (on with a chain, as go-livepeer does). */
        verifyGatewaySig: Type.Optional(Type.Boolean()),
        /** A BYOC app's SSE answer is debited 5 units every this often (go-livepeer: 5 s). */
        byocStreamDebitIntervalMs: Type.Integer({ minimum: 10, default: 5_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    gateway: GatewaySection,
    plugins: Type.Record(Type.String({ pattern: '^[a-z][a-z0-9-]*$' }), PluginEntry, { default: {} }),
    /** Operator overrides per capability id: capacity, price, models. */
    capabilities: Type.Record(Type.String(), CapabilityOverride, { default: {} }),
  },
  { additionalProperties: false },
);

export type KernelConfig = Static<typeof KernelConfigSchema>;
export type PluginEntryConfig = Static<typeof PluginEntry>;
export type CapabilityOverrideConfig = Static<typeof CapabilityOverride>;
export type TenantConfig = Static<typeof Tenant>;
