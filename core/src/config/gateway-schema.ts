/**
 * The `gateway` section of the node config: job routing, orchestrator selection and payment limits,
 * webhooks (ADR 0019) and tenants (ADR 0017).
 */
import { Type } from '@sinclair/typebox';

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
export const Tenant = Type.Object(
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

/** The gateway role: where clients submit jobs and how orchestrators are chosen and paid. */
export const GatewaySection = Type.Object(
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
    /**
     * HTTP version of BYOC jobs to orchestrators (ADR 0068): '1.1' (keep-alive, a connection per job in flight; less
     * CPU per job at both ends) or '2' (one multiplexed connection, as go-livepeer's client). Both are on every
     * orchestrator's port.
     */
    orchestratorHttpVersion: Type.Union([Type.Literal('1.1'), Type.Literal('2')], { default: '1.1' }),
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
);
