// The gateway's job sender against the real BYOC routes on loopback, paid with
// real tickets over in-memory chain state: it asks for a job token only when
// its credit book has nothing usable, pays only what is missing, and recovers
// with a fresh token when the orchestrator says the cached credit went stale.
import t, { type Test } from 'tap';
import { fastify } from 'fastify';
import { pino } from 'pino';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { registerJobRoutes, type JobRoutesDeps } from '../../src/network/byoc/index.js';
import { addressKey, Balances, fromHex, PaymentProcessor, Rational, Recipient, SenderMonitor } from '../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../src/payments/testing/index.js';
import type { ChainPaymentSources } from '../../src/payments-chain/create-sources.js';
import type { PoolEntry } from '../../src/gateway/pool/pool-options.js';
import { createJobSender } from '../../src/roles/gateway/job-sender.js';

const CAP = 'echo';
const PRICE = { pricePerUnit: 10n, pixelsPerUnit: 1n }; // 10 wei per second; ticket EV 1000 wei = 100 s

async function start(t: Test, workSeconds = 3, price = PRICE, sse = false, hold?: () => Promise<void>) {
  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  const orchestrator = fromHex(privateKeyToAccount(generatePrivateKey()).address);
  const senderMonitor = new SenderMonitor({ claimant: orchestrator }, rounds, senderInfo);
  const recipient = new Recipient(
    { address: orchestrator, economics: { ev: 1000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } },
    { rounds, gasPrice: new FixedGasPrice(2000n), senderMonitor },
  );
  const balances = new Balances();
  const processor = new PaymentProcessor({ recipient, balances, sink: new InMemoryWinningTicketSink(), rounds, senderMonitor });
  const gateway = privateKeyToAccount(generatePrivateKey());
  senderInfo.set(fromHex(gateway.address), { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });

  let clock = 1_000_000;
  const deps: JobRoutesDeps<{ n: number }> = {
    payments: { processor, recipient },
    priceFor: (capability) => (capability === CAP ? price : undefined),
    admit: (capability) => (capability === CAP ? { n: 1 } : undefined),
    release: () => {},
    availableCapacity: () => 1,
    dispatch: async (input) => {
      await hold?.();
      clock += workSeconds * 1000;
      const echo = JSON.stringify({ echo: JSON.parse(input.body.toString('utf8')) });
      if (sse) {
        async function* lines(): AsyncGenerator<string> {
          yield `data: ${echo}`;
          yield '';
        }
        return { status: 200, contentType: 'text/event-stream', body: '', lines: lines() };
      }
      return { contentType: 'application/json', body: echo };
    },
    serviceAddr: () => uri,
    now: () => clock,
  };
  const app = fastify();
  const seen = { tokens: 0, requests: 0 };
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/process/token')) seen.tokens++;
    if (request.url.startsWith('/process/request')) seen.requests++;
  });
  registerJobRoutes(app, deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const uri = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  t.teardown(() => app.close());

  let paid = 0;
  const sender = createJobSender({
    account: gateway,
    chain: { rounds, senderInfo } as unknown as ChainPaymentSources,
    requestTimeoutMs: 5_000,
    logger: pino({ level: 'silent' }),
    onPaid: (count) => (paid += count),
  });
  t.teardown(() => sender.close());
  const entry = { uri } as PoolEntry;
  let n = 0;
  const send = async () => (await sender.send(entry, { capabilityId: `byoc/${CAP}`, input: { n: ++n }, requestId: `job-${n}-${Math.random()}`, signal: new AbortController().signal })).output;
  const credit = () => balances.balance(addressKey(fromHex(gateway.address)), CAP) ?? Rational.ZERO;
  /** A ticket's EV is 1000 wei give or take a rounding sliver (win probability is an integer over 2^256 - 1). */
  const creditNear = (wei: bigint) => {
    const value = credit();
    return value.gt(Rational.of(wei - 1n)) && value.lt(Rational.of(wei + 1n));
  };
  return { send, seen, paid: () => paid, rounds, balances, gateway, creditNear, sender };
}

t.test('one job token serves every job the cached credit covers', async (t) => {
  const f = await start(t);
  for (let i = 1; i <= 5; i++) t.same(await f.send(), { echo: { n: i } });
  t.equal(f.seen.tokens, 1, 'a token only for the first job');
  t.equal(f.seen.requests, 5);
  t.equal(f.paid(), 1, 'one 1000-wei ticket covers the minute of credit and five 3-second jobs');
  // 1000 credited, 5 × 3 s × 10 wei debited.
  t.ok(f.creditNear(850n));
  t.equal(f.sender.cachedCredits, 1);
});

