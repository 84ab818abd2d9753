// A TEST DOUBLE of a go-livepeer BYOC stream orchestrator (byoc/stream_orchestrator.go),
// standing in at the one boundary this session cannot reach (H1 builds lpx's own in
// parallel). Everything it speaks is real: a fastify server on loopback with lpx's real
// `GET /process/token` (Recipient ticket params, PaymentProcessor balances), the four
// stream routes checking the signed `Livepeer` header with the real verifier and taking
// `Livepeer-Payment` through the real payment gate (60 s of credit or 402 on start / 400
// elsewhere), and the real trickle server of the `trickle` plugin for the channels. Its
// "worker" uses the sdk's trickle clients over HTTP: every ingest segment comes back on
// `-out` upper-cased and as one JSONL line on `-data`.
import type { Test } from 'tap';
import { fastify } from 'fastify';
import { TricklePublisher, TrickleSubscriber, TRICKLE_HTTP_PATH } from '@lpx/sdk/trickle-kit';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { mountTrickle } from '../../../plugins/trickle/src/server/mount.js';
import { TrickleServer } from '../../../plugins/trickle/src/server/trickle-server.js';
import { decodeJobRequestHeader, registerJobRoutes, verifyJobRequest, type JobRequest, type JobRoutesDeps } from '../../../core/src/network/byoc/index.js';
import { balanceHeader, takePayment, unitPrice } from '../../../core/src/network/byoc/job-payment-gate.js';
import { parseStreamParameters } from '../../../core/src/network/byoc/stream-types.js';
import { Balances, fromHex, PaymentProcessor, Recipient, SenderMonitor, type Address } from '../../../core/src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../../core/src/payments/testing/index.js';

export interface StreamCallRecord {
  readonly route: string;
  readonly job: JobRequest;
  readonly sender: Address;
  readonly paid: boolean;
  readonly body: string;
}

export interface DoubleScript {
  /** Status `/ai/stream/start` answers instead of starting (with this text). */
  startRefusal?: { status: number; text: string };
  /** Status `/ai/stream/payment` answers instead of 200. */
  paymentRefusal?: { status: number; text: string };
  /** Wei-seconds debited on each payment call (time passing), so every round needs tickets. */
  debitSecondsPerPayment?: bigint;
  /** Holds its token answers back this long (within the 500 ms search timeout), so it is found after the others. */
  tokenDelayMs?: number;
  /** Capacity the token reports (0: the search skips this orchestrator). */
  capacity?: number;
}

export interface ChainState {
  readonly rounds: InMemoryRoundsSource;
  readonly senderInfo: InMemorySenderInfoSource;
}

