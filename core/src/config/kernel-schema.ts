import { Type, type Static } from '@sinclair/typebox';
import { CapabilityPrice, ModelConstraint, PermissionGrants } from '@lpx/sdk';

// No `signer`: go-livepeer's remote signer protocol is not implemented (ADR 0059); load-config names it with its own code.
export const ROLES = ['gateway', 'orchestrator', 'worker', 'redeemer'] as const;

const PluginEntry = Type.Object(
  {
    /** Import specifier or path (relative to the config file) of the plugin module. */
    module: Type.Optional(Type.String({ minLength: 1 })),
    /** Semver range to resolve from the local plugin registry (`registry.dir`); integrity is checked before import. */
    version: Type.Optional(Type.String({ minLength: 1 })),
    enabled: Type.Boolean({ default: true }),
    initTimeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
    /** The plugin's own config; validated against its manifest's config schema. */
    config: Type.Optional(Type.Object({}, { additionalProperties: true })),
    /** The operator's additions to the manifest's grants (hosts, paths, images added; limits replaced); never a new permission (ADR 0036). */
    grants: Type.Optional(PermissionGrants),
  },
  { additionalProperties: false },
);

/** A key in `registry.trust`: its id, or the whole public key record (checked: the id must be its key's). */
const RegistryKey = Type.Union([
  Type.String({ pattern: '^(ed25519:[A-Za-z0-9_-]+|eth:0x[0-9a-fA-F]{40})$' }),
  Type.Object(
    {
      keyId: Type.String({ minLength: 1 }),
      algorithm: Type.Union([Type.Literal('ed25519'), Type.Literal('secp256k1')]),
      publicKey: Type.String({ minLength: 1 }),
      name: Type.Optional(Type.String()),
    },
    { additionalProperties: false },
  ),
]);
const ReviewStateSchema = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('revoked')]);

const CapabilityOverride = Type.Object(
  {
    capacity: Type.Optional(Type.Integer({ minimum: 0 })),
    price: Type.Optional(CapabilityPrice),
    models: Type.Optional(Type.Record(Type.String({ minLength: 1 }), ModelConstraint)),
  },
  { additionalProperties: false },
);

/** gateway.webhooks (ADR 0019). Retries back off exponentially: attempt n waits backoffMs × 2^(n−1). */
const GatewayWebhooks = Type.Object(
  {
    /** HMAC-SHA256 key for `Lpx-Signature`; absent: a random one kept in `<node.dataDir>/gateway-webhook-secret`. */
    secret: Type.Optional(Type.String({ minLength: 16 })),
    /** One POST may take this long (connect + answer) before it counts as failed. */
    timeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
    /** POSTs per delivery including the first; the total time is bounded (checked at start: at most 24 h). */
    attempts: Type.Integer({ minimum: 1, maximum: 25, default: 12 }),
    backoffMs: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 1_000 }),
    /** Deliveries this gateway process sends at once; separate from the router workers. */
    concurrency: Type.Integer({ minimum: 1, maximum: 1_000, default: 16 }),
    /** Turn the egress policy off: any address, loopback and private ranges included. */
    allowPrivate: Type.Boolean({ default: false }),
    /** Host names trusted whatever they resolve to (exact, or `*.example.internal` for subdomains). */
    allowHosts: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
    /** Address ranges allowed although the policy refuses them, e.g. `10.1.0.0/16`, `127.0.0.1/32`, `::1/128`. */
    allowCidrs: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  },
  { additionalProperties: false, default: {} },
);

const PriceLimit = Type.Object({ pricePerUnit: Type.String({ pattern: '^[0-9]+$' }), pixelsPerUnit: Type.String({ pattern: '^[1-9][0-9]*$' }) }, { additionalProperties: false });

/** Tenant names: safe in Redis keys, log lines and YAML keys. */
export const TENANT_NAME_PATTERN = '^[a-z0-9][a-z0-9_-]{0,62}$';

