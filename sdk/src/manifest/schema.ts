import { Type, type Static } from '@sinclair/typebox';
import { CapabilityDeclaration } from '../capabilities/descriptor.js';
import { ByocAppSpec } from '../byoc/app-spec.js';

export const PLUGIN_ID_PATTERN = '^[a-z][a-z0-9-]*$';
const SEMVER_PATTERN = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$';

export const Permission = Type.Union([
  Type.Literal('network'),
  Type.Literal('docker'),
  Type.Literal('gpu'),
  Type.Literal('fs'),
  Type.Literal('chain'),
  Type.Literal('process'),
  /** Paying orchestrators through `coreServices.gateway` (a plugin that submits paid jobs). */
  Type.Literal('spend'),
]);

/**
 * The reach of each declared permission. The kernel and the container runtime
 * grant exactly this and refuse the rest with LPX_ERR_PLUGIN_PERMISSION_DENIED
 * naming the permission; a grant for a permission not in `permissions` is a
 * manifest error. A permission declared without a grant gets its narrowest
 * default (see docs/adr/0036-permissions-enforced.md).
 */
export const PermissionGrants = Type.Object(
  {
    docker: Type.Optional(
      Type.Object(
        {
          /** Image refs (`name:tag`, `*` wildcard in the tag or after a `/`) the plugin may create containers from. */
          images: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
          /** Containers the plugin may have at once. */
          maxContainers: Type.Optional(Type.Integer({ minimum: 1 })),
          /** Memory limit every container must set and stay under. */
          maxMemoryBytes: Type.Optional(Type.Integer({ minimum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    gpu: Type.Optional(Type.Object({ max: Type.Integer({ minimum: 1, maximum: 64 }) }, { additionalProperties: false })),
    network: Type.Optional(
      Type.Object(
        {
          /** Hosts the plugin may reach through the kernel (`host`, `host:port`, `*.example.com`). */
          hosts: Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true }),
        },
        { additionalProperties: false },
      ),
    ),
    fs: Type.Optional(
      Type.Object(
        {
          /** Host paths (absolute, or relative to the node's data dir) the plugin may bind into containers or open through the kernel. */
          paths: Type.Array(Type.Object({ path: Type.String({ minLength: 1 }), access: Type.Union([Type.Literal('ro'), Type.Literal('rw')]) }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
    spend: Type.Optional(
      Type.Object(
        {
          /** The most one job may cost, in wei: the plugin's jobs get this as their price ceiling and cannot raise it. */
          maxPerJobWei: Type.String({ pattern: '^[1-9][0-9]*$' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * The static half of a plugin: validated before any plugin code runs, so the
 * registry and the kernel can reject a plugin without importing it.
 */
export const PluginManifestSchema = Type.Object(
  {
    id: Type.String({ pattern: PLUGIN_ID_PATTERN, description: 'kebab-case, unique within a node' }),
    version: Type.String({ pattern: SEMVER_PATTERN }),
    host: Type.String({ minLength: 1, description: 'semver range of the lpx host API the plugin was built for' }),
    description: Type.Optional(Type.String()),
    requires: Type.Optional(
      Type.Object(
        {
          services: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
          extensionPoints: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
          plugins: Type.Optional(Type.Record(Type.String({ pattern: PLUGIN_ID_PATTERN }), Type.String({ minLength: 1 }))),
        },
        { additionalProperties: false },
      ),
    ),
    provides: Type.Optional(
      Type.Object(
        {
          extensionPoints: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true })),
          // See docs/adr/0018-plugin-provided-services.md; the kernel refuses `core.*` ids with a coded error.
          services: Type.Optional(
            Type.Array(Type.String({ minLength: 1 }), { uniqueItems: true, description: 'ids of the services this plugin provides to other plugins (never core.*)' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    capabilities: Type.Optional(Type.Array(CapabilityDeclaration)),
    /** JSON Schema (draft-07 subset, as TypeBox emits) for `plugins.<id>.config`. */
    config: Type.Optional(Type.Object({}, { additionalProperties: true })),
    permissions: Type.Optional(Type.Array(Permission, { uniqueItems: true })),
    grants: Type.Optional(PermissionGrants),
    /** A BYOC partner app this plugin contributes (hosted by a plugin that reads the `byoc.apps` extension point). */
    byoc: Type.Optional(ByocAppSpec),
  },
  { additionalProperties: false, $id: 'https://lpx.dev/schemas/plugin-manifest.json', title: 'lpx plugin manifest' },
);

export type PluginManifest = Static<typeof PluginManifestSchema>;
export type Permission = Static<typeof Permission>;
export type PermissionGrants = Static<typeof PermissionGrants>;
