// Paid Live Runner sessions on the embedded dev chain: an lpx orchestrator
// with payments (anvil, the protocol contracts, its own Redis credit store)
// and a go-livepeer-style client (helpers/live-runner-client.ts) paying with
// the kernel's TicketSender from a funded sender. The 402 challenge, the paid
// reservation (session id = manifest id), follow-up payments, fixed prices,
// and every refusal — with nothing credited and no session left behind.
import t, { type Test } from 'tap';
import { privateKeyToAccount } from 'viem/accounts';
import { startEmbeddedChain } from '../../../core/src/chain/embedded-anvil.js';
import { decodeOrchestratorInfo } from '../../../core/src/network/index.js';
import { decodePaymentResult } from '../../../core/src/network/segment/index.js';
import { Balances, decodePaymentHeaderValue, fromHex, GatewayPayer, paymentHeader, PrivateKeyTicketSigner, ticketEV, RedisCreditStore, TicketSender, Rational } from '../../../core/src/payments/index.js';
import { createChainPaymentSources } from '../../../core/src/payments-chain/create-sources.js';
import { call, LiveRunnerClientDouble, type Challenge } from './helpers/live-runner-client.js';
import { startLiveRunnerNode, until } from './helpers/node.js';
import { startRunnerApp } from './helpers/runner-app.js';

const chain = await startEmbeddedChain();
t.teardown(() => chain.stop());
const orchestratorAccount = chain.accounts.find((a) => a.role === 'orchestrator')!;
const senderAccount = chain.accounts.find((a) => a.role === 'sender')!;

async function paidNode(t: Test, paymentIntervalMs = 100) {
  const app = await startRunnerApp();
  t.teardown(() => app.close());
  const entry = (label: string, price: string, unit: string, extra: Record<string, unknown> = {}) => ({ label, routing: 'label', runner_url: app.url, health_url: '/health', app: `test/${label}`, capacity: 2, price_info: { price, unit }, ...extra });
  const node = await startLiveRunnerNode(t, {
    raw: { chain: { rpcUrl: chain.rpcUrl, controller: chain.controller, privateKey: orchestratorAccount.privateKey, l1BlockTimeMs: 20 } },
    config: {
      paymentIntervalMs,
      runners: [
        entry('timed', '1000000000', 'seconds'),
        entry('fixed', '500000000000', 'fixed'),
        // One ticket pays for about a second: the session runs out.
        entry('drain', '1000000000000', 'seconds', { capacity: 1 }),
        entry('pixels', '1', '720p-pixel-seconds'),
        entry('shot', '1000000000', 'seconds', { mode: 'single-shot' }),
      ],
    },
  });
  const sources = await createChainPaymentSources({ rpcUrl: chain.rpcUrl, controller: chain.controller, senderInfoTtlMs: 500 });
  t.teardown(() => sources.close());
  await sources.refresh();
  const signer = new PrivateKeyTicketSigner(fromHex(senderAccount.privateKey));
  const gateway = new GatewayPayer(new TicketSender({ signer, rounds: sources.rounds, senderInfo: sources.senderInfo }), new Balances());
  const client = new LiveRunnerClientDouble({ account: privateKeyToAccount(senderAccount.privateKey), gateway });
  const credits = new RedisCreditStore({ redis: await node.redis.connect(), prefix: node.prefix, recipient: fromHex(orchestratorAccount.address) });
  const balance = (manifestId: string): Promise<Rational | undefined> => credits.balance(senderAccount.address.toLowerCase(), manifestId);
  return { ...node, app, client, balance };
}

