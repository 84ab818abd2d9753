import { readFile } from 'node:fs/promises';
import t from 'tap';
import { MANIFEST_SCHEMA_COMMAND, MANIFEST_SCHEMA_PATH, renderManifestSchema } from '../src/index.js';

t.test('committed plugin-manifest.schema.json matches the sdk TypeBox schema', async (t) => {
  const committed = await readFile(MANIFEST_SCHEMA_PATH, 'utf8');
  t.equal(committed, renderManifestSchema(), `registry/schemas/plugin-manifest.schema.json is stale; run: ${MANIFEST_SCHEMA_COMMAND}`);
});

t.test('rendering is deterministic JSON with a trailing newline', async (t) => {
  const first = renderManifestSchema();
  t.equal(first, renderManifestSchema());
  t.ok(first.endsWith('}\n'));
  const parsed = JSON.parse(first) as Record<string, unknown>;
  t.equal(parsed['$schema'], 'http://json-schema.org/draft-07/schema#');
  t.same(parsed['required'], ['id', 'version', 'host']);
});
