// Durable credit (ADR 0106, 0107): sender balances, session prices, ticket
// nonces and the recipientRand secret live in Redis. A restart (a new store,
// Recipient and PaymentProcessor on a new connection, as a node builds them)
// keeps the credit and still refuses replays; instances of one recipient
// sharing Redis credit each ticket exactly once and lose no update; two
// recipients on one Redis share nothing.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { errors } from '@lpx/sdk';
import { Registry } from 'prom-client';
import { DEFAULT_CREDIT_TTL_MS, paymentHeader, paymentWithoutTickets, Rational, RedisCreditStore, ticketEV, toHex } from '../../src/payments/index.js';
import { orchestratorTicketMetrics } from '../../src/roles/role-metrics.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';
import { rejection } from './helpers/fixture.js';
import { chainWithGateway, orchestratorOn } from './helpers/redis-node.js';

t.test('credit survives a restart: the balance is there, paid work is admitted without new tickets, old params still pay', async (t) => {
  const redis = await testRedis(t);
  const chain = chainWithGateway();
  const options = { prefix: uniquePrefix('credit'), address: randomBytes(20) };

  const before = await redis.connect();
  const first = await orchestratorOn(before, chain, options);
  const params = await first.recipient.ticketParams(chain.signer.address, chain.price);
  const ticketSession = chain.gateway.startSession(params);
  const receipt = await first.processor.processPayment(await chain.pay(ticketSession, params, 5), 's');
  const ev = ticketEV(params.faceValue, params.winProb);
  t.ok(receipt.credited.eq(ev.mulInt(5n)), 'five tickets credited');
  await before.quit();

  const after = await redis.connect();
  const restarted = await orchestratorOn(after, chain, options);
  t.ok((await restarted.processor.balance(chain.signer.address, 's'))?.eq(ev.mulInt(5n)), 'the balance survived exactly');
  t.ok((await restarted.processor.credits.fixedPrice(toHex(chain.signer.address).toLowerCase(), 's'))?.eq(chain.price), 'so did the fixed session price');
  t.ok(await restarted.processor.hasSufficientBalance(chain.signer.address, 's'), 'paid work is admitted');
  await restarted.processor.requireSufficientBalance(chain.signer.address, 's');
  const ticketless = await restarted.processor.processPayment(paymentHeader(paymentWithoutTickets(chain.signer.address, { pricePerUnit: 3n, pixelsPerUnit: 2n })), 's');
  t.equal(ticketless.tickets, 0, 'the next request pays with no tickets');
  t.ok(ticketless.price?.eq(chain.price), 'at the price fixed before the restart');
  t.ok((await restarted.processor.debit(chain.signer.address, 's', 100n)).eq(ev.mulInt(5n).sub(chain.price.mulInt(100n))), 'debited from the carried credit');

  // The secret is durable too: params issued before the restart still pay.
  const more = await restarted.processor.processPayment(await chain.pay(ticketSession, params, 3), 's');
  t.equal(more.creditedTickets, 3, 'tickets on pre-restart params are credited');
  t.ok((await restarted.processor.balance(chain.signer.address, 's'))?.eq(ev.mulInt(8n).sub(chain.price.mulInt(100n))));
});

t.test('a payment replayed after a restart is refused and credits nothing', async (t) => {
  const redis = await testRedis(t);
  const chain = chainWithGateway();
  const options = { prefix: uniquePrefix('replay'), address: randomBytes(20) };
  const before = await redis.connect();
  const first = await orchestratorOn(before, chain, options);
  const params = await first.recipient.ticketParams(chain.signer.address, chain.price);
  const header = await chain.pay(chain.gateway.startSession(params), params, 20);
  await first.processor.processPayment(header, 's');
  const credited = (await first.processor.balance(chain.signer.address, 's'))!;
  t.ok(first.sink.records.length > 0, 'some tickets won');
  await before.quit();

  const restarted = await orchestratorOn(await redis.connect(), chain, options);
  const error = await rejection(restarted.processor.processPayment(header, 's'));
  t.ok(errors.payments.NONCE_REPLAYED.is(error), `refused: ${error.message}`);
  t.ok((await restarted.processor.balance(chain.signer.address, 's'))?.eq(credited), 'nothing credited again');
  t.equal(restarted.sink.records.length, 0, 'no winner is queued twice');
  t.equal(restarted.counted!.get('nonce_replayed'), 20, 'each replayed ticket counted');
  // Into another session the replay fares no better: nonces are per params, not per session.
  t.ok(errors.payments.NONCE_REPLAYED.is(await rejection(restarted.processor.processPayment(header, 'other'))));
  t.equal((await restarted.processor.balance(chain.signer.address, 'other'))?.isZero() ?? true, true);
});