/** One in-memory chain both sides read: rounds and the gateway's deposit. */
export function chainState(gateway: Address): ChainState {
  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  senderInfo.set(gateway, { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  return { rounds, senderInfo };
}

export class StreamOrchestratorDouble {
  readonly calls: StreamCallRecord[] = [];
  readonly trickle = new TrickleServer();
  readonly updates: string[] = [];
  uri = '';
  tokens = 0;
  readonly #balances = new Balances();
  readonly #processor: PaymentProcessor;
  readonly #recipient: Recipient;
  readonly #workers: Array<() => void> = [];

  constructor(
    readonly capability: string,
    readonly price: bigint,
    readonly script: DoubleScript,
    chain: ChainState,
  ) {
    const address = fromHex(privateKeyToAccount(generatePrivateKey()).address);
    const senderMonitor = new SenderMonitor({ claimant: address }, chain.rounds, chain.senderInfo);
    this.#recipient = new Recipient(
      { address, economics: { ev: 1000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } },
      { rounds: chain.rounds, gasPrice: new FixedGasPrice(2000n), senderMonitor },
    );
    this.#processor = new PaymentProcessor({ recipient: this.#recipient, balances: this.#balances, sink: new InMemoryWinningTicketSink(), rounds: chain.rounds, senderMonitor });
  }

  /** Wei of credit the gateway holds here (truncated), as Livepeer-Balance says. */
  async credit(gateway: Address): Promise<bigint> {
    return BigInt(await balanceHeader({ processor: this.#processor, recipient: this.#recipient }, gateway, this.capability));
  }

  routes(route: string): StreamCallRecord[] {
    return this.calls.filter((c) => c.route === route);
  }

  async start(t: Test): Promise<this> {
    // Streams the gateway still holds open (preconnected trickle requests) must not hold up the close.
    const app = fastify({ forceCloseConnections: true });
    const payments = { processor: this.#processor, recipient: this.#recipient };
    const price = { pricePerUnit: this.price, pixelsPerUnit: 1n };
    const deps: JobRoutesDeps<number> = {
      payments,
      priceFor: (capability) => (capability === this.capability ? price : undefined),
      admit: () => undefined,
      release: () => undefined,
      availableCapacity: () => this.script.capacity ?? 1,
      dispatch: async () => {
        throw new Error('not a job orchestrator');
      },
      serviceAddr: () => this.uri,
      now: () => Date.now(),
    };
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/process/token')) return;
      this.tokens++;
      if (this.script.tokenDelayMs !== undefined && this.tokens === 1) await new Promise((resolve) => setTimeout(resolve, this.script.tokenDelayMs));
    });
    registerJobRoutes(app, deps);
    app.register(async (scope) => mountTrickle(scope, this.trickle));
    app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      scope.post<{ Params: { route: string } }>('/ai/stream/:route', async (request, reply) => {
        let job: JobRequest;
        let sender: Address;
        try {
          job = decodeJobRequestHeader(request.headers['livepeer'] as string | undefined);
          sender = verifyJobRequest(job).sender;
        } catch (error) {
          return reply.code(400).send(`Could not verify job creds: ${(error as Error).message}\n`);
        }
        const route = request.params.route;
        const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
        const paymentHeader = request.headers['livepeer-payment'] as string | undefined;
        this.calls.push({ route, job, sender, paid: paymentHeader !== undefined, body });
        const refusal = await takePayment(payments, sender, job.capability, unitPrice(price), paymentHeader);
        reply.header('Livepeer-Balance', await balanceHeader(payments, sender, job.capability));
        if (refusal !== undefined) return reply.code(route === 'start' && /insufficient balance/i.test(refusal.text) ? 402 : refusal.status).send(`${refusal.text}\n`);
        const streamId = route === 'start' ? job.id : (JSON.parse(job.request) as { stream_id: string }).stream_id;
        if (route === 'start') return this.#startStream(reply, streamId, job);
        if (route === 'stop') {
          for (const suffix of ['', '-out', '-data', '-control', '-events']) this.trickle.remove(`${streamId}${suffix}`);
          return reply.code(200).send('');
        }
        if (route === 'update') {
          this.updates.push(body);
          return reply.code(200).header('content-type', 'application/json').send({ updated: streamId });
        }
        if (this.script.debitSecondsPerPayment !== undefined) await this.#processor.debit(sender, job.capability, this.script.debitSecondsPerPayment, unitPrice(price));
        const paymentRefusal = this.script.paymentRefusal;
        if (paymentRefusal !== undefined) return reply.code(paymentRefusal.status).send(`${paymentRefusal.text}\n`);
        return reply.code(200).send('');
      });
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    this.uri = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    t.teardown(async () => {
      for (const stop of this.#workers) stop();
      await app.close();
    });
    return this;
  }

  /** The orchestrator dropping a stream on its own (a worker crash): its channels go. */
  drop(streamId: string): void {
    for (const suffix of ['', '-out', '-data', '-control', '-events']) this.trickle.remove(`${streamId}${suffix}`);
  }

  #url(name: string): string {
    return `${this.uri}${TRICKLE_HTTP_PATH}${name}`;
  }

  #startStream(reply: import('fastify').FastifyReply, id: string, job: JobRequest) {
    const refusal = this.script.startRefusal;
    if (refusal !== undefined) return reply.code(refusal.status).send(`${refusal.text}\n`);
    const params = parseStreamParameters(job.parameters);
    this.trickle.create(`${id}-control`, 'application/json', false);
    this.trickle.create(`${id}-events`, 'application/json', false);
    reply.header('X-Control-Url', this.#url(`${id}-control`)).header('X-Events-Url', this.#url(`${id}-events`));
    if (params.enableVideoIngress) {
      this.trickle.create(id, 'video/MP2T', false);
      reply.header('X-Publish-Url', this.#url(id));
    }
    if (params.enableVideoEgress) {
      this.trickle.create(`${id}-out`, 'video/MP2T', false);
      reply.header('X-Subscribe-Url', this.#url(`${id}-out`));
    }
    if (params.enableDataOutput) {
      this.trickle.create(`${id}-data`, 'application/jsonl', false);
      reply.header('X-Data-Url', this.#url(`${id}-data`));
    }
    if (params.enableVideoIngress) this.#work(id, params.enableVideoEgress, params.enableDataOutput);
    return reply.code(200).send('');
  }

  /** The "worker": reads the input channel, answers each segment on -out and -data. */
  #work(id: string, egress: boolean, data: boolean): void {
    const input = new TrickleSubscriber(this.#url(id), { start: 0 });
    const out = egress ? new TricklePublisher(this.#url(`${id}-out`)) : undefined;
    const lines = data ? new TricklePublisher(this.#url(`${id}-data`), { mimeType: 'application/jsonl' }) : undefined;
    let stopped = false;
    this.#workers.push(() => {
      stopped = true;
      input.close();
    });
    void (async () => {
      try {
        for await (const segment of input) {
          const text = (await segment.bytes()).toString('utf8');
          await out?.write(text.toUpperCase());
          await lines?.write(`${JSON.stringify({ seq: segment.seq, bytes: text.length })}\n`);
        }
      } catch {
        // The channel went away (stop or drop).
      } finally {
        if (!stopped) input.close();
        await Promise.all([out?.close(), lines?.close()].map((p) => p?.catch(() => undefined)));
      }
    })();
  }
}