t.test('a priced runner answers 402 with payment params; the paid retry reserves the session', async (t) => {
  const { uri, client, balance, app } = await paidNode(t);

  const discovery = (await call(`${uri}/discovery`)).json<{ runners: { app: string; price_info: unknown }[] }[]>()[0]!;
  t.same(discovery.runners.find((r) => r.app === 'test/timed')!.price_info, { price: 1000000000, currency: 'wei', unit: 'seconds' }, 'wei prices in discovery on a paid node');

  const anonymous = await call(`${uri}/apps/timed/session`, { method: 'POST' });
  t.equal(anonymous.status, 402);
  t.same(anonymous.json(), { error: { message: 'invalid live runner payment signer address' } }, "go-livepeer's JSON API error");

  const challenged = await call(`${uri}/apps/timed/session`, { method: 'POST', headers: { 'livepeer-payer-address': client.address } });
  t.equal(challenged.status, 402);
  const challenge = challenged.json<Challenge>();
  t.same(Object.keys(challenge).sort(), ['manifest_id', 'orchestrator', 'payment_params', 'payment_url']);
  t.equal(challenge.orchestrator, uri);
  t.equal(challenge.payment_url, `${uri}/apps/timed/session/${challenge.manifest_id}/payment`);
  const info = decodeOrchestratorInfo(Buffer.from(challenge.payment_params, 'base64'));
  t.equal(info.transcoder, uri);
  t.same(info.priceInfo, { pricePerUnit: 1_000_000_000n, pixelsPerUnit: 1n }, 'ticket params at the runner price per 1');
  t.equal(info.authToken!.sessionId, challenge.manifest_id, "the auth token's session id is the manifest id");
  t.equal(Buffer.from(info.ticketParams!.recipient).toString('hex'), orchestratorAccount.address.slice(2).toLowerCase());
  t.equal(await balance(challenge.manifest_id), undefined, 'a challenge credits nothing');
  const bare = await call(`${uri}/apps/timed/session`, { method: 'POST', headers: { 'livepeer-payer-address': client.address.slice(2) } });
  t.equal(bare.status, 402, bare.text);
  t.ok(bare.json<Challenge>().payment_params, "a payer address without 0x is challenged like go-livepeer's IsHexAddress");
  t.same((await call(`${uri}/apps/timed/session`, { method: 'POST', headers: { 'livepeer-payer-address': 'not-an-address' } })).json(), { error: { message: 'invalid live runner payment signer address' } });

  const { answer, challenge: used } = await client.reserve(`${uri}/apps/timed/session`, { units: 10n });
  t.equal(answer.status, 200, answer.text);
  const session = answer.json<{ session_id: string; app_url: string; control_url: string }>();
  t.equal(session.session_id, used!.manifest_id, 'the session id is the manifest id');
  const credited = await balance(session.session_id);
  t.ok(credited !== undefined && credited.sign() > 0, 'the tickets were credited under the manifest id');
  t.equal((await call(`${session.app_url}/hi`)).status, 200, 'the paid session is proxied');
  t.equal(app.seen.at(-1)!.headers['livepeer-session-id'], session.session_id);
  await until(async () => ((await balance(session.session_id))!.lt(credited!) ? true : undefined), 'the session to be debited for its time');

  const paid = await client.pay(`${session.control_url}/payment`, session.session_id, 10n);
  t.equal(paid.status, 200, paid.text);
  const result = decodePaymentResult(paid.bytes);
  t.equal(result?.authToken?.sessionId, session.session_id, "the reply carries the gateway's auth token");

  const elsewhere = await client.pay(`${session.control_url}/payment`, session.session_id, 10n, { segmentManifest: 'someothermanifest' });
  t.equal(elsewhere.status, 403, 'a payment for another manifest is refused');
  t.equal(elsewhere.text, 'mismatched session and payment manifest\n');
  t.equal(await balance('someothermanifest'), undefined, 'and credited nowhere');
  t.equal((await call(`${session.control_url}/stop`, { method: 'POST' })).status, 204);
});

