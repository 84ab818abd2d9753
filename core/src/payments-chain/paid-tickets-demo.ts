/**
 * Pay and redeem end to end on a dev chain: a funded sender (gateway) pays an
 * orchestrator with probabilistic tickets through the Livepeer-Payment header,
 * the orchestrator credits their EV and hands winners to the settlement queue,
 * which redeems them once the params expire. Used by the payments-chain test
 * and by `npm run demo` (tickets=N winners=W redeemed=R).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { EmbeddedChain } from '../chain/embedded-anvil.js';
import { readRounds } from '../chain/rounds.js';
import { isTicketUsed, readSenderInfo } from '../chain/ticket-broker-reads.js';
import {
  Balances,
  GatewayPayer,
  MAX_WIN_PROB,
  PaymentProcessor,
  RedisCreditStore,
  PrivateKeyTicketSigner,
  Rational,
  Recipient,
  SenderMonitor,
  TicketSender,
  fromHex,
  priceToInfo,
  ticketEV,
  type PaymentReceipt,
  type WinningTicketRecord,
  type WinningTicketSink,
} from '../payments/index.js';
import { connectRedis } from '../redis/connect.js';
import { redemptionJobId } from '../settlement/redemption-ticket.js';
import { startSettlement } from '../settlement/start-settlement.js';
import { createChainPaymentSources } from './create-sources.js';

const ETH = 10n ** 18n;

export interface PaidTicketsOptions {
  chain: Pick<EmbeddedChain, 'rpcUrl' | 'controller' | 'accounts' | 'mine' | 'advanceRounds'>;
  redisUrl: string;
  /** Tickets in the one payment (default 10). */
  tickets?: number;
  /** Ticket face value in wei (default 0.01 ETH): large enough that redeeming pays for its gas. */
  faceValue?: bigint;
  /** Ticket EV in wei (default 80 % of the face value, so most tickets win). */
  ev?: bigint;
  /** How long to wait for all winners to be redeemed (default 60 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface PaidTicketsResult {
  tickets: number;
  winners: number;
  redeemed: number;
  depositBefore: bigint;
  depositAfter: bigint;
  /** Sum of the winners' face values (what the deposit should have paid). */
  winningFaceValue: bigint;
  faceValue: bigint;
  winProb: bigint;
  /** EV credited to the sender's session by the orchestrator, as a rational string. */
  credited: string;
  /** What the replayed header credited (always '0' when replay protection works). */
  replayCredited: string;
  /** The error code the replay was refused with (undefined if it was not refused). */
  replayRefusal: string | undefined;
  /** The winning tickets as handed to the settlement queue. */
  winningTickets: WinningTicketRecord[];
  receipt: PaymentReceipt;
}

