// A BYOC app that answers `text/event-stream` (go-livepeer's SSE branch of
// the orchestrator): an external worker (a plain node http server here,
// registered through /capability/register) streams events, the lpx
// orchestrator on a real anvil chain relays them line by line to a
// go-livepeer-style BYOC client that pays with tickets, debiting 5 units on
// every tick (shortened from 5 s by orchestrator.byocStreamDebitIntervalMs),
// ending with the balance event or `insufficient balance`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { privateKeyToAccount } from 'viem/accounts';
import { byocHostPlugin } from '../../../plugins/byoc-host/src/index.js';
import { startEmbeddedChain } from '../../../core/src/chain/index.js';
import { CAPABILITY_HEADER, encodeJobRequestHeader, fetchJobToken, insecureOrchestratorAgent, JOB_REQUEST_HEADER, jobSenderFor, postJob, signJobRequest } from '../../../core/src/network/byoc/index.js';
import { personalSign } from '../../../core/src/network/index.js';
import { fromHex, paymentFromBatch, paymentHeader, Rational, ticketEV, TicketSender } from '../../../core/src/payments/index.js';
import { createChainPaymentSources } from '../../../core/src/payments-chain/create-sources.js';
import { makeHost } from '../../helpers/host.js';
import { testRedis, uniquePrefix } from '../../helpers/redis.js';

const SECRET = 'byoc-sse-secret';
const PRICE = 1000n; // wei per second

