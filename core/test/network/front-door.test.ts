// The orchestrator's front door on real sockets: one TLS port where gateways
// reach the net.Orchestrator gRPC service (through the loopback proxy) and
// fastify routes over HTTP/1.1 and HTTP/2, as on a go-livepeer orchestrator.
import { randomBytes } from 'node:crypto';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { connect as h2connect, constants, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { createServer as netServer, type AddressInfo } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { Client, Metadata, Server, ServerCredentials, status, type ServerUnaryCall, type ServerWritableStream, type ServiceError } from '@grpc/grpc-js';
import { pino } from 'pino';
import t, { type Test } from 'tap';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { CapabilityRegistry } from '../../src/capabilities/index.js';
import { createFrontDoor, type FrontDoor, type FrontDoorOptions } from '../../src/network/front-door/front-door.js';
import { encodeGrpcMessage, forwardableHeaders, isGrpcRequest } from '../../src/network/front-door/grpc-headers.js';
import {
  AuthTokenIssuer,
  capabilityPricing,
  createOrchestratorGrpcService,
  gatewayCredentials,
  generateSelfSignedCertificate,
  getOrchestratorInfo,
  LPX_ERROR_CODE_TRAILER,
  OrchestratorInfoBuilder,
  orchestratorChannelCredentials,
  WIRE_TEXT,
} from '../../src/network/index.js';
import { parseAddress, Recipient, SenderMonitor } from '../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource } from '../../src/payments/testing/index.js';

const pair = await generateSelfSignedCertificate({ hostname: '127.0.0.1' });
const base = { version: 1, mode: 'request-response', workUnit: 'pixel', priceUnit: 'wei/pixel' } as const;
const raw = (b: Buffer): Buffer => b;

/** A test service beside net.Orchestrator: a call that never answers (to watch cancellation) and a server stream with trailers. */
const probeDefinition = {
  Hang: { path: '/test.Probe/Hang', requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw },
  Count: { path: '/test.Probe/Count', requestStream: false, responseStream: true, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw },
};

/** The node's grpc-js server, cleartext on loopback, serving net.Orchestrator (with payments) and the probe. */
async function startBackend() {
  const registry = new CapabilityRegistry();
  registry.declare('transcode', { ...base, id: 'video/transcode', mode: 'stream', capacity: 4, price: { pricePerUnit: '1200', pixelsPerUnit: '1' } });
  registry.publish();
  const orchestrator = privateKeyToAccount(generatePrivateKey());
  const gateway = privateKeyToAccount(generatePrivateKey());
  const rounds = new InMemoryRoundsSource({ round: 100n, blockHash: randomBytes(32), l1Block: 5_000n });
  const senderInfo = new InMemorySenderInfoSource();
  senderInfo.set(parseAddress(gateway.address), { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const address = parseAddress(orchestrator.address);
  const recipient = new Recipient({ address }, { rounds, gasPrice: new FixedGasPrice(1_000_000_000n), senderMonitor: new SenderMonitor({ claimant: address }, rounds, senderInfo) });
  const authTokens = new AuthTokenIssuer();
  const uri = { value: '' };
  const info = new OrchestratorInfoBuilder({
    serviceUri: () => uri.value,
    address,
    descriptors: () => registry.list(),
    nodeVersion: '0.9.1-lpx',
    authTokens,
    payments: { pricing: capabilityPricing(() => registry.list()), tickets: recipient },
    capabilityOptions: { usage: registry },
  });
  const service = createOrchestratorGrpcService({ info, authTokens, signer: orchestrator });

  let hangStarted!: () => void;
  const started = new Promise<void>((resolve) => (hangStarted = resolve));
  let hangCancelled!: () => void;
  const cancelled = new Promise<void>((resolve) => (hangCancelled = resolve));
  const server = new Server();
  server.addService(service.definition, service.implementation);
  server.addService(probeDefinition, {
    Hang: (call: ServerUnaryCall<Buffer, Buffer>) => {
      call.on('cancelled', hangCancelled);
      hangStarted();
    },
    Count: (call: ServerWritableStream<Buffer, Buffer>) => {
      for (let i = 0; i < 3; i++) call.write(Buffer.from([i]));
      const trailers = new Metadata();
      trailers.set('probe-trailer', 'counted');
      call.end(trailers);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { port, gateway, uri, started, cancelled, stop: () => new Promise<void>((done) => server.tryShutdown(() => done())), server };
}

async function startDoor(t: Test, grpcPort: number, extra: Partial<FrontDoorOptions> = {}): Promise<{ door: FrontDoor; url: string; port: number }> {
  const door = createFrontDoor({ host: '127.0.0.1', port: 0, tls: pair, grpcTarget: { host: '127.0.0.1', port: grpcPort }, ...extra });
  door.app.get('/hello', async (request) => ({ httpVersion: request.raw.httpVersion }));
  door.app.post('/echo', async (request) => ({ body: request.body, payment: String(request.headers['livepeer-payment'] ?? '').length }));
  door.app.get('/header', async (request) => ({ length: String(request.headers['livepeer-payment'] ?? '').length }));
  const { url, port } = await door.start();
  t.teardown(() => door.close());
  return { door, url, port };
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = netServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function https1(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; alpn: string | false | null }> {
  return new Promise((resolve, reject) => {
    // Node's https offers no ALPN by default; ask for http/1.1 explicitly, as a go-livepeer fallback would.
    const options: RequestOptions & { ALPNProtocols: string[] } = { host: '127.0.0.1', port, path, headers, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], agent: false };
    const req = httpsRequest(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body, alpn: (res.socket as { alpnProtocol?: string | false }).alpnProtocol ?? null }));
    });
    req.on('error', reject);
    req.end();
  });
}

function h2(session: ClientHttp2Session, headers: Record<string, string>, body?: Buffer | string): Promise<{ headers: IncomingHttpHeaders; trailers: IncomingHttpHeaders; body: Buffer; endedWithHeaders: boolean }> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers, { endStream: body === undefined });
    let responseHeaders: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders = {};
    let endedWithHeaders = false;
    const chunks: Buffer[] = [];
    stream.on('response', (h, flags) => {
      responseHeaders = h;
      endedWithHeaders = (flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0;
    });
    stream.on('trailers', (h) => (trailers = h));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve({ headers: responseHeaders, trailers, body: Buffer.concat(chunks), endedWithHeaders }));
    stream.on('error', reject);
    if (body !== undefined) stream.end(body);
  });
}