/** One client of the gateway API (ADR 0017). */
const Tenant = Type.Object(
  {
    /** SHA-256 (lowercase hex) of each API key the tenant may use; the keys themselves are never stored. */
    keys: Type.Array(Type.String({ pattern: '^[0-9a-f]{64}$' }), { default: [], uniqueItems: true }),
    /** Wei the gateway may pay orchestrators for this tenant's jobs per period; absent: no limit. */
    budget: Type.Optional(
      Type.Object(
        {
          spendPerPeriod: Type.String({ pattern: '^[0-9]+$' }),
          /** Periods are aligned to the Unix epoch (86400: UTC days). */
          periodSeconds: Type.Integer({ minimum: 1, default: 86_400 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** Orchestrators asking more than this for a capability are not selected for this tenant's jobs. */
    maxPrice: Type.Optional(PriceLimit),
    /** Capability ids the tenant may use; `*` matches any run of characters (`byoc/*`). */
    capabilities: Type.Array(Type.String({ minLength: 1 }), { default: ['*'] }),
    /** Signs this tenant's webhooks instead of the gateway's key (ADR 0019): each client verifies with its own. */
    webhookSecret: Type.Optional(Type.String({ minLength: 16 })),
  },
  { additionalProperties: false },
);

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
    jobs: Type.Object(
      {
        /** On shutdown, active jobs get this long to finish before they are left for another worker. */
        drainTimeoutMs: Type.Integer({ minimum: 0, default: 10_000 }),
        /** A worker that stops renewing its lock this long is presumed dead; its job is retried elsewhere. */
        lockDurationMs: Type.Integer({ minimum: 1_000, default: 30_000 }),
        stalledIntervalMs: Type.Integer({ minimum: 1_000, default: 15_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Job payloads and results too large for Redis, media segments (docs/adr/0020-blob-store.md). */
    blobs: Type.Object(
      {
        /** Disk backend folder, relative to node.dataDir (default `blobs`). */
        dir: Type.Optional(Type.String({ minLength: 1 })),
        /** Job data or results whose JSON is larger than this go to the blob store; Redis keeps a reference. */
        inlineMaxBytes: Type.Integer({ minimum: 0, default: 64 * 1024 }),
        maxBlobBytes: Type.Integer({ minimum: 1, default: 256 * 1024 * 1024 }),
        /** Total bytes the store may hold; a put beyond it is refused with LPX_ERR_BLOBS_QUOTA_EXCEEDED. */
        quotaBytes: Type.Integer({ minimum: 1, default: 10 * 1024 * 1024 * 1024 }),
        /** Longest any blob lives (and its tokens stay valid); job blobs are deleted earlier, with their job. */
        ttlSeconds: Type.Integer({ minimum: 60, default: 7 * 24 * 3600 }),
        sweepIntervalMs: Type.Integer({ minimum: 1_000, default: 60_000 }),
        /** The URL other machines reach this node's HTTP edge at (default: the bound address). */
        publicUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
        /** HMAC key for blob tokens; nodes serving the same blobs behind one URL share it. Default: made once in node.dataDir. */
        secret: Type.Optional(Type.String({ minLength: 32 })),
        /** Use an S3-compatible bucket instead of the local disk. */
        s3: Type.Optional(
          Type.Object(
            {
              endpoint: Type.String({ pattern: '^https?://' }),
              bucket: Type.String({ minLength: 1 }),
              region: Type.String({ default: 'us-east-1' }),
              accessKeyId: Type.String({ minLength: 1 }),
              secretAccessKey: Type.String({ minLength: 1 }),
              prefix: Type.String({ default: 'lpx-blobs/' }),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Transcode workers (docs/adr/0021-transcode-backends-and-dispatch.md): backend probing and the Redis heartbeat the orchestrator sums. */
    transcode: Type.Object(
      {
        /** A backend's probe (encoder listed + one-frame test encode) that takes longer is reported unavailable. */
        probeTimeoutMs: Type.Integer({ minimum: 100, default: 30_000 }),
        /** Unavailable backends are probed again this often (0: never). */
        reprobeIntervalMs: Type.Integer({ minimum: 0, default: 60_000 }),
        /** Workers publish their backends' status this often; the entry lives 3 heartbeats. */
        heartbeatMs: Type.Integer({ minimum: 100, default: 2_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** AI pipelines (docs/adr/0031-kernel-ai-dispatch.md): worker heartbeat, request timeout and the limits applied before a pipeline sees a request. */
    ai: Type.Object(
      {
        /** Workers publish their executors' offers this often; the entry lives 3 heartbeats. */
        heartbeatMs: Type.Integer({ minimum: 100, default: 2_000 }),
        /** A request a runner has not answered (or finished streaming) after this long is stopped, uncharged. */
        requestTimeoutMs: Type.Integer({ minimum: 1_000, default: 300_000 }),
        /**
         * The orchestrator's batch routes (`POST /<pipeline>`) and AI capabilities in OrchestratorInfo; false
         * retires them as go-livepeer PR #4036 does (410 Gone, nothing advertised) while plugins such as
         * ai-live-runner still run AI requests (ADR 0050).
         */
        batchRoutes: Type.Boolean({ default: true }),
        limits: Type.Object(
          {
            /** Largest request body (all files together). */
            maxBodyBytes: Type.Integer({ minimum: 1_024, default: 50 * 1024 * 1024 }),
            maxPromptChars: Type.Integer({ minimum: 1, default: 20_000 }),
            maxImageSide: Type.Integer({ minimum: 1, default: 4_096 }),
            /** Longest input audio: 30 minutes. */
            maxAudioMs: Type.Integer({ minimum: 1, default: 30 * 60 * 1000 }),
            maxTokens: Type.Integer({ minimum: 1, default: 8_192 }),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Containers (docs/adr/0028-container-runtime.md): which runtime plugins get as coreServices.containers, and its probing. */
    containers: Type.Object(
      {
        /** The runtime to use by name (`docker`); default: the only one a configured plugin adds. */
        runtime: Type.Optional(Type.String({ minLength: 1 })),
        /** The first probe may start an engine (the runtime's own dockerd): it is reported unavailable past this. */
        probeTimeoutMs: Type.Integer({ minimum: 100, default: 90_000 }),
        /** An unavailable runtime is probed again this often (0: never). */
        reprobeIntervalMs: Type.Integer({ minimum: 0, default: 30_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    lifecycle: Type.Object(
      {
        initTimeoutMs: Type.Integer({ minimum: 1, default: 10_000 }),
        stopTimeoutMs: Type.Integer({ minimum: 1, default: 10_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    registry: Type.Object(
      {
        /** Local plugin registry folder; needed when a plugin entry names a `version` (with `url`: where the mirror is kept). */
        dir: Type.Optional(Type.String()),
        /** HTTP plugin registry (`lpx registry serve`); requested plugins are mirrored to `<dataDir>/registry-mirror` and resolved there. */
        url: Type.Optional(Type.String({ pattern: '^https?://' })),
        /** Which releases this node accepts (ADR 0037). Absent = dev mode: unsigned releases load with a warning; revocations still apply. */
        trust: Type.Optional(
          Type.Object(
            {
              /** Publisher key ids (`ed25519:…`, `eth:0x…`) or whole public key records whose release signatures count. */
              publishers: Type.Array(RegistryKey),
              /** Key ids whose reviews (approve, reject, revoke) count; default: the publishers. */
              reviewers: Type.Optional(Type.Array(RegistryKey)),
              /** Review states a release may be in; default `[approved]`. */
              states: Type.Optional(Type.Array(ReviewStateSchema, { minItems: 1, uniqueItems: true })),
              /** Default true: an unsigned release, or one signed only by others, is refused. */
              requireSignature: Type.Optional(Type.Boolean()),
            },
            { additionalProperties: false },
          ),
        ),
        /** The plugin lockfile; default `lpx-plugins.lock` next to the config file (none for a config without a file). */
        lockfile: Type.Optional(Type.String({ minLength: 1 })),
        /** How often a running node re-reads the review state of its registry plugins and withdraws revoked ones. */
        refreshMs: Type.Integer({ minimum: 1000, default: 300_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
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
    /** The gateway role: where clients submit jobs and how orchestrators are chosen and paid. */
    gateway: Type.Object(
      {
        /** Highest base price accepted (wei per pixelsPerUnit); absent: any. */
        maxPrice: Type.Optional(Type.Object({ pricePerUnit: Type.String({ pattern: '^[0-9]+$' }), pixelsPerUnit: Type.String({ pattern: '^[1-9][0-9]*$' }) }, { additionalProperties: false })),
        /** Per capability id (and optionally model: `<capability>#<model>`) maximum prices. */
        maxPricePerCapability: Type.Record(Type.String({ minLength: 1 }), Type.Object({ pricePerUnit: Type.String({ pattern: '^[0-9]+$' }), pixelsPerUnit: Type.String({ pattern: '^[1-9][0-9]*$' }) }, { additionalProperties: false }), { default: {} }),
        /** The selection algorithm (a plugin contributes it); default go-livepeer's probability algorithm when present. */
        selection: Type.Optional(Type.String({ minLength: 1 })),
        /** Orchestrators tried per job attempt before the attempt fails. */
        maxOrchestratorAttempts: Type.Integer({ minimum: 1, default: 3 }),
        /** Job attempts (each may try several orchestrators); BullMQ retries with backoff. */
        jobAttempts: Type.Integer({ minimum: 1, default: 3 }),
        /** Discovery: first GetOrchestrator timeout, doubled per round up to the max (go-livepeer: 500 ms → 6 s). */
        discoveryTimeoutMs: Type.Integer({ minimum: 10, default: 500 }),
        maxDiscoveryTimeoutMs: Type.Integer({ minimum: 10, default: 6_000 }),
        /** GetOrchestrator calls running at once in a discovery round; the rest wait their turn (ADR 0062). */
        discoveryConcurrency: Type.Integer({ minimum: 1, default: 128 }),
        /** How long discovered OrchestratorInfo is reused before a refresh. */
        poolRefreshMs: Type.Integer({ minimum: 100, default: 60_000 }),
        /** Per-request timeout towards an orchestrator. */
        requestTimeoutMs: Type.Integer({ minimum: 100, default: 30_000 }),
        /** Largest ticket EV this gateway accepts, in wei (go-livepeer's -maxTicketEV). */
        maxTicketEV: Type.String({ pattern: '^[0-9]+$', default: '3000000000000' }),
        /** Largest EV of one payment's tickets together, in wei (go-livepeer's -maxTotalEV). */
        maxTotalEV: Type.String({ pattern: '^[0-9]+$', default: '20000000000000' }),
        /**
         * Route jobs this process runs at once per capability. They mostly wait on orchestrators, so the default is high;
         * orchestrators' capacity (insufficient capacity → another one) is the real limit (ADR 0061).
         */
        concurrency: Type.Integer({ minimum: 1, maximum: 10_000, default: 256 }),
        /**
         * What the gateway checks on the renditions of a segment (ADR 0026): 'auto' = the orchestrator's signature when
         * on-chain (go-livepeer's -localVerify default), 'signature' always, 'pixels' also decodes each rendition with
         * ffprobe and compares its pixel count with the charge, 'off' nothing beyond the rendition count.
         */
        segmentVerification: Type.Union([Type.Literal('auto'), Type.Literal('signature'), Type.Literal('pixels'), Type.Literal('off')], { default: 'auto' }),
        /** Job-outcome webhooks: a durable delivery queue, signed, behind an egress policy (ADR 0019). */
        webhooks: GatewayWebhooks,
        /** Capability ids routed even before discovery finds an orchestrator offering them (others: only when offered). */
        capabilities: Type.Array(Type.String({ minLength: 1 }), { default: [], uniqueItems: true }),
        /** Live Runner apps through this gateway (ADR 0043): price ceilings in wei per unit, payment cadence. */
        liveRunner: Type.Object(
          {
            maxPrice: Type.Object(
              { seconds: Type.Optional(Type.String({ pattern: '^[0-9]+$' })), '720p-pixel-seconds': Type.Optional(Type.String({ pattern: '^[0-9]+$' })), fixed: Type.Optional(Type.String({ pattern: '^[0-9]+$' })) },
              { additionalProperties: false, default: {} },
            ),
            /** Top-up period of a session's payments (go-livepeer debits every 5 s). */
            paymentIntervalMs: Type.Integer({ minimum: 100, default: 3_000 }),
            /** Seconds of use kept paid ahead. */
            aheadSeconds: Type.Integer({ minimum: 1, default: 10 }),
            /** Single-shot bodies are kept (for failover) up to this size. */
            maxSingleShotBodyBytes: Type.Integer({ minimum: 0, default: 32 * 1024 * 1024 }),
            /** A batch AI request (`POST /<pipeline>`) no batch orchestrator took goes to a single-shot Live Runner app `<pipeline>/<model_id>` (ADR 0050). */
            batchAIFallback: Type.Boolean({ default: true }),
          },
          { additionalProperties: false, default: {} },
        ),
        /** A BYOC stream's orchestrator is paid this often (go-livepeer: every 50 s; ADR 0048). Shorter in tests and demos. */
        byocStreamPaymentIntervalMs: Type.Integer({ minimum: 100, default: 50_000 }),
        /** Clients of /v1/jobs, by name (ADR 0017); none: the API is open, allowed only on a loopback http.host. */
        tenants: Type.Record(Type.String({ pattern: TENANT_NAME_PATTERN }), Tenant, { default: {} }),
      },
      { additionalProperties: false, default: {} },
    ),
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
