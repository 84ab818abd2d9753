import type { Address, ContractEventName, WatchContractEventOnLogsParameter } from 'viem';
import type { ChainPublicClient } from './connection.js';
import { ticketBrokerAbi } from './generated/abis.js';

export const TICKET_BROKER_EVENTS = [
  'DepositFunded',
  'ReserveFunded',
  'ReserveClaimed',
  'WinningTicketRedeemed',
  'WinningTicketTransfer',
  'Unlock',
  'UnlockCancelled',
  'Withdrawal',
] as const;
export type TicketBrokerEventName = (typeof TICKET_BROKER_EVENTS)[number];

export interface BrokerEventQuery {
  fromBlock?: bigint;
  toBlock?: bigint;
  /** Only events whose indexed sender / reserve holder is this address. */
  sender?: Address;
}

/** Past TicketBroker events, decoded, oldest first (what the sender watcher replays). */
export async function getTicketBrokerEvents(client: ChainPublicClient, ticketBroker: Address, query: BrokerEventQuery = {}) {
  const logs = await client.getContractEvents({
    address: ticketBroker,
    abi: ticketBrokerAbi,
    fromBlock: query.fromBlock ?? 0n,
    toBlock: query.toBlock ?? 'latest',
    strict: true,
  });
  if (query.sender === undefined) return logs;
  const wanted = query.sender.toLowerCase();
  return logs.filter((log) => {
    const args = log.args as { sender?: Address; reserveHolder?: Address };
    return (args.sender ?? args.reserveHolder)?.toLowerCase() === wanted;
  });
}

/** Live TicketBroker events; returns the unwatch function. */
export function watchTicketBrokerEvents(
  client: ChainPublicClient,
  ticketBroker: Address,
  onEvents: (events: WatchContractEventOnLogsParameter<typeof ticketBrokerAbi, ContractEventName<typeof ticketBrokerAbi>, true>) => void,
  onError?: (error: Error) => void,
): () => void {
  return client.watchContractEvent({
    address: ticketBroker,
    abi: ticketBrokerAbi,
    strict: true,
    onLogs: (logs) => onEvents(logs),
    ...(onError === undefined ? {} : { onError }),
  });
}