function h2session(t: Test, url: string): ClientHttp2Session {
  const session = h2connect(url, { rejectUnauthorized: false });
  t.teardown(() => session.destroy());
  return session;
}

function tlsClient(port: number): Client {
  return new Client(`127.0.0.1:${port}`, orchestratorChannelCredentials('https'));
}

t.test('GetOrchestrator through the front door returns a full OrchestratorInfo', async (t) => {
  const backend = await startBackend();
  t.teardown(backend.stop);
  const { url } = await startDoor(t, backend.port);
  backend.uri.value = url;
  const info = await getOrchestratorInfo(url, { signer: backend.gateway });
  t.equal(info.transcoder, url, 'the service URI is the front door');
  t.ok(info.priceInfo, 'a price');
  t.ok(info.ticketParams, 'ticket params');
  t.ok(info.authToken, 'an auth token');
  t.ok(info.capabilities, 'capabilities');
  const again = await getOrchestratorInfo(url, { signer: backend.gateway });
  t.equal(again.transcoder, url, 'a second call reuses the proxy session');
});

t.test('a bad signature is refused with go-livepeer\'s text and our code, trailers-only', async (t) => {
  const backend = await startBackend();
  t.teardown(backend.stop);
  const { url, port } = await startDoor(t, backend.port);
  const mine = await gatewayCredentials(backend.gateway);
  const impostor = await gatewayCredentials(privateKeyToAccount(generatePrivateKey()));
  await t.rejects(getOrchestratorInfo(url, { credentials: { address: mine.address, sig: impostor.sig } }), {
    code: 'LPX_ERR_NETWORK_UNREACHABLE',
    details: { grpcCode: status.UNKNOWN, remoteMessage: WIRE_TEXT.gatewaySigInvalid, remoteCode: 'LPX_ERR_NETWORK_GATEWAY_SIG_INVALID' },
  });

  // The same refusal seen on the wire: one HEADERS frame carrying the status and ending the stream.
  const session = h2session(t, url);
  const empty = Buffer.from([0, 0, 0, 0, 0]); // an uncompressed, zero-length gRPC message
  const res = await h2(session, { ':method': 'POST', ':path': '/net.Orchestrator/GetOrchestrator', 'content-type': 'application/grpc', te: 'trailers' }, empty);
  t.ok(res.endedWithHeaders, 'trailers-only response');
  t.equal(res.headers['grpc-status'], String(status.UNKNOWN));
  t.equal(decodeURIComponent(String(res.headers['grpc-message'])), WIRE_TEXT.gatewaySigInvalid);
  t.equal(res.headers[LPX_ERROR_CODE_TRAILER], 'LPX_ERR_NETWORK_GATEWAY_SIG_INVALID');

  // A body larger than grpc-js's 4 MiB limit streams through the proxy and is refused by the backend, not the door.
  const client = tlsClient(port);
  t.teardown(() => client.close());
  const oversized = await new Promise<ServiceError | null>((resolve) =>
    client.makeUnaryRequest('/net.Orchestrator/GetOrchestrator', raw, raw, Buffer.alloc(5 * 1024 * 1024, 0x41), (error) => resolve(error)),
  );
  t.equal(oversized?.code, status.RESOURCE_EXHAUSTED, 'oversized message: the backend\'s status');
  await t.resolves(getOrchestratorInfo(url, { credentials: mine }), 'and the door keeps serving');
});

