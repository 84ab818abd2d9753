import { Type, type Static } from '@sinclair/typebox';
import { CapabilityPrice, ModelConstraint } from '@lpx/sdk';

export const ROLES = ['gateway', 'orchestrator', 'worker', 'redeemer', 'signer'] as const;

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
  },
  { additionalProperties: false },
);

const CapabilityOverride = Type.Object(
  {
    capacity: Type.Optional(Type.Integer({ minimum: 0 })),
    price: Type.Optional(CapabilityPrice),
    models: Type.Optional(Type.Record(Type.String({ minLength: 1 }), ModelConstraint)),
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
    lifecycle: Type.Object(
      {
        initTimeoutMs: Type.Integer({ minimum: 1, default: 10_000 }),
        stopTimeoutMs: Type.Integer({ minimum: 1, default: 10_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
    registry: Type.Object(
      {
        /** Local plugin registry folder; needed when a plugin entry names a `version`. */
        dir: Type.Optional(Type.String()),
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
