// A gateway (viem account) discovers a real TLS gRPC orchestrator and gets a
// complete OrchestratorInfo; Ping and EndTranscodingSession behave as in go-livepeer.
import t from 'tap';
import { recoverMessageAddress } from 'viem';
import { hasCapabilityBit, toLivepeerCapabilities } from '../../src/capabilities/index.js';
import { endTranscodingSession, getOrchestratorInfo, pingOrchestrator } from '../../src/network/index.js';
import { keccak256, toHex } from '../../src/payments/index.js';
import { HARDWARE, startOrchestrator } from './helpers/orchestrator-fixture.js';

t.test('GetOrchestrator without capabilities: the full OrchestratorInfo', async (t) => {
  const o = await startOrchestrator();
  t.teardown(o.stop);
  const before = BigInt(Math.floor(Date.now() / 1000));
  const info = await getOrchestratorInfo(o.uri, { signer: o.gateway, timeoutMs: 5_000 });

  t.equal(info.transcoder, o.uri, 'transcoder is the service URI');
  t.equal(toHex(info.address), o.orchestrator.address.toLowerCase(), 'address is the node key');
  t.same(info.nodes, ['https://node-2.example:8935']);

  const caps = info.capabilities!;
  t.ok(caps, 'capabilities present');
  for (const id of [0, 1, 2, 12, 27]) t.ok(hasCapabilityBit(caps.bitstring, id), `bit ${id} is set`);
  t.notOk(hasCapabilityBit(caps.bitstring, 33), 'LLM is not advertised');
  t.equal(caps.version, '0.9.1-lpx');
  t.equal(caps.capacities[27], 2, 'text-to-image capacity');
  t.same(caps.constraints.perCapability[27]?.models['stabilityai/sd-turbo'], { warm: true, capacity: 2, runnerVersion: '', capacityInUse: 0 });
  t.same(caps, toLivepeerCapabilities(o.registry.list(), '0.9.1-lpx', { usage: o.registry }), 'exactly what the registry advertises');

  t.same(info.priceInfo, { pricePerUnit: 1200n, pixelsPerUnit: 1n }, 'base price = transcoding price');
  t.same(info.capabilitiesPrices, [
    { capability: 27, constraint: 'stabilityai/sd-turbo', pricePerUnit: 4768371n, pixelsPerUnit: 1n },
    { capability: 37, constraint: 'echo', pricePerUnit: 3n, pixelsPerUnit: 2n },
  ]);
  t.same(info.hardware, HARDWARE, 'worker hardware only without capabilities');

  const params = info.ticketParams!;
  t.ok(params, 'ticket params present');
  t.equal(toHex(params.recipient), o.orchestrator.address.toLowerCase());
  t.ok(params.faceValue > 0n && params.winProb > 0n, 'face value and win probability set');
  t.equal(params.recipientRandHash.length, 32);
  t.equal(params.expirationBlock, 5_040n, 'expires 40 L1 blocks out');
  t.equal(params.expirationParams?.creationRound, 100n, 'expiration params travel inside');

  const token = info.authToken!;
  t.match(token.sessionId, /^[0-9a-f]{8}$/);
  t.ok(token.expiration >= before + 1799n && token.expiration <= before + 1801n, 'expires in 30 minutes');
  t.equal(token.token.length, 32);
  t.equal(o.authTokens.check(token), undefined, 'the token is one this node issued');
});

t.test('GetOrchestrator with capabilities: the price of what was asked, no price list', async (t) => {
  const o = await startOrchestrator();
  t.teardown(o.stop);
  const wanted = toLivepeerCapabilities(
    o.registry.list().filter((d) => d.id === 'ai/text-to-image'),
    '0.9.1',
  );
  const info = await getOrchestratorInfo(o.uri, { signer: o.gateway, capabilities: wanted });
  t.same(info.priceInfo, { pricePerUnit: 4768371n, pixelsPerUnit: 1n }, 'sum of the requested model prices');
  t.same(info.capabilitiesPrices, []);
  t.same(info.hardware, []);
  t.ok(info.ticketParams, 'params bound to that price');
});

t.test('Ping is signed by the orchestrator over keccak256(value)', async (t) => {
  const o = await startOrchestrator();
  t.teardown(o.stop);
  const value = new TextEncoder().encode('are you there');
  const sig = await pingOrchestrator(o.uri, value);
  t.equal(sig.length, 65);
  t.ok(sig[64] === 27 || sig[64] === 28, 'V is 27/28');
  const signer = await recoverMessageAddress({ message: { raw: keccak256(value) }, signature: toHex(sig) });
  t.equal(signer, o.orchestrator.address);
});

t.test('EndTranscodingSession checks the token HMAC', async (t) => {
  const ended: string[] = [];
  const o = await startOrchestrator({ service: { onEndSession: (id) => ended.push(id) } });
  t.teardown(o.stop);
  const info = await getOrchestratorInfo(o.uri, { signer: o.gateway });
  await endTranscodingSession(o.uri, info.authToken!);
  t.same(ended, [info.authToken!.sessionId]);

  const forged = { ...info.authToken!, expiration: info.authToken!.expiration + 60n };
  await t.rejects(endTranscodingSession(o.uri, forged), { code: 'LPX_ERR_NETWORK_UNREACHABLE', details: { remoteMessage: 'Invalid auth token', grpcCode: 2 } });
  t.same(ended.length, 1);
});
