import { fileURLToPath } from 'node:url';
import { PluginManifestSchema } from '@lpx/sdk';

/** Where the committed, generated schema lives; editors and non-TypeScript tools read this file. */
export const MANIFEST_SCHEMA_PATH = fileURLToPath(new URL('../../schemas/plugin-manifest.schema.json', import.meta.url));

/** The command that regenerates the committed schema; quoted by the drift test. */
export const MANIFEST_SCHEMA_COMMAND = 'node --import tsx scripts/generate-manifest-schema.ts';

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/**
 * The manifest schema as plain JSON Schema. TypeBox keeps its bookkeeping under
 * symbol keys, which a JSON round trip drops, so what remains is exactly what
 * any JSON Schema tool sees. The sdk's TypeBox value stays the single source.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(PluginManifestSchema)) as Record<string, unknown>;
  return { $schema: DRAFT_07, ...plain };
}

/** Deterministic file content: 2-space JSON and a trailing newline. */
export function renderManifestSchema(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}