/** Resolves when `open()` is called: the app waits on it, so what comes after can only be seen after the client saw the first event. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

t.test('an SSE answer is relayed line by line with debits, a final balance, and insufficient balance when the payment runs out', async (t) => {
  const redis = await testRedis(t);
  const chain = await startEmbeddedChain({ orchestrators: 1, senders: 1 });
  t.teardown(() => chain.stop());
  const orchestrator = chain.accounts.find((a) => a.role === 'orchestrator')!;
  const sender = privateKeyToAccount(chain.accounts.find((a) => a.role === 'sender')!.privateKey);

  const firstSeen = gate();
  const stopForever = gate();
  const app = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/plain') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ whole: true }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (req.url === '/sse') {
        res.write('data: first\n\n');
        void firstSeen.promise.then(() => res.end('data: second\r\n\r\ndata: [DONE]\n\n'));
        return;
      }
      // /forever: an event every 20 ms until the test says stop.
      let n = 0;
      const timer = setInterval(() => res.write(`data: tick ${n++}\n\n`), 20);
      void stopForever.promise.then(() => {
        clearInterval(timer);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    stopForever.open();
    firstSeen.open();
    app.closeAllConnections();
    app.close();
  });
  const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;

  const host = makeHost(t, [byocHostPlugin], {
    redis: { url: redis.url, prefix: uniquePrefix('byoc-sse') },
    node: { roles: ['orchestrator', 'worker'] },
    chain: { rpcUrl: chain.rpcUrl, controller: chain.controller, privateKey: orchestrator.privateKey, l1BlockTimeMs: 100 },
    orchestrator: { port: 0, secret: SECRET, ticketEV: '100000', pricePerUnit: '1', pixelsPerUnit: '1', byocStreamDebitIntervalMs: 100 },
  });
  await host.start();
  const uri = host.serviceUri!;
  const agent = insecureOrchestratorAgent();
  for (const name of ['sse-app', 'sse-drain']) {
    const body = JSON.stringify({ name, url: appUrl, description: 'sse worker', capacity: 1, price_per_unit: Number(PRICE), price_scaling: 1, currency: '', token: '' });
    const res = await agent.request({ origin: new URL(uri).origin, path: '/capability/register', method: 'POST', body, headers: { authorization: SECRET } });
    t.equal(res.statusCode, 200, `${name} registered`);
    await res.body.text();
  }

  const sources = await createChainPaymentSources({ rpcUrl: chain.rpcUrl, controller: chain.controller });
  t.teardown(() => sources.close());
  const tickets = new TicketSender({ signer: { address: fromHex(sender.address), signMessage: (message) => personalSign(sender, message) }, rounds: sources.rounds, senderInfo: sources.senderInfo });
  const jobSender = await jobSenderFor(sender);
  /** Tickets for go-livepeer's 60-second minimum (61 s × price), as its gateway sends; returns the header and what it credits. */
  async function pay(capability: string): Promise<{ header: string; credited: Rational }> {
    const token = await fetchJobToken({ serviceUri: uri, capability, sender: jobSender, timeoutMs: 10_000 });
    const params = token.ticketParams!;
    const ev = ticketEV(params.faceValue, params.winProb);
    const q = Rational.of(PRICE * 61n).div(ev);
    const count = Number((q.num + q.den - 1n) / q.den);
    const batch = await tickets.createTicketBatch(tickets.startSession(params), count);
    return { header: paymentHeader(paymentFromBatch(batch, token.price!)), credited: ev.mulInt(BigInt(count)) };
  }

  /** A go-livepeer-style BYOC client reading the SSE answer line by line; `onLine` sees each line as it arrives. */
  async function streamJob(capability: string, subpath: string, payment: string, onLine: (line: string) => void) {
    const job = await signJobRequest(sender, { id: `sse-${Math.random().toString(36).slice(2)}`, request: '{}', parameters: '{}', capability, timeout_seconds: 60 });
    const url = new URL(`/process/request/${subpath}`, uri);
    const res = await agent.request({
      origin: url.origin,
      path: url.pathname,
      method: 'POST',
      body: '{}',
      headers: { [JOB_REQUEST_HEADER]: encodeJobRequestHeader(job), [CAPABILITY_HEADER]: capability, 'content-type': 'application/json', 'Livepeer-Payment': payment },
    });
    const lines: string[] = [];
    let partial = '';
    for await (const chunk of res.body) {
      partial += (chunk as Buffer).toString('utf8');
      let end: number;
      while ((end = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, end);
        partial = partial.slice(end + 1);
        lines.push(line);
        onLine(line);
      }
    }
    return { status: res.statusCode, headers: res.headers, lines, rest: partial };
  }

  await t.test('lines reach the client before the app finishes; the end carries the balance, then [DONE]', async (t) => {
    const { header, credited } = await pay('sse-app');
    const answer = await streamJob('sse-app', 'sse', header, (line) => {
      if (line === 'data: first') firstSeen.open();
    });
    t.equal(answer.status, 200);
    t.match(answer.headers['content-type'], /text\/event-stream/);
    t.equal(answer.headers['livepeer-payment-balance'], (credited.num / credited.den).toString(), 'Livepeer-Payment-Balance: the balance before the stream');
    const token = await fetchJobToken({ serviceUri: uri, capability: 'sse-app', sender: jobSender, timeoutMs: 10_000 });
    const balanceLine = answer.lines[answer.lines.length - 3]!;
    const shown = /^data: \{"balance": (-?\d+\.\d{3})\}$/.exec(balanceLine)?.[1];
    t.ok(shown !== undefined, `a balance event before [DONE]: ${balanceLine}`);
    t.same(answer.lines, ['data: first', '', 'data: second', '', balanceLine, '', 'data: [DONE]'], 'the app\'s lines in order (\\r dropped), then the balance, then [DONE]');
    t.equal(answer.rest, '', 'nothing after the last line');
    // A positive balance truncates to floor(credited) − charged.
    const wholeCharged = credited.num / credited.den - token.balance;
    t.ok(wholeCharged > 0n && wholeCharged % PRICE === 0n, `charged ${wholeCharged} wei: whole seconds × ${PRICE}`);
    t.equal(credited.sub(Rational.of(wholeCharged)).toFixed(3), shown, 'the balance event is the sender\'s balance after the debits');
    t.equal(token.availableCapacity, 1n, 'the capacity came back at the end');
  });

  await t.test('a non-SSE answer is still returned whole', async (t) => {
    const { header } = await pay('sse-app');
    const answer = await postJob({ serviceUri: uri, capability: 'sse-app', subpath: 'plain', request: '{}', parameters: '{}', body: '{}', contentType: 'application/json', timeoutMs: 30_000, signer: sender, payment: header, requestId: 'plain-1' });
    t.same(JSON.parse(answer.body.toString()), { whole: true });
    t.ok(answer.balance !== undefined, 'with Livepeer-Balance');
  });

  await t.test('when the debits exhaust the payment, the client gets insufficient balance and the relay stops', async (t) => {
    const { header } = await pay('sse-drain');
    const answer = await streamJob('sse-drain', 'forever', header, () => undefined);
    stopForever.open();
    t.equal(answer.status, 200);
    t.ok(answer.lines.filter((line) => line.startsWith('data: tick')).length > 0, 'events were relayed first');
    t.same(answer.lines.slice(-5), ['event: insufficient balance', 'data: {"balance": 0}', '', 'data: [DONE]', ''], 'then go-livepeer\'s insufficient balance event and [DONE], and the answer ends');
    const token = await fetchJobToken({ serviceUri: uri, capability: 'sse-drain', sender: jobSender, timeoutMs: 10_000 });
    t.ok(token.balance <= 0n, `the sender's balance ran out (${token.balance})`);
    t.equal(token.availableCapacity, 1n, 'the capacity came back');
  });
});
