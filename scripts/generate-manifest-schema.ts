/**
 * Writes registry/schemas/plugin-manifest.schema.json from the sdk's TypeBox
 * manifest schema. Run after changing sdk/src/manifest/schema.ts:
 *
 *   node --import tsx scripts/generate-manifest-schema.ts
 *
 * registry/test/manifest-schema-drift.test.ts fails until the file is regenerated.
 */
import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { MANIFEST_SCHEMA_PATH, renderManifestSchema } from '../registry/src/manifest/json-schema.js';

await writeFile(MANIFEST_SCHEMA_PATH, renderManifestSchema());
console.log(`wrote ${relative(process.cwd(), MANIFEST_SCHEMA_PATH)}`);
