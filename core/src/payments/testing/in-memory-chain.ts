/**
 * TEST DOUBLES. In-memory chain state for tests in which the chain is not the
 * thing under test. Production wires the viem-backed sources from core/src/chain.
 */
import type { ActiveSetSource, GasPriceSource, RoundsSource, SenderInfo, SenderInfoSource } from '../chain/sources.js';
import { addressKey, type Address } from '../encoding/address.js';

export class InMemoryRoundsSource implements RoundsSource {
  round: bigint;
  blockHash: Uint8Array;
  preBlockHash: Uint8Array;
  l1Block: bigint;
  poolSize: bigint;
  private readonly listeners = new Set<(block: bigint) => void>();

  constructor(init: { round?: bigint; blockHash?: Uint8Array; preBlockHash?: Uint8Array; l1Block?: bigint; poolSize?: bigint } = {}) {
    this.round = init.round ?? 100n;
    this.blockHash = init.blockHash ?? new Uint8Array(32).fill(0xab);
    this.preBlockHash = init.preBlockHash ?? new Uint8Array(32).fill(0xcd);
    this.l1Block = init.l1Block ?? 1_000n;
    this.poolSize = init.poolSize ?? 10n;
  }

  lastInitializedRound(): bigint {
    return this.round;
  }
  lastInitializedL1BlockHash(): Uint8Array {
    return this.blockHash;
  }
  preLastInitializedL1BlockHash(): Uint8Array {
    return this.preBlockHash;
  }
  lastSeenL1Block(): bigint {
    return this.l1Block;
  }
  transcoderPoolSize(): bigint {
    return this.poolSize;
  }
  subscribeL1Blocks(listener: (block: bigint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Moves the L1 head forward and tells subscribers. */
  advanceL1Blocks(count: bigint): void {
    this.l1Block += count;
    for (const listener of this.listeners) listener(this.l1Block);
  }
}

export class InMemorySenderInfoSource implements SenderInfoSource {
  private readonly infos = new Map<string, SenderInfo>();
  private readonly claimed = new Map<string, bigint>();
  readonly cleared: string[] = [];
  /** When set, every read rejects with it (an RPC outage). */
  failure: Error | undefined;

  set(sender: Address, info: SenderInfo): void {
    this.infos.set(addressKey(sender), info);
  }

  setClaimed(sender: Address, claimant: Address, amount: bigint): void {
    this.claimed.set(`${addressKey(sender)}:${addressKey(claimant)}`, amount);
  }

  async getSenderInfo(sender: Address): Promise<SenderInfo> {
    if (this.failure) throw this.failure;
    return this.infos.get(addressKey(sender)) ?? { deposit: 0n, withdrawRound: 0n, reserve: { fundsRemaining: 0n, claimedInCurrentRound: 0n } };
  }

  async claimedReserve(reserveHolder: Address, claimant: Address): Promise<bigint> {
    if (this.failure) throw this.failure;
    return this.claimed.get(`${addressKey(reserveHolder)}:${addressKey(claimant)}`) ?? 0n;
  }

  clear(sender: Address): void {
    this.cleared.push(addressKey(sender));
  }
}

export class FixedGasPrice implements GasPriceSource {
  constructor(public price: bigint) {}
  gasPrice(): bigint {
    return this.price;
  }
}

export class InMemoryActiveSet implements ActiveSetSource {
  private readonly active = new Set<string>();
  constructor(members: Address[] = []) {
    for (const m of members) this.active.add(addressKey(m));
  }
  add(member: Address): void {
    this.active.add(addressKey(member));
  }
  async isActive(orchestrator: Address): Promise<boolean> {
    return this.active.has(addressKey(orchestrator));
  }
}
