// A paid BYOC job to a hosted partner app on an on-chain lpx orchestrator:
// a real anvil chain with the dev protocol (orchestrator and a funded
// sender), the node booted with the orchestrator's key, and a go-livepeer-
// style BYOC gateway built from core's wire pieces: GET /process/token for
// ticket params at the app's price, tickets for the 60-second minimum in
// Livepeer-Payment, POST /process/request/<subpath>. The orchestrator
// charges ceil(seconds) × price; refused input is charged nothing.
import t from 'tap';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { byocHostPlugin } from '../../../plugins/byoc-host/src/index.js';
import { runtimeDockerPlugin } from '../../../plugins/runtime-docker/src/index.js';
import { startEmbeddedChain } from '../../../core/src/chain/index.js';
import { fetchJobToken, jobSenderFor, postJob, type JobToken } from '../../../core/src/network/byoc/index.js';
import { personalSign } from '../../../core/src/network/index.js';
import { fromHex, paymentFromBatch, paymentHeader, Rational, ticketEV, TicketSender } from '../../../core/src/payments/index.js';
import { createChainPaymentSources } from '../../../core/src/payments-chain/create-sources.js';
import { byocTestApp } from '../../helpers/byoc-test-app.js';
import { testDocker } from '../../helpers/docker.js';
import { makeHost } from '../../helpers/host.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';
import { partnerPlugin } from './partner-fixture.js';

const PRICE = 1000n; // wei per second

t.test('a paid job reaches the container and is charged whole seconds × the app price; bad input is charged nothing', async (t) => {
  const app = await byocTestApp(t);
  const { dockerHost } = await testDocker(t);
  const redis = await testRedis(t);
  const chain = await startEmbeddedChain({ orchestrators: 1, senders: 1 });
  t.teardown(() => chain.stop());
  const orchestrator = chain.accounts.find((a) => a.role === 'orchestrator')!;
  const sender = privateKeyToAccount(chain.accounts.find((a) => a.role === 'sender')!.privateKey);

  const partner = partnerPlugin(app, {
    name: 'paid-echo',
    price: { unit: 'second', pricePerUnit: PRICE.toString() },
    inputSchema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
  });
  const host = makeHost(t, [runtimeDockerPlugin, byocHostPlugin, partner], {
    redis: { url: redis.url, prefix: uniquePrefix('byoc-paid') },
    node: { roles: ['orchestrator', 'worker'] },
    chain: { rpcUrl: chain.rpcUrl, controller: chain.controller, privateKey: orchestrator.privateKey, l1BlockTimeMs: 100 },
    orchestrator: { port: 0, secret: 'paid-secret', ticketEV: '100000', pricePerUnit: '1', pixelsPerUnit: '1' },
    plugins: { 'runtime-docker': { config: { host: dockerHost } }, 'byoc-host': { config: { startTimeoutMs: 60_000 } } },
  });
  await host.start();
  const uri = host.serviceUri!;

  const sources = await createChainPaymentSources({ rpcUrl: chain.rpcUrl, controller: chain.controller });
  t.teardown(() => sources.close());
  const tickets = new TicketSender({ signer: { address: fromHex(sender.address), signMessage: (message) => personalSign(sender, message) }, rounds: sources.rounds, senderInfo: sources.senderInfo });
  const jobSender = await jobSenderFor(sender);

  const token: JobToken = await fetchJobToken({ serviceUri: uri, capability: 'paid-echo', sender: jobSender, timeoutMs: 5_000 });
  t.same(token.price, { pricePerUnit: PRICE, pixelsPerUnit: 1n }, "the token quotes the app's price");
  const params = token.ticketParams!;
  const ev = ticketEV(params.faceValue, params.winProb);
  // Enough for go-livepeer's 60-second minimum balance, as its gateway sends.
  const missing = Rational.of(PRICE * 61n);
  const q = missing.div(ev);
  const count = Number((q.num + q.den - 1n) / q.den);
  const session = tickets.startSession(params);
  const payment = paymentHeader(paymentFromBatch(await tickets.createTicketBatch(session, count), token.price!));
  const credited = ev.mulInt(BigInt(count));

  const post = (body: string, payment: string | undefined, requestId: string) =>
    postJob({ serviceUri: uri, capability: 'paid-echo', subpath: 'cgi-bin/echo', request: '{}', parameters: '{}', body, contentType: 'application/json', timeoutMs: 30_000, signer: sender, payment, requestId });

  const refused = await post('{"wrong":true}', undefined, 'bad-input').then(
    () => undefined,
    (error: { details?: { status: number } }) => error.details?.status,
  );
  t.equal(refused, 400, 'input that fails the schema is refused before payment');
  const untouched = await fetchJobToken({ serviceUri: uri, capability: 'paid-echo', sender: jobSender, timeoutMs: 5_000 });
  t.equal(untouched.balance, 0n, 'nothing credited or charged for it');

  const answer = await post('{"text":"paid"}', payment, 'paid-1');
  t.same(JSON.parse(answer.body.toString()), { method: 'POST', contentType: 'application/json', body: '{"text":"paid"}' }, 'the job reached the container');
  const floorCredited = credited.num / credited.den;
  const charged = floorCredited - answer.balance!;
  t.ok(charged > 0n && charged % PRICE === 0n, `charged ${charged} wei: a whole number of seconds (${charged / PRICE}) × ${PRICE}`);
});