/** Runs one paid session and its settlement; resolves once every winner is redeemed on-chain. */
export async function runPaidTickets(options: PaidTicketsOptions): Promise<PaidTicketsResult> {
  const { chain } = options;
  const count = options.tickets ?? 10;
  const faceValueWanted = options.faceValue ?? ETH / 100n;
  const ev = options.ev ?? (faceValueWanted * 4n) / 5n;
  const log = options.log ?? (() => {});
  const orchestratorAccount = chain.accounts.find((a) => a.role === 'orchestrator');
  const senderAccount = chain.accounts.find((a) => a.role === 'sender');
  if (orchestratorAccount === undefined || senderAccount === undefined) throw new Error('the chain needs an orchestrator and a funded sender account');

  // Start at the beginning of a round so ticket params expire (40 blocks) within it.
  await chain.advanceRounds(1);

  const sources = await createChainPaymentSources({ rpcUrl: chain.rpcUrl, controller: chain.controller, senderInfoTtlMs: 500 });
  const redis = await connectRedis(options.redisUrl);
  const tag = randomBytes(4).toString('hex');
  const settlement = await startSettlement({
    rpcUrl: chain.rpcUrl,
    controller: chain.controller,
    redis,
    account: privateKeyToAccount(orchestratorAccount.privateKey),
    // Its own prefix, so demo runs sharing a Redis never see each other's queue.
    redisPrefix: `{lpx-paid-tickets-${tag}}`,
    maxAttempts: 5,
    worker: { l1BlockTimeMs: 20, minRecheckMs: 40, maxRecheckMs: 200, retryBaseMs: 50, retryMaxMs: 200 },
  });
  try {
    await sources.refresh();
    const client = sources.publicClient;
    const broker = sources.addresses.ticketBroker;

    // Orchestrator side.
    const winners: WinningTicketRecord[] = [];
    const sink: WinningTicketSink = {
      async add(record) {
        await settlement.sink.add(record);
        winners.push(record);
      },
    };
    const orchestrator = fromHex(orchestratorAccount.address);
    const senderMonitor = new SenderMonitor({ claimant: orchestrator }, sources.rounds, sources.senderInfo);
    const recipient = new Recipient(
      { address: orchestrator, economics: { ev, maxFaceValue: faceValueWanted } },
      { rounds: sources.rounds, gasPrice: sources.gasPrice, senderMonitor },
    );
    const credits = new RedisCreditStore({ redis, prefix: `{lpx-paid-tickets-${tag}}`, recipient: orchestrator });
    const processor = new PaymentProcessor({ recipient, credits, sink, rounds: sources.rounds, senderMonitor, activeSet: sources.activeSet });
    processor.start();

    // Gateway side: limits raised so it accepts this deliberately high ticket EV.
    const signer = new PrivateKeyTicketSigner(fromHex(senderAccount.privateKey));
    const ticketSender = new TicketSender({
      signer,
      rounds: sources.rounds,
      senderInfo: sources.senderInfo,
      limits: { maxEV: Rational.of(ev * 2n), maxTotalEV: Rational.of(ev * 2n * BigInt(count)) },
    });
    const payer = new GatewayPayer(ticketSender, new Balances());

    try {
      const price = Rational.of(1n);
      const params = await recipient.ticketParams(signer.address, price);
      const sessionId = `paid-${tag}`;
      const session = payer.startSession(params, priceToInfo(price), sessionId);
      const ticketEv = ticketEV(params.faceValue, params.winProb);
      const prepared = await payer.preparePayment(session, ticketEv.mulInt(BigInt(count)));
      prepared.update.sent();
      log(`payment: ${prepared.numTickets} tickets faceValue=${params.faceValue} winProb≈${(params.winProb * 100n) / MAX_WIN_PROB}%`);

      const depositBefore = (await readSenderInfo(client, broker, senderAccount.address)).deposit;
      const receipt = await processor.processPayment(prepared.header, sessionId);
      const credited = (await processor.balance(signer.address, sessionId)) ?? Rational.ZERO;

      // A replayed header must credit nothing and queue nothing.
      let replayRefusal: string | undefined;
      try {
        await processor.processPayment(prepared.header, sessionId);
      } catch (error) {
        replayRefusal = (error as { code?: string }).code ?? 'error';
      }
      const afterReplay = (await processor.balance(signer.address, sessionId)) ?? Rational.ZERO;
      const replayCredited = afterReplay.sub(credited);
      log(`orchestrator credited ${receipt.creditedTickets} tickets, ${receipt.winningTickets} winners queued; replay ${replayRefusal ?? 'accepted'}`);

      // Let the params expire; the worker redeems once the expiration block is behind.
      const head = await client.getBlockNumber({ cacheTime: 0 });
      if (params.expirationBlock >= head) await chain.mine(params.expirationBlock - head + 1n);

      const wanted = new Set(winners.map((w) => w.ticketHash.toLowerCase()));
      const deadline = Date.now() + (options.timeoutMs ?? 30_000);
      for (;;) {
        const redeemedHashes = new Set((await settlement.ledger.redeemed()).map((e) => e.ticketHash.toLowerCase()));
        if ([...wanted].every((h) => redeemedHashes.has(h))) break;
        const failed = (await settlement.ledger.failed()).filter((e) => wanted.has(e.ticketHash.toLowerCase()));
        if (failed.length > 0) throw new Error(`winning ticket ${failed[0]!.ticketHash} failed to redeem: ${failed[0]!.reason}`);
        if (Date.now() > deadline) {
          const missing = [...wanted].filter((h) => !redeemedHashes.has(h));
          const states = await Promise.all(
            missing.map(async (h) => {
              const job = await settlement.sink.queue.getJob(redemptionJobId(h));
              return `${h}: ${job === undefined ? 'no job' : `${await job.getState()} attempts=${job.attemptsMade} ${job.failedReason ?? ''}`}`;
            }),
          );
          throw new Error(`timed out waiting for ${missing.length} winning ticket(s) to be redeemed (${states.join('; ')})`);
        }
        // Redemptions mine blocks too. The next tx lands in the next block, so at a
        // round's last block (or in an uninitialized round) move on and initialize
        // the round, as go-livepeer's round initializer would on a live chain.
        const state = await readRounds(client, sources.addresses.roundsManager);
        const next = (await client.getBlockNumber({ cacheTime: 0 })) + 1n;
        if (!state.currentRoundInitialized) await chain.advanceRounds(0);
        else if (next >= state.currentRoundStartBlock + state.roundLength) await chain.advanceRounds(1);
        await sleep(50);
      }
      let redeemed = 0;
      for (const w of winners) if (await isTicketUsed(client, broker, w.ticketHash as Hex)) redeemed++;
      const depositAfter = (await readSenderInfo(client, broker, senderAccount.address)).deposit;
      const winningFaceValue = winners.reduce((sum, w) => sum + BigInt(w.faceValue), 0n);
      log(`tickets=${receipt.tickets} winners=${winners.length} redeemed=${redeemed} deposit ${depositBefore} → ${depositAfter}`);

      return {
        tickets: receipt.tickets,
        winners: winners.length,
        redeemed,
        depositBefore,
        depositAfter,
        winningFaceValue,
        faceValue: params.faceValue,
        winProb: params.winProb,
        credited: credited.toString(),
        replayCredited: replayCredited.toString(),
        replayRefusal,
        winningTickets: winners,
        receipt,
      };
    } finally {
      processor.stop();
      senderMonitor.stop();
    }
  } finally {
    await settlement.close();
    await sources.close();
    await redis.quit().catch(() => redis.disconnect());
  }
}
