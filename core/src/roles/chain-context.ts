import type { Logger } from 'pino';
import type { KernelConfig } from '../config/kernel-schema.js';
import { createChainPaymentSources, type ChainPaymentSources } from '../payments-chain/create-sources.js';
import type { TeardownStack } from '../boot/teardown-stack.js';

/** Chain sources shared by the roles of one node; undefined on an offchain node. */
export async function openChain(config: KernelConfig, logger: Logger, teardown: TeardownStack): Promise<ChainPaymentSources | undefined> {
  if (config.chain === undefined) return undefined;
  const sources = await createChainPaymentSources({
    rpcUrl: config.chain.rpcUrl,
    controller: config.chain.controller as `0x${string}`,
    ...(config.chain.pollIntervalMs !== undefined ? { pollIntervalMs: config.chain.pollIntervalMs } : {}),
    onError: (err) => logger.warn({ err }, 'chain refresh failed; keeping the last values'),
  });
  teardown.push('chain sources', () => sources.close());
  return sources;
}
