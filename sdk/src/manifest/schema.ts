import { Type, type Static } from '@sinclair/typebox';
import { CapabilityDeclaration } from '../capabilities/descriptor.js';

export const PLUGIN_ID_PATTERN = '^[a-z][a-z0-9-]*$';
const SEMVER_PATTERN = '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$';

export const Permission = Type.Union([
  Type.Literal('network'),
  Type.Literal('docker'),
  Type.Literal('gpu'),
  Type.Literal('fs'),
  Type.Literal('chain'),
  Type.Literal('process'),
]);

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
  },
  { additionalProperties: false, $id: 'https://lpx.dev/schemas/plugin-manifest.json', title: 'lpx plugin manifest' },
);

export type PluginManifest = Static<typeof PluginManifestSchema>;
export type Permission = Static<typeof Permission>;