t.test('two instances of one recipient on one Redis: concurrent credits and debits sum exactly, a payment sent to both is credited once', async (t) => {
  const redis = await testRedis(t);
  const chain = chainWithGateway();
  const options = { prefix: uniquePrefix('shared'), address: randomBytes(20) };
  const a = await orchestratorOn(await redis.connect(), chain, options);
  const b = await orchestratorOn(await redis.connect(), chain, options);
  const params = await a.recipient.ticketParams(chain.signer.address, chain.price);
  const ticketSession = chain.gateway.startSession(params);
  const ev = ticketEV(params.faceValue, params.winProb);

  // Fix the session price first so debits can use it.
  await a.processor.processPayment(await chain.pay(ticketSession, params, 1), 's');
  const headers: string[] = [];
  for (let i = 0; i < 25; i++) headers.push(await chain.pay(ticketSession, params, 3));
  const debits = Array.from({ length: 25 }, (_, i) => BigInt(i + 1));

  const results = await Promise.allSettled([
    // Every payment goes to both instances at once; each debit to one of them.
    ...headers.flatMap((header) => [a.processor.processPayment(header, 's'), b.processor.processPayment(header, 's')]),
    ...debits.map((units, i) => (i % 2 === 0 ? a : b).processor.debit(chain.signer.address, 's', units)),
  ]);
  const payments = results.slice(0, headers.length * 2);
  const credited = payments.reduce((sum, r) => sum + (r.status === 'fulfilled' ? (r.value as { creditedTickets: number }).creditedTickets : 0), 0);
  t.equal(credited, 75, 'each ticket credited exactly once across the two instances');
  t.equal(payments.filter((r) => r.status === 'rejected' && errors.payments.NONCE_REPLAYED.is(r.reason)).length, 25, 'the second copy of each payment is a replay');
  t.ok(results.slice(headers.length * 2).every((r) => r.status === 'fulfilled'), 'every debit applied');

  const expected = ev.mulInt(76n).sub(chain.price.mulInt(debits.reduce((s, u) => s + u, 0n)));
  const [fromA, fromB] = [await a.processor.balance(chain.signer.address, 's'), await b.processor.balance(chain.signer.address, 's')];
  t.ok(fromA?.eq(expected), `balance ${fromA} is exactly ${expected}: no lost update`);
  t.ok(fromB?.eq(expected), 'both instances read the same balance');
  t.equal(a.sink.records.length + b.sink.records.length, new Set([...a.sink.records, ...b.sink.records].map((r) => r.ticketHash)).size, 'no winner queued by both');
});

t.test('two recipients on one Redis keep separate balances, nonces and secrets', async (t) => {
  const redis = await testRedis(t);
  const chain = chainWithGateway();
  const prefix = uniquePrefix('two');
  const client = await redis.connect();
  const one = await orchestratorOn(client, chain, { prefix, address: randomBytes(20) });
  const two = await orchestratorOn(client, chain, { prefix, address: randomBytes(20) });
  t.not(Buffer.from(await one.credits.recipientSecret()).toString('hex'), Buffer.from(await two.credits.recipientSecret()).toString('hex'), 'each recipient has its own secret');

  const paramsOne = await one.recipient.ticketParams(chain.signer.address, chain.price);
  const headerOne = await chain.pay(chain.gateway.startSession(paramsOne), paramsOne, 4);
  await one.processor.processPayment(headerOne, 's');
  t.ok((await one.processor.balance(chain.signer.address, 's'))!.gt(Rational.ZERO));
  t.equal(await two.processor.balance(chain.signer.address, 's'), undefined, 'the other recipient holds nothing for the same sender and session');
  t.ok(errors.payments.INVALID_RECIPIENT.is(await rejection(two.processor.processPayment(headerOne, 's'))), "one's tickets are refused by two");

  const balanceOne = (await one.processor.balance(chain.signer.address, 's'))!;
  const paramsTwo = await two.recipient.ticketParams(chain.signer.address, chain.price);
  const receipt = await two.processor.processPayment(await chain.pay(chain.gateway.startSession(paramsTwo), paramsTwo, 4), 's');
  t.equal(receipt.creditedTickets, 4, 'the same nonces (0–3) are fresh for the other recipient');
  t.ok((await one.processor.balance(chain.signer.address, 's'))?.eq(balanceOne), 'one is unchanged');

  const keysOne = await client.keys(`${one.credits.base}:*`);
  const keysTwo = await client.keys(`${two.credits.base}:*`);
  t.ok(keysOne.length > 0 && keysTwo.length > 0);
  t.notOk(keysOne.some((k) => keysTwo.includes(k)), 'no key is shared');
  t.ok(one.credits.base.startsWith(`${prefix}:credit:0x`), 'keys live under <prefix>:credit:<recipient>');
});

