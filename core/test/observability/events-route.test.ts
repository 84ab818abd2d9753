// GET /events over real HTTP while real work happens: jobs on a JobsKernel
// (real Redis), tickets signed by a TicketSender and credited by a
// PaymentProcessor (in-memory chain), read by a streaming HTTP client.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createRootServer } from '../../src/http/root-server.js';
import { JobsKernel } from '../../src/jobs/index.js';
import { Balances, PaymentProcessor, paymentFromBatch, PrivateKeyTicketSigner, priceToInfo, Rational, Recipient, SenderMonitor, TicketSender } from '../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../src/payments/testing/index.js';
import { paymentReceiptMetrics, ticketSenderMetrics } from '../../src/observability/payment-metrics.js';
import { nodeEventsOf, type NodeEvent } from '../../src/observability/node-events.js';
import { testRedis, uniquePrefix } from '../../../test/helpers/redis.js';

const redis = await testRedis(t);
const connection = await redis.connect();

async function serve(t: { teardown(fn: () => unknown): void }, registry: Registry, events?: { heartbeatMs?: number; maxBufferedBytes?: number }): Promise<string> {
  const app = await createRootServer({ logger: pino({ level: 'silent' }), metrics: registry, bodyLimitBytes: 1 << 20, readiness: async () => ({ ready: true, checks: {} }), ...(events ? { events } : {}) });
  t.teardown(() => app.close());
  return app.listen({ host: '127.0.0.1', port: 0 });
}

interface Frame {
  event?: string;
  data?: string;
  comment?: string;
}

