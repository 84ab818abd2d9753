// What an orchestrator refuses, with go-livepeer's status and text, and that it
// keeps answering afterwards.
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import t from 'tap';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { gatewayCredentials, getOrchestratorInfo, LPX_ERROR_CODE_TRAILER, WIRE_TEXT } from '../../src/network/index.js';
import { startOrchestrator } from './helpers/orchestrator-fixture.js';

/** Sends raw bytes to a method, bypassing our codecs, as a broken or hostile peer would. */
function rawCall(port: number, method: string, body: Buffer): Promise<ServiceError | Buffer> {
  const client = new Client(`127.0.0.1:${port}`, credentials.createSsl(null, null, null, { rejectUnauthorized: false, checkServerIdentity: () => undefined }));
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      `/net.Orchestrator/${method}`,
      (b: Buffer) => b,
      (b: Buffer) => b,
      body,
      new Metadata(),
      { deadline: Date.now() + 5_000 },
      (error, value) => {
        client.close();
        resolve(error ?? value!);
      },
    );
  });
}

t.test('a signature by another key is refused with go-livepeer\'s text', async (t) => {
  const o = await startOrchestrator();
  t.teardown(o.stop);
  const impostor = await gatewayCredentials(privateKeyToAccount(generatePrivateKey()));
  const mine = await gatewayCredentials(o.gateway);
  const error = await getOrchestratorInfo(o.uri, { credentials: { address: mine.address, sig: impostor.sig } }).catch((e: unknown) => e);
  t.match(error, {
    code: 'LPX_ERR_NETWORK_UNREACHABLE',
    details: { grpcCode: status.UNKNOWN, remoteMessage: WIRE_TEXT.gatewaySigInvalid, remoteCode: 'LPX_ERR_NETWORK_GATEWAY_SIG_INVALID' },
  });
  t.equal(WIRE_TEXT.gatewaySigInvalid, 'Invalid orchestrator request: orchestrator req sig check failed');

  const truncated = await getOrchestratorInfo(o.uri, { credentials: { address: mine.address, sig: mine.sig.subarray(0, 64) } }).catch((e: unknown) => e);
  t.match(truncated, { details: { remoteMessage: WIRE_TEXT.gatewaySigInvalid } }, 'a 64-byte signature too');

  const ok = await getOrchestratorInfo(o.uri, { credentials: mine });
  t.equal(ok.transcoder, o.uri, 'the real gateway still gets in');
});

t.test('offchain mode (verifyGatewaySig: false) accepts any gateway, like go-livepeer without an eth client', async (t) => {
  const o = await startOrchestrator({ offchain: true, service: { verifyGatewaySig: false } });
  t.teardown(o.stop);
  const info = await getOrchestratorInfo(o.uri, { credentials: { address: new Uint8Array(20), sig: new Uint8Array(0) } });
  t.equal(info.transcoder, o.uri);
  t.equal(info.priceInfo, undefined, 'offchain: no price');
  t.equal(info.ticketParams, undefined, 'offchain: no ticket params');
  t.ok(info.authToken, 'but still an auth token');
});

t.test('an unfunded gateway gets the payments refusal text (insufficient sender reserve)', async (t) => {
  const o = await startOrchestrator();
  t.teardown(o.stop);
  const stranger = privateKeyToAccount(generatePrivateKey());
  await t.rejects(getOrchestratorInfo(o.uri, { signer: stranger }), {
    code: 'LPX_ERR_NETWORK_UNREACHABLE',
    details: { remoteMessage: 'insufficient sender reserve', remoteCode: 'LPX_ERR_PAYMENTS_INSUFFICIENT_RESERVE' },
  });
});

t.test('no session capacity: OrchestratorCapped', async (t) => {
  const o = await startOrchestrator({ service: { hasSessionCapacity: () => false } });
  t.teardown(o.stop);
  await t.rejects(getOrchestratorInfo(o.uri, { signer: o.gateway }), {
    code: 'LPX_ERR_NETWORK_UNREACHABLE',
    details: { remoteMessage: 'Invalid orchestrator request: OrchestratorCapped' },
  });
});

t.test('garbage and oversized bodies are refused; the server keeps answering', async (t) => {
  const o = await startOrchestrator();
  t.teardown(o.stop);

  // Field 1 as a length-delimited value claiming 100 bytes that never come.
  const garbage = await rawCall(o.port, 'GetOrchestrator', Buffer.from([0x0a, 0x64, 0x01, 0x02]));
  t.match(garbage, { code: status.INTERNAL }, 'truncated protobuf: INTERNAL, as grpc-go answers an unmarshal failure');
  const wrongWire = await rawCall(o.port, 'GetOrchestrator', Buffer.from([0x0f, 0xff, 0xff, 0xff]));
  t.match(wrongWire, { code: status.INTERNAL }, 'invalid wire type');

  const oversized = await rawCall(o.port, 'GetOrchestrator', Buffer.alloc(5 * 1024 * 1024, 0x41));
  t.match(oversized, { code: status.RESOURCE_EXHAUSTED }, 'more than the 4 MiB default message size');

  const empty = await rawCall(o.port, 'GetOrchestrator', Buffer.alloc(0));
  t.match(empty, { code: status.UNKNOWN, details: WIRE_TEXT.gatewaySigInvalid }, 'an empty request decodes and fails the signature check');
  t.ok((empty as ServiceError).metadata.get(LPX_ERROR_CODE_TRAILER).length === 1, 'our code travels in a trailer');

  const info = await getOrchestratorInfo(o.uri, { signer: o.gateway });
  t.equal(info.transcoder, o.uri, 'still serving');
});

t.test('an info build failure reaches the wire as its text, not a crash', async (t) => {
  const errors: unknown[] = [];
  const o = await startOrchestrator({
    service: {
      info: { build: () => Promise.reject(new Error('secret internals')) },
      onError: (error) => errors.push(error),
    },
  });
  t.teardown(o.stop);
  await t.rejects(getOrchestratorInfo(o.uri, { signer: o.gateway }), {
    code: 'LPX_ERR_NETWORK_UNREACHABLE',
    details: { remoteMessage: 'internal error', grpcCode: status.UNKNOWN },
  });
  t.equal(errors.length, 1, 'the real cause goes to the log hook');
});

t.test('client refusals: bad URIs, nobody listening', async (t) => {
  const o = await startOrchestrator();
  await o.stop();
  await t.rejects(getOrchestratorInfo('ftp://x', { signer: o.gateway }), { code: 'LPX_ERR_NETWORK_INVALID_URI' });
  await t.rejects(getOrchestratorInfo('not a url', { signer: o.gateway }), { code: 'LPX_ERR_NETWORK_INVALID_URI' });
  await t.rejects(getOrchestratorInfo(o.uri, { signer: o.gateway, connectTimeoutMs: 300 }), { code: 'LPX_ERR_NETWORK_UNREACHABLE' });
  await t.rejects(getOrchestratorInfo(o.uri, {}), TypeError);
});
