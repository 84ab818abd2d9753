// The OpenAPI documents cannot drift from the routes (ADR 0058): each role's
// node is booted in-process, and for every HTTP server the operations its
// /openapi.json lists are exactly the routes fastify registered; the committed
// docs/openapi/<server>.json equal what a boot generates now.
import { readFile } from 'node:fs/promises';
import t from 'tap';
import { OPENAPI_DIR, generateRoleDocuments, renderDocument } from '../../../scripts/openapi/role-documents.js';

const REGENERATE = 'node --import tsx scripts/generate-openapi.ts';

const servers = await generateRoleDocuments();

t.same(
  servers.map((server) => server.name),
  ['worker', 'gateway', 'orchestrator', 'gateway-plugins', 'orchestrator-plugins'],
  'one document per HTTP server: the node port of every role (worker.json), the gateway port, the orchestrator front door, and the last two with the plugins that serve HTTP for them',
);

for (const server of servers) {
  t.test(`${server.name}: every registered route is documented, nothing else is`, async (t) => {
    t.ok(server.registered.length > 0);
    t.same(server.documented, server.registered);
    t.ok(server.registered.includes('GET /openapi.json'), 'the document describes itself');
  });

  t.test(`${server.name}: docs/openapi/${server.name}.json is current`, async (t) => {
    const committed = await readFile(new URL(`${server.name}.json`, OPENAPI_DIR), 'utf8').catch(() => '');
    t.ok(committed === renderDocument(server.document), `docs/openapi/${server.name}.json differs from the routes; regenerate with: ${REGENERATE}`);
  });
}
