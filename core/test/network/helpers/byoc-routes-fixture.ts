// The BYOC routes fixture: a real fastify server on loopback, paid with real tickets
// (Recipient + PaymentProcessor on the orchestrator, TicketSender + GatewayPayer on the gateway).
import type { Test } from 'tap';
import { fastify } from 'fastify';
import { request } from 'undici';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { fetchJobToken, JobDedupe, jobSenderFor, postJob, registerJobRoutes, type JobClaim, type JobDispatchInput, type JobDispatchResult, type JobRoutesDeps } from '../../../src/network/byoc/index.js';
import { Balances, fromHex, GatewayPayer, PaymentProcessor, PrivateKeyTicketSigner, Recipient, SenderMonitor, TicketSender, type PreparedPayment } from '../../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../../src/payments/testing/index.js';

export const CAP = 'echo';
export const PRICE = { pricePerUnit: 10n, pixelsPerUnit: 1n }; // 10 wei per second

/** Sees every dedupe claim, so a test can wait for a retry to be parked on a running job. */
export class ObservedDedupe extends JobDedupe {
  readonly kinds: string[] = [];
  private waiters: Array<() => void> = [];
  override claim(key: string, fingerprint: string): JobClaim {
    const claim = super.claim(key, fingerprint);
    this.kinds.push(claim.kind);
    for (const w of this.waiters.splice(0)) w();
    return claim;
  }
  async until(kind: string): Promise<void> {
    while (!this.kinds.includes(kind)) await new Promise<void>((r) => this.waiters.push(r));
  }
}

export interface FixtureOptions {
  offchain?: boolean;
  capacity?: number;
  validate?: JobRoutesDeps['validate'];
  dispatch?: (input: JobDispatchInput) => Promise<JobDispatchResult>;
}

export async function start(t: Test, options: FixtureOptions = {}) {
  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  const orchestratorAddress = fromHex(privateKeyToAccount(generatePrivateKey()).address);
  const senderMonitor = new SenderMonitor({ claimant: orchestratorAddress }, rounds, senderInfo);
  const recipient = new Recipient(
    { address: orchestratorAddress, economics: { ev: 1000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } },
    { rounds, gasPrice: new FixedGasPrice(2000n), senderMonitor },
  );
  const sink = new InMemoryWinningTicketSink();
  const processor = new PaymentProcessor({ recipient, balances: new Balances(), sink, rounds, senderMonitor });

  const key = generatePrivateKey();
  const gateway = privateKeyToAccount(key);
  const ticketSigner = new PrivateKeyTicketSigner(fromHex(key));
  senderInfo.set(ticketSigner.address, { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const payer = new GatewayPayer(new TicketSender({ signer: ticketSigner, rounds, senderInfo }), new Balances());

  let clock = 1_000_000;
  let capacity = options.capacity ?? 2;
  const dispatched: JobDispatchInput[] = [];
  const dedupe = new ObservedDedupe({ now: () => clock });
  const deps: JobRoutesDeps<{ n: number }> = {
    ...(options.offchain ? {} : { payments: { processor, recipient } }),
    priceFor: (capability) => (capability === CAP ? PRICE : undefined),
    ...(options.validate !== undefined ? { validate: options.validate } : {}),
    admit: (capability) => (capability === CAP && capacity > 0 ? { n: capacity-- } : undefined),
    release: () => void capacity++,
    availableCapacity: () => capacity,
    dispatch: async (input) => {
      dispatched.push(input);
      if (options.dispatch) return options.dispatch(input);
      clock += 2_500; // 2.5 s of work → 3 billed seconds
      return { contentType: 'application/json', body: JSON.stringify({ echo: input.body.toString('utf8'), path: input.subpath }) };
    },
    serviceAddr: () => uri,
    now: () => clock,
    dedupe,
  };
  const app = fastify();
  registerJobRoutes(app, deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const uri = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  t.teardown(() => app.close());

  const sender = await jobSenderFor(gateway);
  const senderAddress = ticketSigner.address;

  /** Fetches a token and prepares a payment covering `seconds` of work, as go-livepeer's gateway does. */
  async function pay(seconds: bigint): Promise<PreparedPayment> {
    const token = await fetchJobToken({ serviceUri: uri, capability: CAP, sender });
    const session = payer.startSession(token.ticketParams!, token.price!, CAP);
    const prepared = await payer.preparePayment(session, payer.fee(session, seconds));
    prepared.update.sent();
    return prepared;
  }

  function post(id: string, payment: string | undefined, extra: { body?: string; parameters?: string; capability?: string } = {}) {
    return postJob({
      serviceUri: uri,
      capability: extra.capability ?? CAP,
      subpath: 'run',
      request: '{}',
      parameters: extra.parameters ?? '{}',
      body: extra.body ?? 'hello',
      contentType: 'text/plain',
      timeoutMs: 60_000,
      signer: gateway,
      payment,
      requestId: id,
    });
  }

  const balance = () => processor.balance(senderAddress, CAP);
  return { uri, app, processor, recipient, sink, gateway, sender, senderAddress, pay, post, balance, dispatched, dedupe, setCapacity: (n: number) => (capacity = n), deps };
}

export async function refusal(promise: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; details: Record<string, unknown> };
  }
  throw new Error('expected a refusal');
}