t.test('a server stream gets every message and its trailers', async (t) => {
  const backend = await startBackend();
  t.teardown(backend.stop);
  const { port } = await startDoor(t, backend.port);
  const client = tlsClient(port);
  t.teardown(() => client.close());
  const call = client.makeServerStreamRequest('/test.Probe/Count', raw, raw, Buffer.alloc(0), new Metadata(), {});
  const messages: number[] = [];
  const trailers = new Promise<{ code: number; metadata: Metadata }>((resolve) => call.on('status', resolve));
  for await (const message of call) messages.push((message as Buffer)[0]!);
  t.same(messages, [0, 1, 2]);
  const final = await trailers;
  t.equal(final.code, status.OK);
  t.same(final.metadata.get('probe-trailer'), ['counted'], 'trailers after data cross the proxy');
});

t.test('a cancelled call is cancelled at the backend too', async (t) => {
  const backend = await startBackend();
  t.teardown(backend.stop);
  const { port } = await startDoor(t, backend.port);
  const client = tlsClient(port);
  t.teardown(() => client.close());
  let outcome: ServiceError | null | undefined;
  const call = client.makeUnaryRequest('/test.Probe/Hang', raw, raw, Buffer.alloc(0), (error) => (outcome = error));
  await backend.started;
  call.cancel();
  await backend.cancelled;
  t.pass('the backend handler saw the cancellation');
  t.equal(outcome?.code, status.CANCELLED);
});

t.test('HTTP/1.1 and HTTP/2 requests reach fastify routes', async (t) => {
  const backend = await startBackend();
  t.teardown(backend.stop);
  const { url, port } = await startDoor(t, backend.port);

  const one = await https1(port, '/hello');
  t.equal(one.status, 200);
  t.same(JSON.parse(one.body), { httpVersion: '1.1' });
  t.equal(one.alpn, 'http/1.1');

  const session = h2session(t, url);
  const two = await h2(session, { ':method': 'GET', ':path': '/hello' });
  t.equal(two.headers[':status'], 200);
  t.same(JSON.parse(two.body.toString()), { httpVersion: '2.0' });

  const posted = await h2(session, { ':method': 'POST', ':path': '/echo', 'content-type': 'application/json' }, JSON.stringify({ a: 1 }));
  t.same(JSON.parse(posted.body.toString()), { body: { a: 1 }, payment: 0 }, 'request bodies reach routes over HTTP/2');

  const grpcOverHttp1 = await https1(port, '/net.Orchestrator/GetOrchestrator', { 'content-type': 'application/grpc' });
  t.equal(grpcOverHttp1.status, 404, 'gRPC content type over HTTP/1.1 is plain HTTP (go-livepeer checks ProtoMajor == 2)');
});

t.test('ALPN offers h2 to an h2-capable client', async (t) => {
  const backend = await startBackend();
  t.teardown(backend.stop);
  const { port } = await startDoor(t, backend.port);
  const alpn = await new Promise<string | false | null>((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ALPNProtocols: ['h2'], rejectUnauthorized: false }, () => {
      resolve(socket.alpnProtocol);
      socket.end();
    });
    socket.on('error', reject);
  });
  t.equal(alpn, 'h2');
});

t.test('large Livepeer-Payment headers are accepted', async (t) => {
  const backend = await startBackend();
  t.teardown(backend.stop);
  const { url, port } = await startDoor(t, backend.port);
  const big = randomBytes(225 * 1024).toString('base64'); // 300 KiB, about 4,000 tickets' worth
  const one = await https1(port, '/header', { 'livepeer-payment': big });
  t.equal(one.status, 200, 'HTTP/1.1');
  t.same(JSON.parse(one.body), { length: big.length });

  // Over HTTP/2, nghttp2 refuses any single header field whose HPACK encoding exceeds 64 KiB, whatever the
  // limits. go-livepeer's largest payment (600 tickets of ~72 protobuf bytes, base64) stays under it.
  const session = h2session(t, url);
  const largest = randomBytes(600 * 72).toString('base64');
  const two = await h2(session, { ':method': 'GET', ':path': '/header', 'livepeer-payment': largest });
  t.same(JSON.parse(two.body.toString()), { length: largest.length }, `HTTP/2 with a ${largest.length}-byte payment header`);
});

