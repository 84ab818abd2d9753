/**
 * The gateway's TicketSender for one router (AI, segments, Live Runner): its account signs, the chain funds; none offchain.
 * The node's own account (chain/signing-account.ts) signs synchronously on the native backend; any other account goes through viem.
 */
import type { LocalAccount } from 'viem';
import type { KernelConfig } from '../../config/kernel-schema.js';
import { personalSign } from '../../network/index.js';
import { fromHex, personalBytesSignerOf, Rational, TicketSender, type TicketSigner } from '../../payments/index.js';
import type { TicketBatchObserver } from '../../payments/sender/ticket-sender.js';
import type { ChainPaymentSources } from '../../payments-chain/create-sources.js';

export function gatewayTicketSender(account: LocalAccount, chain: ChainPaymentSources | undefined, settings: Pick<KernelConfig['gateway'], 'maxTicketEV' | 'maxTotalEV'>, observer?: TicketBatchObserver): TicketSender | undefined {
  if (chain === undefined) return undefined;
  const local = personalBytesSignerOf(account);
  const signer: TicketSigner = {
    address: fromHex(account.address),
    signMessage: local !== undefined ? (message) => local.signPersonalBytes(message) : (message) => personalSign(account, message),
  };
  return new TicketSender({
    signer,
    rounds: chain.rounds,
    senderInfo: chain.senderInfo,
    limits: { maxEV: Rational.of(BigInt(settings.maxTicketEV)), maxTotalEV: Rational.of(BigInt(settings.maxTotalEV)) },
    ...(observer !== undefined ? { observer } : {}),
  });
}
