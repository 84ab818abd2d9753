// /process/token's JobToken shape, offchain jobs and postJob over TLS/HTTP2, on the BYOC routes fixture.
import t from 'tap';
import { fastify } from 'fastify';
import { Agent, request } from 'undici';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { fetchJobToken, postJob, registerJobRoutes } from '../../src/network/byoc/index.js';

import { CAP, start } from './helpers/byoc-routes-fixture.js';
t.test('offchain: every job is free and the token carries no ticket params', async (t) => {
  const f = await start(t, { offchain: true });
  const res = await f.post('job-1', undefined);
  t.equal(res.status, 200);
  t.equal(res.balance, 0n);
  const token = await fetchJobToken({ serviceUri: f.uri, capability: CAP, sender: f.sender });
  t.equal(token.ticketParams, undefined);
  t.equal(token.availableCapacity, 2n);
});

t.test('/process/token answers go-livepeer’s JobToken shape', async (t) => {
  const f = await start(t);
  const headers = { 'Livepeer-Eth-Address': Buffer.from(JSON.stringify(f.sender)).toString('base64'), 'Livepeer-Capability': CAP };
  const res = await request(`${f.uri}/process/token`, { headers });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  const json = JSON.parse(await res.body.text());
  t.same(Object.keys(json), ['sender_address', 'ticket_params', 'price', 'service_addr', 'available_capacity', 'LastNonce'], 'zero balance omitted');
  t.same(json.sender_address, { addr: f.sender.addr, sig: f.sender.sig });
  t.same(Object.keys(json.ticket_params), ['recipient', 'face_value', 'win_prob', 'recipient_rand_hash', 'seed', 'expiration_block', 'expiration_params']);
  t.same(Buffer.from(json.ticket_params.recipient, 'base64'), Buffer.from(f.recipient.address));
  t.same(json.price, { pricePerUnit: 10, pixelsPerUnit: 1 });
  t.equal(json.service_addr, f.uri);
  t.equal(json.available_capacity, 2);
  t.same(Object.keys(json.ticket_params.expiration_params), ['creation_round', 'creation_round_block_hash']);

  await f.post('job-1', (await f.pay(60n)).header);
  const token = await fetchJobToken({ serviceUri: f.uri, capability: CAP, sender: f.sender });
  t.equal(token.balance, (await f.balance())!.trunc(), 'the token reports the truncated balance');

  const bad = await request(`${f.uri}/process/token`, { headers: { ...headers, 'Livepeer-Eth-Address': 'garbage' } });
  t.equal(bad.statusCode, 400);
  t.match(await bad.body.text(), /Invalid eth address header/);
  const forged = await request(`${f.uri}/process/token`, {
    headers: { ...headers, 'Livepeer-Eth-Address': Buffer.from(JSON.stringify({ ...f.sender, addr: privateKeyToAccount(generatePrivateKey()).address })).toString('base64') },
  });
  t.equal(forged.statusCode, 400);
  const noCap = await request(`${f.uri}/process/token`, { headers: { 'Livepeer-Eth-Address': headers['Livepeer-Eth-Address'] } });
  t.equal(noCap.statusCode, 400);
  t.match(await noCap.body.text(), /Job capabilities not provided/);
});

t.test('postJob reaches a self-signed TLS orchestrator over HTTP/2', async (t) => {
  const { generateSelfSignedCertificate } = await import('../../src/network/tls/self-signed-certificate.js');
  const pair = await generateSelfSignedCertificate({ hostname: '127.0.0.1' });
  const app = fastify({ http2: true, https: { allowHTTP1: true, key: pair.key, cert: pair.cert } });
  let clock = 0;
  let seenHttpVersion = '';
  app.addHook('onRequest', async (req) => void (seenHttpVersion = req.raw.httpVersion));
  registerJobRoutes(app as unknown as Parameters<typeof registerJobRoutes>[0], {
    priceFor: () => undefined,
    admit: () => ({}),
    release: () => {},
    availableCapacity: () => 1,
    dispatch: async (input) => ({ contentType: 'text/plain', body: `tls ${input.body.toString()}` }),
    serviceAddr: () => '',
    now: () => clock++,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => app.close());
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // Our own agent, closed here: the process-wide one would hold its HTTP/2 session open, and the
  // server's close waits for that session (it made this file take over a minute).
  const agent = new Agent({ connect: { rejectUnauthorized: false }, allowH2: true });
  const res = await postJob({
    dispatcher: agent,
    serviceUri: `https://127.0.0.1:${port}`,
    capability: CAP,
    request: '{}',
    parameters: '{}',
    body: 'hi',
    contentType: 'text/plain',
    timeoutMs: 5_000,
    signer: privateKeyToAccount(generatePrivateKey()),
    payment: undefined,
    requestId: 'tls-1',
  });
  t.equal(res.body.toString(), 'tls hi');
  t.equal(seenHttpVersion, '2.0', 'HTTP/2 negotiated by ALPN despite the unverifiable certificate');
  await agent.close();
});