t.test('close() resolves with an idle HTTP/2 session and an idle HTTP/1.1 keep-alive socket open', async (t) => {
  const backend = await startBackend();
  t.teardown(backend.stop);
  const { door, url, port } = await startDoor(t, backend.port, { closeGraceMs: 200 });
  const session = h2session(t, url);
  await h2(session, { ':method': 'GET', ':path': '/hello' });
  const client = tlsClient(port);
  t.teardown(() => client.close());
  await getOrchestratorInfo(url, { signer: backend.gateway }).catch(() => undefined); // opens the proxy's backend session
  const socket = tlsConnect({ host: '127.0.0.1', port, ALPNProtocols: ['http/1.1'], rejectUnauthorized: false });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('secureConnect', resolve));
  socket.write('GET /hello HTTP/1.1\r\nhost: x\r\nconnection: keep-alive\r\n\r\n');
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  const sessionClosed = new Promise<void>((resolve) => session.once('close', resolve));
  await door.close();
  await sessionClosed;
  t.pass('closed');
  t.ok(socket.destroyed || socket.readableEnded || (await new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)))), 'HTTP/1.1 socket closed');
});

t.test('gRPC backend down: UNAVAILABLE with our code, not a hang', async (t) => {
  const { port: doorPort, url } = await startDoor(t, await deadPort());
  const gateway = privateKeyToAccount(generatePrivateKey());
  await t.rejects(getOrchestratorInfo(url, { signer: gateway }), {
    code: 'LPX_ERR_NETWORK_UNREACHABLE',
    details: { grpcCode: status.UNAVAILABLE, remoteCode: 'LPX_ERR_NETWORK_FRONT_DOOR_UPSTREAM' },
  });
  t.ok(doorPort > 0);

  // A backend that goes away after serving: the proxy's reused session dies, the next call fails fast.
  const backend = await startBackend();
  const door = await startDoor(t, backend.port);
  backend.uri.value = door.url;
  await getOrchestratorInfo(door.url, { signer: backend.gateway });
  backend.server.forceShutdown();
  const error = (await getOrchestratorInfo(door.url, { signer: backend.gateway }).catch((e: unknown) => e)) as { details: { grpcCode: number } };
  t.equal(error.details.grpcCode, status.UNAVAILABLE, 'backend gone mid-life');
});

t.test('listening on a taken port is a coded error', async (t) => {
  const backend = await startBackend();
  t.teardown(backend.stop);
  const first = await startDoor(t, backend.port);
  const second = createFrontDoor({ host: '127.0.0.1', port: first.port, tls: pair, grpcTarget: { host: '127.0.0.1', port: backend.port } });
  await t.rejects(second.start(), { code: 'LPX_ERR_NETWORK_FRONT_DOOR_LISTEN' });
  await second.close();
});

t.test('with a logger: backend failures are logged, not thrown', async (t) => {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  const { url } = await startDoor(t, await deadPort(), { logger });
  await t.rejects(getOrchestratorInfo(url, { signer: privateKeyToAccount(generatePrivateKey()) }), { code: 'LPX_ERR_NETWORK_UNREACHABLE', details: { grpcCode: status.UNAVAILABLE } });
  t.ok(lines.some((line) => line.includes('gRPC backend session failed') && line.includes('"component":"front-door"')), 'a warning names the component');
});

t.test('header rules: what crosses the proxy hop', async (t) => {
  t.ok(isGrpcRequest(2, { 'content-type': 'application/grpc+proto' }), 'any application/grpc subtype');
  t.notOk(isGrpcRequest(1, { 'content-type': 'application/grpc' }), 'never HTTP/1.1');
  t.notOk(isGrpcRequest(2, {}), 'no content type');
  t.same(forwardableHeaders({ ':path': '/x', connection: 'close', host: 'h', te: 'gzip', 'grpc-timeout': '1S', 'lpx-error-code': 'C' }), { 'grpc-timeout': '1S', 'lpx-error-code': 'C' });
  t.same(forwardableHeaders({ te: 'trailers' }), { te: 'trailers' });
  t.equal(encodeGrpcMessage('100% über'), '100%25 %C3%BCber', 'percent-encoded as the gRPC spec asks');
});
