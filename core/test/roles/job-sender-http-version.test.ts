// The job sender reaches orchestrators over the HTTP version the gateway is
// configured for (gateway.orchestratorHttpVersion, ADR 0068): HTTP/1.1
// keep-alive by default, HTTP/2 when asked (go-livepeer's client) — both on
// the same TLS port of an orchestrator.
import t from 'tap';
import { fastify } from 'fastify';
import { pino } from 'pino';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { insecureOrchestratorAgent, registerJobRoutes } from '../../src/network/byoc/index.js';
import { generateSelfSignedCertificate } from '../../src/network/tls/self-signed-certificate.js';
import { createJobSender } from '../../src/roles/gateway/job-sender.js';
import { GatewaySection } from '../../src/config/gateway-schema.js';
import type { PoolEntry } from '../../src/gateway/pool/pool-options.js';

const pair = await generateSelfSignedCertificate({ hostname: '127.0.0.1' });
const app = fastify({ http2: true, https: { allowHTTP1: true, key: pair.key, cert: pair.cert } });
const seen: { url: string; version: string }[] = [];
app.addHook('onRequest', async (request) => void seen.push({ url: request.url, version: request.raw.httpVersion }));
let clock = 0;
registerJobRoutes(app as unknown as Parameters<typeof registerJobRoutes>[0], {
  priceFor: () => undefined,
  admit: () => ({}),
  release: () => {},
  availableCapacity: () => 4,
  dispatch: async (input) => ({ contentType: 'application/json', body: input.body }),
  serviceAddr: () => '',
  now: () => clock++,
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const orchestrator = { uri: `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` } as PoolEntry;
t.teardown(async () => {
  // The process-wide agents hold their connections open, and the server's close would wait for them.
  await Promise.all([insecureOrchestratorAgent('1.1').close(), insecureOrchestratorAgent('2').close()]);
  await app.close();
});

async function versionsSeen(httpVersion: '1.1' | '2' | undefined): Promise<string[]> {
  seen.length = 0;
  const sender = createJobSender({ account: privateKeyToAccount(generatePrivateKey()), chain: undefined, requestTimeoutMs: 5_000, logger: pino({ level: 'silent' }), ...(httpVersion !== undefined ? { httpVersion } : {}) });
  try {
    const sent = await sender.send(orchestrator, { capabilityId: 'byoc/echo', input: { text: 'hi' }, requestId: `job-${httpVersion ?? 'default'}`, signal: AbortSignal.timeout(10_000) });
    t.same(sent.output, { text: 'hi' }, `the job's answer over ${httpVersion ?? 'the default'}`);
  } finally {
    sender.close();
  }
  return [...new Set(seen.map((request) => request.version))];
}

t.test("HTTP/1.1 when configured so: the gateway's default", async (t) => {
  t.equal(GatewaySection.properties.orchestratorHttpVersion.default, '1.1', 'the config default');
  t.same(await versionsSeen('1.1'), ['1.1'], 'the job over HTTP/1.1');
  t.ok(seen.some((request) => request.url.startsWith('/process/request')), 'the job reached the orchestrator');
});

t.test('HTTP/2 when configured so, negotiated by ALPN despite the unverifiable certificate', async (t) => {
  t.same(await versionsSeen('2'), ['2.0']);
});

t.test("a job sender told nothing uses HTTP/2, as go-livepeer's client", async (t) => {
  t.same(await versionsSeen(undefined), ['2.0']);
});
