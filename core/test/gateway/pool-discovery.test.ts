// The pool against real lpx orchestrator gRPC services on loopback, next to a
// hanging TCP server, a gRPC service replying an undecodable message, a TLS
// server speaking junk, and one replying without a service URI.
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { errors, type SelectionAlgorithm } from '@lpx/sdk';
import { ProbabilitySelectionAlgorithm } from '@lpx/plugin-selection-stake';
import { GrpcEdge } from '../../src/grpc/grpc-edge.js';
import { OrchestratorPool, toSelectionCandidates } from '../../src/gateway/pool/index.js';
import {
  gatewayCredentials,
  generateSelfSignedCertificate,
  getOrchestratorInfo,
  orchestratorServerCredentials,
  orchestratorServiceDefinition,
} from '../../src/network/index.js';
import { toHex } from '../../src/payments/index.js';
import { startOrchestrator } from '../network/helpers/orchestrator-fixture.js';

/** What the helpers need of a (sub)test: somewhere to register cleanup. */
type Teardown = Pick<typeof t, 'teardown'>;

const TLS = generateSelfSignedCertificate({ hostname: '127.0.0.1' });

/** Accepts connections and never says a word: a stuck orchestrator. */
async function hangingServer(t: Teardown): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Completes TLS, then writes bytes that are no HTTP/2 at all. */
async function junkTlsServer(t: Teardown): Promise<string> {
  const pair = await TLS;
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: pair.key, cert: pair.cert, ALPNProtocols: ['h2'] }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.end(Buffer.from('HTTP/1.1 200 OK\r\n\r\nthis is not a grpc reply at all'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A real grpc-js server at net.Orchestrator/GetOrchestrator whose reply bytes are not an OrchestratorInfo. */
async function malformedGrpcServer(t: Teardown): Promise<string> {
  const edge = new GrpcEdge();
  const definition = {
    GetOrchestrator: { ...orchestratorServiceDefinition.GetOrchestrator, responseSerialize: () => Buffer.from([0xff, 0xff, 0xff, 0xff]) },
  };
  edge.facadeFor('test.garbage').addService(definition, {
    GetOrchestrator: (_call: unknown, callback: (error: null, value: object) => void) => callback(null, {}),
  });
  const port = await edge.start('127.0.0.1', 0, orchestratorServerCredentials(await TLS));
  t.teardown(() => edge.stop(500));
  return `https://127.0.0.1:${port}`;
}

const first: SelectionAlgorithm = { name: 'first', select: (candidates) => [...candidates] };

t.test('fan-out to real orchestrators: full info cached, entries usable, pick honours exclude', async (t) => {
  const a = await startOrchestrator();
  // Each fixture funds only its own gateway; an offchain node asks no payment, so any gateway may use it.
  const b = await startOrchestrator({ offchain: true });
  t.teardown(a.stop);
  t.teardown(b.stop);
  const credentials = await gatewayCredentials(a.gateway);
  const pool = new OrchestratorPool({ candidates: async () => [{ uri: a.uri }, { uri: b.uri }], credentials }, { discoveryTimeoutMs: 2_000 });
  t.teardown(() => pool.close());

  const round = await pool.discover();
  t.same([...round.answered].sort(), [a.uri, b.uri].sort(), 'both answered');
  t.same(round.pending, []);
  t.equal(round.timedOut, false, 'ended because everyone answered');

  const cached = pool.get(a.uri)!;
  t.equal(cached.info.transcoder, a.uri);
  t.equal(toHex(cached.info.address), a.orchestrator.address.toLowerCase());
  t.ok(cached.info.ticketParams, 'ticket params');
  t.ok(cached.info.authToken, 'auth token');
  t.equal(cached.info.capabilitiesPrices.length, 2, 'full price list (no capabilities asked)');
  t.ok(cached.info.hardware.length > 0, 'hardware');
  t.ok(cached.latencyMs > 0, 'round trip measured');

  t.equal(pool.get(b.uri)!.info.priceInfo, undefined, 'the offchain one sends no price');

  const ai = pool.usable('ai/text-to-image', 'stabilityai/sd-turbo');
  t.equal(ai.length, 2);
  t.ok(ai[0]!.latencyMs <= ai[1]!.latencyMs, 'fastest first');
  const priceOf = (capability: string, model?: string) => pool.usable(capability, model).find((e) => e.uri === a.uri)!.price;
  t.same(priceOf('ai/text-to-image', 'stabilityai/sd-turbo'), { pricePerUnit: 4768371n, pixelsPerUnit: 1n }, 'the model price from capabilities_prices');
  t.same(priceOf('video/transcode'), { pricePerUnit: 1200n, pixelsPerUnit: 1n }, 'transcoding: price_info');
  t.same(priceOf('byoc/echo'), { pricePerUnit: 3n, pixelsPerUnit: 2n });
  t.equal(pool.usable('video/transcode').find((e) => e.uri === b.uri)!.price, undefined, 'no price_info: unpriced, still usable');
  t.same(pool.usable('ai/text-to-image', 'other/model'), [], 'model not offered');
  t.same(pool.usable('ai/llm'), [], 'capability not offered');

  const candidates = toSelectionCandidates(ai);
  t.same(Object.keys(candidates.find((c) => c.uri === a.uri)!).sort(), ['address', 'latencyMs', 'price', 'uri']);
  t.equal(candidates.find((c) => c.uri === a.uri)!.address, a.orchestrator.address.toLowerCase());

  const picked = pool.pick('ai/text-to-image', { algorithm: first, model: 'stabilityai/sd-turbo' });
  const other = pool.pick('ai/text-to-image', { algorithm: first, model: 'stabilityai/sd-turbo', exclude: new Set([picked.uri]) });
  t.not(other.uri, picked.uri, 'exclude skips the tried one');
  const stake = pool.pick('video/transcode', { algorithm: new ProbabilitySelectionAlgorithm(), random: () => 0.5 });
  t.ok([a.uri, b.uri].includes(stake.uri), 'the probability algorithm picks a pool entry');
  t.throws(() => pool.pick('video/transcode', { algorithm: first, exclude: new Set([a.uri, b.uri]) }), { code: errors.gateway.NO_ORCHESTRATORS.code });
});

t.test('a hanging orchestrator does not hold the round past its timer, and is suspended when its call fails', async (t) => {
  const good = await startOrchestrator();
  t.teardown(good.stop);
  const hanging = await hangingServer(t);
  const credentials = await gatewayCredentials(good.gateway);
  const pool = new OrchestratorPool(
    { candidates: async () => [{ uri: hanging }, { uri: good.uri }], credentials },
    { discoveryTimeoutMs: 200, maxDiscoveryTimeoutMs: 1_500 },
  );
  t.teardown(() => pool.close());

  const round = await pool.discover();
  t.same(round.answered, [good.uri]);
  t.same(round.pending, [hanging], 'the round returned while the hanging call was still running');
  t.equal(round.timedOut, true, 'ended by the tick with one success');
  t.same(pool.usable('video/transcode').map((e) => e.uri), [good.uri]);

  await pool.settled();
  t.ok(pool.isSuspended(hanging), 'suspended once its call gave up');
  t.match(pool.suspension(hanging)?.reason, /GetOrchestrator|connect/);
  t.ok(errors.network.UNREACHABLE.is(pool.lastError(hanging)));
  t.equal(pool.get(hanging), undefined, 'nothing cached for it');
});

t.test('garbage replies are suspended: undecodable protobuf, junk over TLS, no service URI', async (t) => {
  const good = await startOrchestrator();
  t.teardown(good.stop);
  const malformed = await malformedGrpcServer(t);
  const junk = await junkTlsServer(t);
  const credentials = await gatewayCredentials(good.gateway);
  // A real lpx orchestrator service relaying the good one's full info minus the service URI: go-livepeer refuses such replies.
  const blank = await startOrchestrator({
    service: { info: { build: async () => ({ ...(await getOrchestratorInfo(good.uri, { credentials })), transcoder: '' }) } },
  });
  t.teardown(blank.stop);
  const pool = new OrchestratorPool(
    { candidates: async () => [{ uri: malformed }, { uri: junk }, { uri: blank.uri }, { uri: good.uri }], credentials },
    { discoveryTimeoutMs: 5_000, maxDiscoveryTimeoutMs: 5_000 },
  );
  t.teardown(() => pool.close());

  const round = await pool.discover();
  t.same(round.answered, [good.uri]);
  t.same([...round.failed].sort(), [malformed, junk, blank.uri].sort(), 'all three failed within the round');
  for (const uri of [malformed, junk, blank.uri]) t.ok(pool.isSuspended(uri), `${uri} suspended`);
  t.match(pool.suspension(malformed)?.reason, /pars|protobuf|decod/i, 'a decode failure');
  t.match(pool.suspension(blank.uri)?.reason, /no transcoder/);
  t.same(pool.usable('video/transcode').map((e) => e.uri), [good.uri]);
});
