// An orchestrator's payment side on Redis, built the way a node builds it at
// start (store → secret from Redis → Recipient → PaymentProcessor), so a second
// call on a new connection is what a restart (or a second instance) sees.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  PaymentProcessor,
  PrivateKeyTicketSigner,
  Rational,
  Recipient,
  RedisCreditStore,
  SenderMonitor,
  TicketSender,
  paymentFromBatch,
  paymentHeader,
  priceToInfo,
  type IssuedTicketParams,
  type RefusalCounter,
  type TicketCounters,
} from '../../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../../src/payments/testing/index.js';
import { CountingRefusals } from './fixture.js';

/** Chain state and one funded gateway, shared by every orchestrator instance of a test. */
export function chainWithGateway() {
  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  const gasPrice = new FixedGasPrice(2000n);
  const signer = new PrivateKeyTicketSigner(randomBytes(32));
  senderInfo.set(signer.address, { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const gateway = new TicketSender({ signer, rounds, senderInfo });
  const price = Rational.of(3n, 2n);

  /** `count` tickets on the params' ticket session (nonces continue where the last batch stopped). */
  async function pay(ticketSession: string, params: IssuedTicketParams, count: number): Promise<string> {
    const batch = await gateway.createTicketBatch(ticketSession, count);
    return paymentHeader(paymentFromBatch(batch, priceToInfo(params.price)));
  }

  return { rounds, senderInfo, gasPrice, signer, gateway, price, pay };
}

export type Chain = ReturnType<typeof chainWithGateway>;

export interface NodeOptions {
  readonly prefix: string;
  readonly address: Uint8Array;
  readonly refusals?: RefusalCounter;
  readonly tickets?: TicketCounters;
}

export async function orchestratorOn(redis: Redis, chain: Chain, options: NodeOptions) {
  const refusals = options.refusals ?? new CountingRefusals();
  const credits = new RedisCreditStore({ redis, prefix: options.prefix, recipient: options.address });
  const senderMonitor = new SenderMonitor({ claimant: options.address }, chain.rounds, chain.senderInfo);
  const recipient = new Recipient(
    { address: options.address, secret: await credits.recipientSecret(), economics: { ev: 1000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n } },
    { rounds: chain.rounds, gasPrice: chain.gasPrice, senderMonitor, refusals },
  );
  const sink = new InMemoryWinningTicketSink();
  const processor = new PaymentProcessor({ recipient, credits, sink, rounds: chain.rounds, senderMonitor, refusals, ...(options.tickets ? { tickets: options.tickets } : {}) });
  /** The counts, when the test did not bring its own counter. */
  const counted = refusals instanceof CountingRefusals ? refusals : undefined;
  return { credits, recipient, processor, sink, refusals, counted };
}