t.test('tickets are paid from the cached params when the credit runs low', async (t) => {
  const f = await start(t, 40); // 400 wei per job: the second job finds 600 < 610 and pays again
  await f.send();
  await f.send();
  t.equal(f.seen.tokens, 1, 'the cached params paid the second ticket');
  t.equal(f.paid(), 2);
  t.ok(f.creditNear(1200n));
});

t.test('expired cached params are replaced by a fresh token before paying', async (t) => {
  const f = await start(t, 40);
  await f.send();
  f.rounds.advanceL1Blocks(1_000n);
  t.same(await f.send(), { echo: { n: 2 } });
  t.equal(f.seen.tokens, 2, 'expired params were not used; a new token was fetched');
  t.equal(f.paid(), 2);
});

t.test('an orchestrator that lost our credit refuses once, then gets paid from a fresh token', async (t) => {
  const f = await start(t);
  await f.send();
  // The orchestrator forgot the credit (a restart); the gateway's estimate still says 970.
  const key = addressKey(fromHex(f.gateway.address));
  f.balances.debit(key, CAP, f.balances.balance(key, CAP)!);
  t.same(await f.send(), { echo: { n: 2 } });
  t.equal(f.seen.requests, 3, 'the ticketless request was refused and retried once');
  t.equal(f.seen.tokens, 2);
  t.equal(f.paid(), 2);
  t.ok(f.creditNear(970n), 'paid again for the minute, debited 3 s once');
});

t.test('a refusal that is not about credit is not retried', async (t) => {
  const f = await start(t);
  await f.send();
  await t.rejects(
    f.sender.send({ uri: 'http://127.0.0.1:1' } as PoolEntry, { capabilityId: `byoc/${CAP}`, input: {}, requestId: 'x', signal: new AbortController().signal }),
    { code: 'LPX_ERR_ORCHESTRATOR_JOB_UNREACHABLE' },
  );
  t.equal(f.seen.requests, 1);
});

t.test('a free capability is cached too: one token, no tickets, every job goes through', async (t) => {
  const f = await start(t, 3, { pricePerUnit: 0n, pixelsPerUnit: 1n });
  for (let i = 1; i <= 3; i++) t.same(await f.send(), { echo: { n: i } });
  t.equal(f.seen.tokens, 1);
  t.equal(f.paid(), 0, 'nothing is paid for free work');
});

t.test("an event-stream answer is collected, and the orchestrator's last balance event keeps the credit book usable", async (t) => {
  const f = await start(t, 3, PRICE, true);
  const first = (await f.send()) as { contentType: string; done: boolean; events: { data: string }[] };
  t.equal(first.contentType, 'text/event-stream');
  t.equal(first.done, true);
  t.same(first.events.map((e) => e.data.replace(/^\{"balance": \d+\.\d{3}\}$/, '<balance>')), ['{"echo":{"n":1}}', '<balance>', '[DONE]'], "the app's event, the orchestrator's balance, [DONE]");
  await f.send();
  t.equal(f.seen.tokens, 1, 'the balance event kept the cached credit: no new token for the second job');
  t.equal(f.paid(), 1, 'one ticket covers both');
  t.equal(f.sender.cachedCredits, 1);
});

t.test('sixteen jobs in flight at once: each counts the others\' debits, so none goes out short and is refused', async (t) => {
  // Answers come back out of order, each job held a few milliseconds; every job bills 1 s (10 wei).
  let turn = 0;
  const f = await start(t, 0, PRICE, false, () => new Promise((resolve) => setTimeout(resolve, (turn++ * 7) % 5)));
  const JOBS = 320;
  let sent = 0;
  const lane = async () => {
    while (sent < JOBS) {
      sent++;
      await f.send();
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  t.equal(f.seen.requests, JOBS, 'no request was refused for insufficient balance and retried');
  t.equal(f.seen.tokens, 1, 'the first token served every job');
  // 320 jobs × 10 wei debited; a minute (600 wei) and the jobs in flight stayed covered throughout.
  const left = BigInt(f.paid()) * 1000n - BigInt(JOBS) * 10n;
  t.ok(f.creditNear(left), 'the credit is what was paid less what was debited, nothing lost');
  t.ok(left >= 600n, 'a minute of credit is left');
  // An answer's balance may predate tickets another job in flight carried, so a ticket can be paid early;
  // that credit stays with the orchestrator for later jobs, and at most one per job in flight.
  t.ok(left < 600n + 16n * 1000n, `over-payment bounded by one ticket per job in flight (left ${left} wei)`);
});
