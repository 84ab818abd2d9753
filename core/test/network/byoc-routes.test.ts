// The BYOC routes on a real fastify server on loopback, paid with real tickets:
// a Recipient + PaymentProcessor over in-memory chain state on the orchestrator,
// a TicketSender + GatewayPayer producing Livepeer-Payment on the gateway, and
// the gateway's own client (postJob / fetchJobToken) on the wire.
import t from 'tap';
import { fastify } from 'fastify';
import { request } from 'undici';
import { errors } from '@lpx/sdk';
import { fetchJobToken, postJob, encodeJobRequestHeader, signJobRequest } from '../../src/network/byoc/index.js';
import { GatewayPayer, PaymentProcessor, Rational, Recipient, TicketSender, ticketEV } from '../../src/payments/index.js';

import { CAP, refusal, start } from './helpers/byoc-routes-fixture.js';
t.test('a paid job runs once, debits exactly ceil(seconds) × price and reports Livepeer-Balance', async (t) => {
  const f = await start(t);
  const prepared = await f.pay(60n);
  t.ok(prepared.numTickets >= 1);
  const res = await f.post('job-1', prepared.header);
  t.equal(res.status, 200);
  t.equal(res.headers['content-type'], 'application/json', 'the worker’s content type');
  t.same(JSON.parse(res.body.toString()), { echo: 'hello', path: 'run' });
  t.equal(f.dispatched.length, 1);
  t.equal(f.dispatched[0]!.timeoutMs, 60_000);
  t.equal(f.dispatched[0]!.sender, f.sender.addr);

  const token = await fetchJobToken({ serviceUri: f.uri, capability: CAP, sender: f.sender });
  const ev = ticketEV(token.ticketParams!.faceValue, token.ticketParams!.winProb);
  const credited = ev.mulInt(BigInt(prepared.numTickets));
  const expected = credited.sub(Rational.of(30n)); // 3 s × 10 wei
  t.ok((await f.balance())!.eq(expected), 'balance is credit − 30 wei exactly');
  t.equal(res.balance, expected.trunc(), 'Livepeer-Balance is the truncated balance');

  // The credit left over pays for the next job without new tickets.
  const second = await f.post('job-2', undefined);
  t.equal(second.balance, expected.sub(Rational.of(30n)).trunc());
  t.equal(f.dispatched.length, 2);
});

t.test('a paid job reads no balance: the gate uses what the credit and the debit returned (ADR 0066)', async (t) => {
  const f = await start(t);
  const prepared = await f.pay(60n);
  const credits = f.processor.credits;
  const read = credits.balance.bind(credits);
  let reads = 0;
  credits.balance = (...args) => {
    reads++;
    return read(...args);
  };
  const res = await f.post('job-1', prepared.header);
  t.equal(res.status, 200);
  t.equal(reads, 0, 'neither the check after the credit nor Livepeer-Balance after the debit read the store');
  t.equal(res.balance, (await f.balance())!.trunc(), 'Livepeer-Balance is the balance in the store');

  reads = 0;
  const second = await f.post('job-2', undefined);
  t.equal(reads, 1, 'without tickets the check reads the balance once; the header still comes from the debit');
  t.equal(second.balance, (await f.balance())!.trunc());
});

t.test('a bad signature is 400 and nothing runs', async (t) => {
  const f = await start(t);
  const job = await signJobRequest(f.gateway, { id: 'x', request: '{}', parameters: '{}', capability: CAP, timeout_seconds: 10 });
  const res = await request(`${f.uri}/process/request/run`, {
    method: 'POST',
    headers: { Livepeer: encodeJobRequestHeader({ ...job, parameters: '{"tampered":true}' }), 'content-type': 'text/plain' },
    body: 'x',
  });
  t.equal(res.statusCode, 400);
  t.match(await res.body.text(), /Could not verify job creds/);
  t.equal(res.headers['lpx-error-code'], 'LPX_ERR_ORCHESTRATOR_JOB_REQUEST_SIG_INVALID');

  const noHeader = await request(`${f.uri}/process/request/run`, { method: 'POST', body: 'x' });
  t.equal(noHeader.statusCode, 400);
  t.match(await noHeader.body.text(), /Livepeer header is missing/);
  t.equal(f.dispatched.length, 0);
});

t.test('an undecodable payment is 402 and credits nothing', async (t) => {
  const f = await start(t);
  const error = await refusal(f.post('job-1', 'not base64!!'));
  t.equal(error.code, 'LPX_ERR_ORCHESTRATOR_JOB_REFUSED');
  t.equal(error.details['status'], 402);
  t.match(error.details['text'], /Could not parse payment/);
  t.equal((await f.balance()), undefined);
  t.equal(f.dispatched.length, 0);
});

t.test('a replayed payment is 400, credits nothing and runs nothing', async (t) => {
  const f = await start(t);
  const prepared = await f.pay(60n);
  await f.post('job-1', prepared.header);
  const after = (await f.balance())!;
  const error = await refusal(f.post('job-2', prepared.header));
  t.equal(error.details['status'], 400);
  t.match(error.details['text'], /invalid ticket senderNonce: already seen/);
  t.equal(error.details['retry'], 'other-orchestrator', 'go-livepeer moves on after a nonce refusal');
  t.ok((await f.balance())!.eq(after), 'balance unchanged');
  t.equal(f.dispatched.length, 1);
});

t.test('no capacity is 503 before payment: nothing credited, the tickets stay usable', async (t) => {
  const f = await start(t, { capacity: 0 });
  const prepared = await f.pay(60n);
  const error = await refusal(f.post('job-1', prepared.header));
  t.equal(error.details['status'], 503);
  t.equal(error.details['text'], 'insufficient capacity');
  t.equal(error.details['retry'], 'other-orchestrator');
  t.equal((await f.balance()), undefined, 'nothing credited');
  t.equal(f.dispatched.length, 0);

  f.setCapacity(1);
  const res = await f.post('job-1', prepared.header);
  t.equal(res.status, 200, 'the same payment (same nonces) is accepted once capacity is back');
});

