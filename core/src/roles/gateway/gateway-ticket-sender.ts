/** The gateway's TicketSender for one router (AI, segments, Live Runner): its account signs, the chain funds; none offchain. */
import type { LocalAccount } from 'viem';
import type { KernelConfig } from '../../config/kernel-schema.js';
import { personalSign } from '../../network/index.js';
import { fromHex, Rational, TicketSender } from '../../payments/index.js';
import type { ChainPaymentSources } from '../../payments-chain/create-sources.js';

export function gatewayTicketSender(account: LocalAccount, chain: ChainPaymentSources | undefined, settings: Pick<KernelConfig['gateway'], 'maxTicketEV' | 'maxTotalEV'>): TicketSender | undefined {
  if (chain === undefined) return undefined;
  return new TicketSender({
    signer: { address: fromHex(account.address), signMessage: (message) => personalSign(account, message) },
    rounds: chain.rounds,
    senderInfo: chain.senderInfo,
    limits: { maxEV: Rational.of(BigInt(settings.maxTicketEV)), maxTotalEV: Rational.of(BigInt(settings.maxTotalEV)) },
  });
}
