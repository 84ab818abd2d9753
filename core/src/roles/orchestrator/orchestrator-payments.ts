/**
 * The orchestrator's money side on a chain: ticket params issued by a
 * Recipient, payments credited by a PaymentProcessor, and winning tickets
 * handed to the durable redemption queue (redeemed here when the node also
 * has the redeemer role, else by a redeemer process sharing Redis).
 */
import type { LocalAccount } from 'viem';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { orchestratorTicketMetrics, winningTicketsCounter } from '../role-metrics.js';
import { paymentReceiptMetrics } from '../../observability/payment-metrics.js';
import type { TeardownStack } from '../../boot/teardown-stack.js';
import type { KernelConfig } from '../../config/kernel-schema.js';
import { fromHex, PaymentProcessor, type Rational, Recipient, RedisCreditStore, SenderMonitor } from '../../payments/index.js';
import type { ChainPaymentSources } from '../../payments-chain/create-sources.js';
import { connectRedis } from '../../redis/connect.js';
import { startRedeemerRole } from '../../settlement/redeemer-role.js';
import type { Settlement } from '../../settlement/start-settlement.js';

export interface OrchestratorPayments {
  readonly recipient: Recipient;
  readonly processor: PaymentProcessor;
  readonly settlement: Settlement;
}

export interface OrchestratorPaymentsOptions {
  readonly config: KernelConfig;
  readonly chain: ChainPaymentSources;
  readonly account: LocalAccount;
  readonly redisUrl: string;
  readonly logger: Logger;
  readonly metrics: Registry;
  readonly teardown: TeardownStack;
}

export async function startOrchestratorPayments(options: OrchestratorPaymentsOptions): Promise<OrchestratorPayments> {
  const { config, chain, account, logger, teardown } = options;
  // Queue and ledger are this key's own (named by its address under the node's prefix);
  // the worker runs here only with the redeemer role, else a redeemer process works the queue.
  const settlement = await startRedeemerRole({ config, account, redisUrl: options.redisUrl, logger, metrics: options.metrics, teardown, runWorker: config.node.roles.includes('redeemer') });

  const address = fromHex(account.address);
  // Sender credit, nonces and the recipientRand secret in Redis, under this key's
  // own namespace: a restart keeps gateways' credit and still refuses replays (ADR 0106, 0107).
  const creditRedis = await connectRedis(options.redisUrl, { connectionName: 'lpx-credit', connectTimeoutMs: config.redis.connectTimeoutMs });
  teardown.push('credit redis', async () => {
    await creditRedis.quit().catch(() => creditRedis.disconnect());
  });
  const credits = new RedisCreditStore({ redis: creditRedis, prefix: config.redis.prefix, recipient: address });
  const lpxTicketMetrics = orchestratorTicketMetrics(options.metrics);
  // go-livepeer's names (livepeer_tickets_recv, _ticket_value_recv, ...) next to lpx's, and payment events.
  const receipts = paymentReceiptMetrics(options.metrics);
  const ticketMetrics = {
    refusals: { inc: (labels: { reason: string }) => (lpxTicketMetrics.refusals.inc(labels), receipts.refused()) },
    tickets: {
      received: (count: number) => (lpxTicketMetrics.tickets.received(count), receipts.received(count)),
      credited: (count: number, value?: Rational, sender?: string) => {
        lpxTicketMetrics.tickets.credited(count);
        if (value !== undefined) receipts.credited(count, value, sender ?? '');
      },
    },
  };
  const senderMonitor = new SenderMonitor({ claimant: address }, chain.rounds, chain.senderInfo);
  const recipient = new Recipient(
    { address, secret: await credits.recipientSecret(), economics: { ev: BigInt(config.orchestrator.ticketEV), maxFaceValue: BigInt(config.orchestrator.maxFaceValue) } },
    { rounds: chain.rounds, gasPrice: chain.gasPrice, senderMonitor, refusals: ticketMetrics.refusals },
  );
  const winners = winningTicketsCounter(options.metrics);
  const sink = {
    async add(record: Parameters<typeof settlement.sink.add>[0]) {
      await settlement.sink.add(record);
      winners.inc();
      receipts.winning({ ticketHash: record.ticketHash, sender: String(record.sender), recipient: String(record.recipient), faceValue: String(record.faceValue) });
    },
  };
  const processor = new PaymentProcessor({ recipient, credits, sink, rounds: chain.rounds, senderMonitor, activeSet: chain.activeSet, ...ticketMetrics });
  processor.start((err) => logger.warn({ err }, 'could not prune expired ticket nonces'));
  senderMonitor.start();
  teardown.push('recipient', () => {
    processor.stop();
    senderMonitor.stop();
  });
  return { recipient, processor, settlement };
}
