import type { ChainPublicClient } from './connection.js';

/**
 * Ticket expiration blocks and round lengths are counted in L1 (Ethereum)
 * blocks. On Arbitrum the L2 block number runs much faster, and the RPC block
 * header carries the L1 number in an extra `l1BlockNumber` field; on L1 and
 * on our dev chain the plain block number is the right clock.
 */
export type BlockNumberStrategy = 'native-block-number' | 'arbitrum-l1-block-number';

export interface BlockNumberSource {
  readonly strategy: BlockNumberStrategy;
  /** The latest block number on the clock tickets are measured against. */
  latest(): Promise<bigint>;
}

/** Arbitrum One and Arbitrum Sepolia report the L1 block in their headers. */
const ARBITRUM_CHAIN_IDS = new Set([42161, 421614]);

export function nativeBlockNumberSource(client: ChainPublicClient): BlockNumberSource {
  return {
    strategy: 'native-block-number',
    latest: () => client.getBlockNumber({ cacheTime: 0 }),
  };
}

interface RawHeader {
  number: `0x${string}`;
  l1BlockNumber?: `0x${string}`;
}

export function arbitrumL1BlockNumberSource(client: ChainPublicClient): BlockNumberSource {
  return {
    strategy: 'arbitrum-l1-block-number',
    async latest() {
      const header = (await client.request({
        method: 'eth_getBlockByNumber',
        params: ['latest', false],
      })) as unknown as RawHeader;
      // Same fallback as go-livepeer: a header without the field means the
      // node is not an Arbitrum node, and its own number is the L1 number.
      return BigInt(header.l1BlockNumber ?? header.number);
    },
  };
}

export function blockNumberSourceFor(client: ChainPublicClient, chainId: number): BlockNumberSource {
  return ARBITRUM_CHAIN_IDS.has(chainId) ? arbitrumL1BlockNumberSource(client) : nativeBlockNumberSource(client);
}
