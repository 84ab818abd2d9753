// A gateway and an orchestrator wired together over in-memory chain state.
import { randomBytes } from 'node:crypto';
import type { LpxError } from '@lpx/sdk';
import {
  Balances,
  PaymentProcessor,
  PrivateKeyTicketSigner,
  Rational,
  Recipient,
  SenderMonitor,
  TicketSender,
  paymentFromBatch,
  paymentHeader,
  priceToInfo,
  type IssuedTicketParams,
  type Payment,
  type TicketEconomics,
} from '../../../src/payments/index.js';
import { FixedGasPrice, InMemoryRoundsSource, InMemorySenderInfoSource, InMemoryWinningTicketSink } from '../../../src/payments/testing/index.js';

export class CountingRefusals {
  readonly counts = new Map<string, number>();
  inc(labels: { reason: string }): void {
    this.counts.set(labels.reason, (this.counts.get(labels.reason) ?? 0) + 1);
  }
  get(reason: string): number {
    return this.counts.get(reason) ?? 0;
  }
}

export interface FixtureOptions {
  economics?: Partial<TicketEconomics>;
  gasPrice?: bigint;
  price?: Rational;
}

/** ~50 % winning tickets by default (faceValue 2000, EV 1000) so winners show up in small batches. */
export function createFixture(options: FixtureOptions = {}) {
  const rounds = new InMemoryRoundsSource();
  const senderInfo = new InMemorySenderInfoSource();
  const gasPrice = new FixedGasPrice(options.gasPrice ?? 2000n);
  const refusals = new CountingRefusals();
  const sink = new InMemoryWinningTicketSink();
  const orchestratorAddress = randomBytes(20);
  const secret = randomBytes(32);
  const senderMonitor = new SenderMonitor({ claimant: orchestratorAddress }, rounds, senderInfo);
  const recipient = new Recipient(
    { address: orchestratorAddress, secret, economics: { ev: 1000n, redeemGas: 1n, txCostMultiplier: 1n, maxFaceValue: 0n, ...options.economics } },
    { rounds, gasPrice, senderMonitor, refusals },
  );
  const balances = new Balances();
  const processor = new PaymentProcessor({ recipient, balances, sink, rounds, senderMonitor, refusals });

  const signer = new PrivateKeyTicketSigner(randomBytes(32));
  const funded = { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } };
  senderInfo.set(signer.address, funded);
  const sender = new TicketSender({ signer, rounds, senderInfo });
  const price = options.price ?? Rational.of(3n, 2n);

  async function issue(): Promise<IssuedTicketParams> {
    return recipient.ticketParams(signer.address, price);
  }

  /** Issues params, signs `count` tickets and returns the payment and its header. */
  async function pay(count: number, params?: IssuedTicketParams): Promise<{ payment: Payment; header: string; params: IssuedTicketParams; sessionId: string }> {
    const issued = params ?? (await issue());
    const sessionId = sender.startSession(issued);
    const batch = await sender.createTicketBatch(sessionId, count);
    const payment = paymentFromBatch(batch, priceToInfo(issued.price));
    return { payment, header: paymentHeader(payment), params: issued, sessionId };
  }

  return { rounds, senderInfo, gasPrice, refusals, sink, orchestratorAddress, secret, senderMonitor, recipient, balances, processor, signer, sender, price, issue, pay, funded };
}

export async function rejection(promise: Promise<unknown>): Promise<LpxError> {
  try {
    await promise;
  } catch (error) {
    return error as LpxError;
  }
  throw new Error('expected a rejection');
}

export function thrown(fn: () => unknown): LpxError {
  try {
    fn();
  } catch (error) {
    return error as LpxError;
  }
  throw new Error('expected a throw');
}
