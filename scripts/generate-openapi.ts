/**
 * Writes docs/openapi/<server>.json: the OpenAPI document each role's HTTP
 * servers serve at /openapi.json, from nodes booted in-process. Run after
 * adding or changing a route (core/test/http/openapi-drift.test.ts fails
 * until the files are regenerated):
 *
 *   node --import tsx scripts/generate-openapi.ts
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { OPENAPI_DIR, generateRoleDocuments, renderDocument } from './openapi/role-documents.js';

await mkdir(OPENAPI_DIR, { recursive: true });
for (const server of await generateRoleDocuments()) {
  await writeFile(new URL(`${server.name}.json`, OPENAPI_DIR), renderDocument(server.document));
  console.log(`wrote docs/openapi/${server.name}.json (${server.documented.length} operations)`);
}
