/**
 * The gateway's deposit and reserve on the TicketBroker: go-livepeer's
 * `livepeer_gateway_deposit` / `livepeer_gateway_reserve` (gwei, last value).
 * Read at scrape time from the sender-info source, which caches chain reads
 * (its TTL bounds the RPC load a scraper can cause); a failed read keeps the
 * last value rather than failing the whole /metrics answer.
 */
import type { Registry } from 'prom-client';
import type { SenderInfoSource } from '../payments/chain/sources.js';
import type { Address } from '../payments/encoding/address.js';
import { gaugeOf, livepeerBase, LIVEPEER_BASE_LABELS, weiToGwei } from './metric-kit.js';

export function gatewayFundsMetrics(registry: Registry, senderInfo: SenderInfoSource, sender: Address, onError: (error: unknown) => void = () => {}): void {
  const base = livepeerBase('bctr');
  let last: Promise<{ deposit: number; reserve: number } | undefined> | undefined;
  // One chain read per scrape serves both gauges (prom-client collects each separately).
  const read = (): Promise<{ deposit: number; reserve: number } | undefined> => {
    last ??= senderInfo
      .getSenderInfo(sender)
      .then(
        (info) => ({ deposit: weiToGwei(info.deposit), reserve: weiToGwei(info.reserve.fundsRemaining) }),
        (error: unknown) => {
          onError(error);
          return undefined;
        },
      )
      .finally(() => setTimeout(() => (last = undefined), 0).unref());
    return last;
  };
  gaugeOf(registry, 'livepeer_gateway_deposit', "This gateway's remaining TicketBroker deposit, in gwei.", LIVEPEER_BASE_LABELS, async function () {
    const funds = await read();
    if (funds !== undefined) this.set(base, funds.deposit);
  });
  gaugeOf(registry, 'livepeer_gateway_reserve', "This gateway's remaining TicketBroker reserve, in gwei.", LIVEPEER_BASE_LABELS, async function () {
    const funds = await read();
    if (funds !== undefined) this.set(base, funds.reserve);
  });
}