/** A streaming SSE reader over node:http: frames as they arrive. */
function openStream(url: string): Promise<{ response: IncomingMessage; frames: Frame[]; next(match: (f: Frame) => boolean): Promise<Frame>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream' } }, (response) => {
      const frames: Frame[] = [];
      const waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const frame: Frame = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) frame.comment = line.slice(1).trim();
            else if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('data: ')) frame.data = line.slice(6);
          }
          frames.push(frame);
          for (const waiter of [...waiters]) {
            if (waiter.match(frame)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(frame);
            }
          }
        }
      });
      resolve({
        response,
        frames,
        next: (match) => {
          const seen = frames.find(match);
          return seen ? Promise.resolve(seen) : new Promise((res) => waiters.push({ match, resolve: res }));
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const parsed = (frame: Frame): NodeEvent => JSON.parse(frame.data ?? '{}') as NodeEvent;

t.test('job events: queued, started, completed and failed as jobs really run', async (t) => {
  const registry = new Registry();
  const base = await serve(t, registry);
  const kernel = new JobsKernel({ connection, prefix: uniquePrefix('events'), metrics: registry });
  t.teardown(() => kernel.close());
  kernel.registerProcessor<{ fail: boolean }, string>('test/echo', async (job) => {
    if (job.data.fail) throw new Error('asked to fail');
    return 'ok';
  });
  kernel.start();
  const stream = await openStream(`${base}/events?types=job`);
  t.teardown(() => stream.close());
  t.equal(stream.response.statusCode, 200);
  t.match(stream.response.headers['content-type'], /^text\/event-stream/);
  t.equal(await kernel.submitAndWait('test/echo', { fail: false }), 'ok');
  await t.rejects(kernel.submitAndWait('test/echo', { fail: true }), /asked to fail/);
  const completed = parsed(await stream.next((f) => f.event === 'job' && parsed(f).type === 'job' && (parsed(f) as { phase: string }).phase === 'completed'));
  t.match(completed, { type: 'job', phase: 'completed', scope: 'node', capability: 'test/echo', outcome: 'completed', attempt: 1 });
  t.type((completed as { durationMs: number }).durationMs, 'number');
  const failed = parsed(await stream.next((f) => f.event === 'job' && (parsed(f) as { phase: string }).phase === 'failed'));
  t.match(failed, { type: 'job', phase: 'failed', capability: 'test/echo', outcome: 'failed', error: 'asked to fail' });
  const phases = stream.frames.filter((f) => f.event === 'job').map((f) => `${(parsed(f) as { id: string }).id === (completed as { id: string }).id ? 'A' : 'B'}:${(parsed(f) as { phase: string }).phase}`);
  t.same(phases.filter((p) => p.startsWith('A:')), ['A:queued', 'A:started', 'A:completed'], 'one job: queued → started → completed, in order');
  t.notOk(stream.frames.some((f) => f.event === 'payment'), 'types=job leaves payments out');
  const text = await registry.metrics();
  t.match(text, /lpx_events_sent_total\{type="job"\} [1-9]/);
});

t.test('payment events: tickets sent by a TicketSender and credited by a PaymentProcessor, wei as decimal strings', async (t) => {
  const registry = new Registry();
  const base = await serve(t, registry);
  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  const orchestrator = randomBytes(20);
  const senderMonitor = new SenderMonitor({ claimant: orchestrator }, rounds, senderInfo);
  const recipient = new Recipient({ address: orchestrator, secret: randomBytes(32), economics: { ev: 1000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } }, { rounds, gasPrice: new FixedGasPrice(2000n), senderMonitor });
  const receipts = paymentReceiptMetrics(registry);
  const processor = new PaymentProcessor({
    recipient,
    balances: new Balances(),
    sink: new InMemoryWinningTicketSink(),
    rounds,
    senderMonitor,
    tickets: { received: (n) => receipts.received(n), credited: (n, value, sender) => value !== undefined && receipts.credited(n, value, sender ?? '') },
  });
  const signer = new PrivateKeyTicketSigner(randomBytes(32));
  senderInfo.set(signer.address, { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const sender = new TicketSender({ signer, rounds, senderInfo, observer: ticketSenderMetrics(registry) });

  const stream = await openStream(`${base}/events?types=payment,unknown-type`);
  t.teardown(() => stream.close());
  const params = await recipient.ticketParams(signer.address, Rational.of(3n, 2n));
  const session = sender.startSession(params);
  const batch = await sender.createTicketBatch(session, 3);
  const receipt = await processor.processPayment(paymentFromBatch(batch, priceToInfo(params.price)), 'session-1');

  const sent = parsed(await stream.next((f) => f.event === 'payment' && (parsed(f) as { phase: string }).phase === 'ticket_sent')) as unknown as Record<string, unknown>;
  t.match(sent, { type: 'payment', phase: 'ticket_sent', tickets: 3, faceValueWei: params.faceValue.toString() });
  t.match(sent.valueWei, /^\d+$/, 'value as a decimal string');
  t.equal(BigInt(sent.valueWei as string), 3000n, 'EV 1000 wei × 3 tickets');
  const received = parsed(await stream.next((f) => f.event === 'payment' && (parsed(f) as { phase: string }).phase === 'ticket_received')) as unknown as Record<string, unknown>;
  t.equal(received.tickets, receipt.creditedTickets);
  t.equal(received.valueWei, receipt.credited.floor().toString(), 'the credited EV, exactly');
  t.notOk(stream.frames.some((f) => f.event === 'job'), 'types=payment leaves jobs out');
  const text = await registry.metrics();
  t.match(text, /livepeer_tickets_sent\{node_type="bctr",node_id="[^"]+"\} 3/);
  t.match(text, /livepeer_tickets_recv\{node_type="orch",node_id="[^"]+"\} 3/);
});

t.test('heartbeats arrive as comments while nothing happens', async (t) => {
  const registry = new Registry();
  const base = await serve(t, registry, { heartbeatMs: 20 });
  const stream = await openStream(`${base}/events`);
  t.teardown(() => stream.close());
  const beat = await stream.next((f) => f.comment === 'heartbeat');
  t.equal(beat.comment, 'heartbeat');
});

t.test('a client that stops reading is cut off and counted; memory stays bounded; the bus loses the listener', async (t) => {
  const registry = new Registry();
  const base = await serve(t, registry, { heartbeatMs: 60_000, maxBufferedBytes: 64 * 1024 });
  const bus = nodeEventsOf(registry);
  const stream = await openStream(`${base}/events`);
  t.teardown(() => stream.close());
  await stream.next((f) => f.comment?.startsWith('lpx events') === true);
  stream.response.pause();
  t.equal(bus.listenerCount, 1);
  const ended = new Promise<void>((resolve) => {
    stream.response.on('close', () => resolve());
    stream.response.on('error', () => resolve());
  });
  // Much more than socket buffers plus the bound hold: the server must give up on this client.
  const big = 'x'.repeat(4096);
  for (let i = 0; i < 20_000 && bus.listenerCount > 0; i++) {
    bus.emit({ type: 'job', phase: 'queued', scope: 'node', capability: 'test/slow', id: `${i}-${big}`, at: Date.now() });
    if (i % 200 === 0) await new Promise((r) => setImmediate(r));
  }
  t.equal(bus.listenerCount, 0, 'the slow client was unsubscribed');
  stream.response.resume();
  await ended;
  const text = await registry.metrics();
  t.match(text, /lpx_events_slow_clients_disconnected_total 1/);
  t.match(text, /lpx_events_clients 0/);
});
