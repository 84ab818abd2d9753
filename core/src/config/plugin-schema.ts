/** Plugins in the node config: their entries, operator overrides of the capabilities they declare, and where releases come from (`registry`). */
import { Type } from '@sinclair/typebox';
import { CapabilityPrice, ModelConstraint, PermissionGrants } from '@lpx/sdk';

export const PluginEntry = Type.Object(
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

export const CapabilityOverride = Type.Object(
  {
    capacity: Type.Optional(Type.Integer({ minimum: 0 })),
    price: Type.Optional(CapabilityPrice),
    models: Type.Optional(Type.Record(Type.String({ minLength: 1 }), ModelConstraint)),
  },
  { additionalProperties: false },
);

/** `registry`: the local or HTTP plugin registry and which releases it may install (ADR 0037). */
export const RegistrySection = Type.Object(
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
);