t.test("the capability's input check refuses before capacity and payment: its status, nothing credited or run", async (t) => {
  const checked: { capability: string; subpath: string; contentType: string; body: string }[] = [];
  const f = await start(t, {
    capacity: 1,
    validate: (capability, request) => {
      checked.push({ capability, subpath: request.subpath, contentType: request.contentType, body: request.body.toString() });
      if (request.body.toString() === 'bad') throw errors.byoc.INPUT_INVALID.create('body: bad');
    },
  });
  const prepared = await f.pay(60n);
  const error = await refusal(f.post('job-1', prepared.header, { body: 'bad' }));
  t.equal(error.details['status'], 400);
  t.equal(error.details['text'], 'body: bad');
  t.same(checked, [{ capability: CAP, subpath: 'run', contentType: 'text/plain', body: 'bad' }]);
  t.equal(await f.balance(), undefined, 'nothing credited');
  t.equal(f.dispatched.length, 0);
  const res = await f.post('job-2', prepared.header);
  t.equal(res.status, 200, 'good input goes through with the same payment; capacity was never held');
});

t.test('no payment and no credit is 400 Insufficient balance', async (t) => {
  const f = await start(t);
  const error = await refusal(f.post('job-1', undefined));
  t.equal(error.details['status'], 400);
  t.equal(error.details['text'], 'Insufficient balance for request');
  t.equal(f.dispatched.length, 0);
});

t.test('a failed dispatch is 500 and debits nothing; a retry of the same id runs again', async (t) => {
  let fail = true;
  const f = await start(t, {
    dispatch: async () => {
      if (fail) throw new Error('worker exploded');
      return { contentType: 'text/plain', body: 'ok' };
    },
  });
  const prepared = await f.pay(60n);
  const error = await refusal(f.post('job-1', prepared.header));
  t.equal(error.details['status'], 500);
  t.match(error.details['text'], /job not able to be processed err=worker exploded/);
  const credited = (await f.balance())!;
  t.ok(credited.sign() > 0, 'the payment was credited');
  t.equal(error.details['balance'], credited.trunc().toString(), "the 500 carries Livepeer-Balance (go-livepeer's), undebited: nothing reached the gateway");

  fail = false;
  const res = await f.post('job-1', undefined);
  t.equal(res.body.toString(), 'ok');
  t.equal(f.dispatched.length, 2, 'a failure leaves no trace in the dedupe');
  t.ok((await f.balance())!.eq(credited.sub(Rational.of(10n))), 'only the successful run is debited (1 s)');
});

t.test("an event stream that outlives the job's timeout ends with the balance event and [DONE], and its seconds are charged", async (t) => {
  const f = await start(t, {
    dispatch: async (input) => {
      async function* lines(): AsyncGenerator<string> {
        yield 'data: started';
        yield '';
        // The app never finishes on its own: only the job's timeout ends it.
        await new Promise<void>((resolve) => input.signal.addEventListener('abort', () => resolve(), { once: true }));
      }
      return { status: 200, contentType: 'text/event-stream', body: '', lines: lines() };
    },
  });
  const prepared = await f.pay(60n);
  const res = await postJob({ serviceUri: f.uri, capability: CAP, subpath: 'run', request: '{}', parameters: '{}', body: 'hello', contentType: 'text/plain', timeoutMs: 1_000, signer: f.gateway, payment: prepared.header, requestId: 'sse-timeout', events: true });
  const lines: string[] = [];
  for await (const line of res.lines!) lines.push(line);
  const before = BigInt(String(res.headers['livepeer-payment-balance']));
  const after = (await f.balance())!;
  // The fixture's clock does not move: the stream bills its minimum, one second (10 wei).
  t.equal(after.trunc() + 10n, before, `one second × price debited (${before} → ${after.toFixed(3)})`);
  t.same(lines, ['data: started', '', `data: {"balance": ${after.toFixed(3)}}`, '', 'data: [DONE]', ''], "the app's lines, then go-livepeer's timeout ending: the balance, then [DONE]");
});

t.test('a duplicate request id is not dispatched twice', async (t) => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const f = await start(t, {
    dispatch: async (input) => {
      await gate;
      return { contentType: 'text/plain', body: `done ${input.requestId}` };
    },
  });
  const prepared = await f.pay(60n);
  const first = f.post('job-1', prepared.header);
  await f.dedupe.until('owner');
  const retry = f.post('job-1', prepared.header); // a retry resends the same headers
  await f.dedupe.until('running');
  release();
  const [a, b] = await Promise.all([first, retry]);
  t.equal(a.body.toString(), b.body.toString(), 'the retry gets the first run’s result');
  t.equal(f.dispatched.length, 1);
  t.match(f.dispatched[0]!.requestId, /^byoc-[0-9a-f]{40}-[0-9a-f]{32}$/, 'the dispatch gets the BullMQ-safe id');
  t.equal(f.dispatched[0]!.jobRequestId, 'job-1');
  const balance = (await f.balance())!;

  const later = await f.post('job-1', undefined);
  t.equal(later.body.toString(), a.body.toString(), 'a retry after completion gets the kept result');
  t.equal(f.dispatched.length, 1);
  t.ok((await f.balance())!.eq(balance), 'debited once');

  const conflict = await refusal(f.post('job-1', undefined, { parameters: '{"other":1}' }));
  t.equal(conflict.details['status'], 409);
  t.match(conflict.details['text'], /already used for a different request/);
});