t.test('refused payments credit nothing and leave no session', async (t) => {
  const { uri, client, balance } = await paidNode(t);
  const used = async (label: string) => (await call(`${uri}/discovery`)).json<{ runners: { url: string; capacity_used: number }[] }[]>()[0]!.runners.find((r) => r.url.includes(`/apps/${label}/`))!.capacity_used;

  const badTicket = await client.reserve(`${uri}/apps/timed/session`, {
    units: 10n,
    tamper: (headers) => {
      const payment = decodePaymentHeaderValue(headers['livepeer-payment']);
      const flipped = { ...payment, ticketSenderParams: payment.ticketSenderParams.map((p) => ({ ...p, sig: Uint8Array.from(p.sig, (b, i) => (i === 5 ? b ^ 0xff : b)) })) };
      return { ...headers, 'livepeer-payment': paymentHeader(flipped) };
    },
  });
  t.equal(badTicket.answer.status, 400, 'a ticket with a bad signature is refused');
  t.equal(badTicket.answer.headers['lpx-error-code'] !== undefined, true);
  const refusedBalance = await balance(badTicket.challenge!.manifest_id);
  t.ok(refusedBalance === undefined || refusedBalance.isZero(), 'nothing credited');
  t.equal(await used('timed'), 0, 'no session left behind');
  t.equal((await call(`${uri}/apps/timed/session/${badTicket.challenge!.manifest_id}/app/x`)).status, 404);

  const mismatch = await client.reserve(`${uri}/apps/timed/session`, { units: 10n, tamper: async (_headers, challenge) => ({ ...(await client.headers(challenge.manifest_id, 10n, { segmentManifest: 'notthetoken' })) }) });
  t.equal(mismatch.answer.status, 403);
  t.equal(mismatch.answer.text, 'mismatched manifest and auth token\n');
  t.equal(await balance('notthetoken'), undefined, 'nothing credited under the other manifest');
  t.equal(await used('timed'), 0);

  const unreadable = await client.reserve(`${uri}/apps/timed/session`, { tamper: (headers) => ({ ...headers, 'livepeer-payment': 'not base64 protobuf!' }) });
  t.equal(unreadable.answer.status, 402, 'an unreadable payment is 402');
  const forged = await client.reserve(`${uri}/apps/timed/session`, { tamper: (headers) => ({ ...headers, 'livepeer-segment': 'AAAA' }) });
  t.equal(forged.answer.status, 403, 'credentials that do not verify are 403');
  t.equal(await used('timed'), 0);
});

t.test('fixed prices: exactly the runner price, charged once, no follow-up payments', async (t) => {
  const { uri, client, balance } = await paidNode(t);
  const { answer, challenge } = await client.reserve(`${uri}/apps/fixed/session`);
  t.equal(answer.status, 200, answer.text);
  const session = answer.json<{ session_id: string; control_url: string }>();
  const after = await balance(session.session_id);
  const params = decodeOrchestratorInfo(Buffer.from(challenge!.payment_params, 'base64')).ticketParams!;
  t.ok(after!.eq(ticketEV(params.faceValue, params.winProb).sub(Rational.of(500_000_000_000n))), 'one ticket credited, the fixed price debited once');
  const cheaper = await client.reserve(`${uri}/apps/fixed/session`, { tamper: async (_headers, c) => ({ ...(await client.headers(client.adopt(c, { pricePerUnit: 499_999_999_999n, pixelsPerUnit: 1n }).manifestId, 1n)) }) });
  t.equal(cheaper.answer.status, 400, 'a fixed price must be matched exactly');
  t.equal(cheaper.answer.text, 'payment price does not match live runner price\n');
  const cheaperBalance = await balance(cheaper.challenge!.manifest_id);
  t.ok(cheaperBalance === undefined || cheaperBalance.isZero(), 'nothing credited for it');
  const followUp = await client.pay(challenge!.payment_url, session.session_id, 1n);
  t.equal(followUp.status, 409);
  t.equal(followUp.text, 'fixed-price live runner sessions do not accept follow-up payments\n');
  t.ok((await balance(session.session_id))!.eq(after!), 'the refused follow-up credited nothing');
});

