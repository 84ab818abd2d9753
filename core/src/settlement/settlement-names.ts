import type { Address } from 'viem';

/** Base name of every redemption queue; each recipient's queue appends its address. */
export const REDEMPTION_QUEUE_NAME = 'lpx-ticket-redemption';
/** The one shared queue lpx used before queues were per recipient (BullMQ's default `bull` prefix). */
export const LEGACY_REDEMPTION_QUEUE = { name: REDEMPTION_QUEUE_NAME, prefix: 'bull' } as const;

/** Where one recipient's settlement lives in Redis. */
export interface SettlementNames {
  /** Lower-case 0x address of the recipient (the signing account). */
  address: Address;
  /** BullMQ queue name, `lpx-ticket-redemption.<address>`. */
  queueName: string;
  /** BullMQ key prefix, `<redis.prefix>:settlement`. */
  bullPrefix: string;
  /** Ledger hash keys start here: `<redis.prefix>:settlement:<address>`. */
  ledgerPrefix: string;
}

/**
 * Names derive from the redis prefix and the account address only, so an
 * orchestrator and a separate `redeemer` process holding the same key find
 * the same queue and ledger, and two orchestrators sharing one Redis never
 * share either. A hash-tagged prefix (`{lpx}`) keeps them in one cluster slot.
 */
export function settlementNames(redisPrefix: string, address: string): SettlementNames {
  const lower = address.toLowerCase() as Address;
  const bullPrefix = `${redisPrefix}:settlement`;
  return { address: lower, queueName: `${REDEMPTION_QUEUE_NAME}.${lower}`, bullPrefix, ledgerPrefix: `${bullPrefix}:${lower}` };
}

/** Another recipient's names under the same node prefix (where a misrouted ticket is handed). */
export function siblingNames(own: SettlementNames, address: string): SettlementNames {
  const lower = address.toLowerCase() as Address;
  return { address: lower, queueName: `${REDEMPTION_QUEUE_NAME}.${lower}`, bullPrefix: own.bullPrefix, ledgerPrefix: `${own.bullPrefix}:${lower}` };
}