t.test('idle balances expire; nonce sets go when their params expire', async (t) => {
  const redis = await testRedis(t);
  const client = await redis.connect();
  const chain = chainWithGateway();
  const node = await orchestratorOn(client, chain, { prefix: uniquePrefix('ttl'), address: randomBytes(20) });
  const params = await node.recipient.ticketParams(chain.signer.address, chain.price);
  const header = await chain.pay(chain.gateway.startSession(params), params, 3);
  await node.processor.processPayment(header, 's');
  const [balanceKey] = await client.keys(`${node.credits.base}:bal:*`);
  const ttl = await client.pttl(balanceKey!);
  t.ok(ttl > 0 && ttl <= DEFAULT_CREDIT_TTL_MS, `the balance key expires when idle (pttl ${ttl})`);
  t.equal((await client.keys(`${node.credits.base}:nonces:*`)).length, 1);

  t.equal(await node.credits.pruneExpired(params.expirationBlock - 1n), 0, 'kept until the expiration block');
  t.equal(await node.credits.pruneExpired(params.expirationBlock), 1);
  t.equal((await client.keys(`${node.credits.base}:nonces:*`)).length, 0, 'the nonce set is gone');
  chain.rounds.advanceL1Blocks(40n);
  t.ok(errors.payments.TICKET_PARAMS_EXPIRED.is(await rejection(node.processor.processPayment(header, 's'))), 'a replay after clean-up fails the expiry check');
});

t.test('a corrupt recipient secret is a coded error, not a silent new secret', async (t) => {
  const redis = await testRedis(t);
  const client = await redis.connect();
  const store = new RedisCreditStore({ redis: client, prefix: uniquePrefix('secret'), recipient: randomBytes(20) });
  const secret = await store.recipientSecret();
  t.same(await store.recipientSecret(), secret, 'stable across calls');
  await client.set(`${store.base}:secret`, 'not hex');
  await t.rejects(store.recipientSecret(), { code: errors.payments.CREDIT_STORE_CORRUPT.code });
});

t.test('received, credited and refused tickets on the metrics registry', async (t) => {
  const redis = await testRedis(t);
  const chain = chainWithGateway();
  const registry = new Registry();
  const metrics = orchestratorTicketMetrics(registry);
  const node = await orchestratorOn(await redis.connect(), chain, { prefix: uniquePrefix('metrics'), address: randomBytes(20), ...metrics });
  const params = await node.recipient.ticketParams(chain.signer.address, chain.price);
  const header = await chain.pay(chain.gateway.startSession(params), params, 6);
  await node.processor.processPayment(header, 's');
  await rejection(node.processor.processPayment(header, 's'));
  await rejection(node.processor.requireSufficientBalance(chain.signer.address, 'empty'));
  await rejection(node.processor.processPayment('not base64!', 's'));
  metrics.refusals.inc({ reason: 'something new' });

  const text = await registry.metrics();
  t.match(text, /^lpx_orchestrator_tickets_received_total 12$/m, 'received: both copies');
  t.match(text, /^lpx_orchestrator_tickets_credited_total 6$/m, 'credited once');
  t.match(text, /^lpx_orchestrator_ticket_refusals_total\{reason="nonce_replayed"\} 6$/m);
  t.match(text, /^lpx_orchestrator_ticket_refusals_total\{reason="insufficient_balance"\} 1$/m);
  t.match(text, /^lpx_orchestrator_ticket_refusals_total\{reason="malformed_payment"\} 1$/m);
  t.match(text, /^lpx_orchestrator_ticket_refusals_total\{reason="other"\} 1$/m, 'unknown reasons fold into other');
});

t.test('a write that keeps losing the compare-and-set retries on the new value, and gives up with a coded error', async (t) => {
  const redis = await testRedis(t);
  const client = await redis.connect();
  const rival = await redis.connect();
  const store = new RedisCreditStore({ redis: client, prefix: uniquePrefix('cas'), recipient: randomBytes(20) });
  const sender = '0x' + 'cd'.repeat(20);
  await store.debit(sender, 's', Rational.of(-100n));
  const [key] = await client.keys(`${store.base}:bal:*`);

  // Another instance credits 1 wei between each of our reads and writes, `contended` times.
  const command = client as unknown as { lpxCreditSetAmount(...args: unknown[]): Promise<unknown> };
  const real = command.lpxCreditSetAmount.bind(client);
  let contended = 3;
  command.lpxCreditSetAmount = async (...args: unknown[]) => {
    if (contended-- > 0) {
      const amount = Rational.parse((await rival.hget(key!, 'amount'))!);
      await rival.hset(key!, 'amount', amount.add(Rational.ONE).toString());
      await rival.hincrby(key!, 'v', 1);
    }
    return real(...args);
  };
  t.ok((await store.debit(sender, 's', Rational.of(10n))).eq(Rational.of(93n)), '100 + 3 from the rival − 10: no update lost');
  t.ok((await store.balance(sender, 's'))?.eq(Rational.of(93n)));

  contended = Number.POSITIVE_INFINITY;
  await t.rejects(store.debit(sender, 's', Rational.of(10n)), { code: errors.payments.CREDIT_CONTENDED.code });
  t.ok((await store.balance(sender, 's'))!.gt(Rational.of(93n)), 'the refused debit took nothing; the rival credits stand');
});