t.test('time-priced sessions are debited exactly and released when the payment runs out', async (t) => {
  const { uri, client, balance, app } = await paidNode(t);
  const pixels = (await client.reserve(`${uri}/apps/pixels/session`, { units: 1n })).answer.json<{ session_id: string }>();
  const start = (await balance(pixels.session_id))!;
  const debited = await until(async () => {
    const now = (await balance(pixels.session_id))!;
    return now.lt(start) ? start.sub(now) : undefined;
  }, 'a debit of the 720p session');
  // 1 wei per pixel, 1280×720×30 pixels a second, billed per millisecond: whole multiples of 27,648 wei.
  t.ok(debited.isInteger() && debited.num % 27_648n === 0n, `720p-pixel-seconds bill 27,648 wei a millisecond (${debited})`);

  const drain = (await client.reserve(`${uri}/apps/drain/session`, { units: 1n })).answer.json<{ session_id: string; app_url: string }>();
  const hanging = call(`${drain.app_url}/hang`).catch((error: unknown) => error);
  await until(() => (app.open.size === 1 ? true : undefined), 'the long request to reach the runner');
  // A probe in flight when the session is released is cut (as every proxied request of it is): not yet, ask again.
  await until(async () => ((await call(`${drain.app_url}/x`).catch(() => undefined))?.status === 404 ? true : undefined), 'the drained session to be released');
  await hanging;
  await until(() => (app.open.size === 0 ? true : undefined), "the released session's connection to be cut at the runner");
  t.ok((await balance(drain.session_id))!.sign() < 0, 'released once its balance went negative');
  t.equal((await client.reserve(`${uri}/apps/drain/session`, { units: 1n })).answer.status, 200, 'its slot is free again');
});

t.test('a paid single-shot call: 402, then the paid call is proxied and its slot released', async (t) => {
  const { uri, client } = await paidNode(t);
  const { answer } = await client.reserve(`${uri}/apps/shot/app/v1/run?x=1`, { units: 10n });
  t.equal(answer.status, 200, answer.text);
  t.equal(answer.json<{ path: string; query: string }>().path, '/v1/run');
  const discovery = (await call(`${uri}/discovery`)).json<{ runners: { url: string; capacity_used: number }[] }[]>()[0]!;
  t.equal(discovery.runners.find((r) => r.url.endsWith('/apps/shot/app'))!.capacity_used, 0, 'released after the answer');
});

t.test('released sessions settle the time since the last debit: short sessions and single-shot calls are billed', async (t) => {
  // An interval no test outlives: every debit here is the settlement on release.
  const { uri, client, balance } = await paidNode(t, 3_600_000);
  // 1e9 wei a second, billed per millisecond: whole multiples of 1e6 wei.
  const billed = (before: Rational, after: Rational) => before.sub(after);

  const reserved = await client.reserve(`${uri}/apps/timed/session`, { units: 10n });
  const session = reserved.answer.json<{ session_id: string; control_url: string }>();
  const credited = (await balance(session.session_id))!;
  await new Promise((resolve) => setTimeout(resolve, 20));
  t.ok((await balance(session.session_id))!.eq(credited), 'nothing debited before the first interval');
  t.equal((await call(`${session.control_url}/stop`, { method: 'POST' })).status, 204);
  const stopped = await until(async () => {
    const now = (await balance(session.session_id))!;
    return now.lt(credited) ? billed(credited, now) : undefined;
  }, 'the stopped session to be settled');
  t.ok(stopped.isInteger() && stopped.num % 1_000_000n === 0n && stopped.num >= 20_000_000n, `billed per millisecond held, at least the 20 ms waited (${stopped})`);

  let tickets = 0n;
  const shot = await client.reserve(`${uri}/apps/shot/app/v1/run`, {
    units: 10n,
    tamper: (headers) => {
      tickets = BigInt(decodePaymentHeaderValue(headers['livepeer-payment']).ticketSenderParams.length);
      return { ...headers };
    },
  });
  t.equal(shot.answer.status, 200, shot.answer.text);
  const { faceValue, winProb } = decodeOrchestratorInfo(Buffer.from(shot.challenge!.payment_params, 'base64')).ticketParams!;
  const credit = ticketEV(faceValue, winProb).mulInt(tickets);
  const settled = await until(async () => {
    const now = await balance(shot.challenge!.manifest_id);
    return now !== undefined && now.lt(credit) ? billed(credit, now) : undefined;
  }, 'the single-shot call to be billed');
  t.ok(settled.isInteger() && settled.num % 1_000_000n === 0n, `the single-shot call billed per millisecond (${settled})`);
});
