/**
 * Viem-backed implementations of the payments chain interfaces
 * (core/src/payments/chain/sources.ts). Per-ticket reads (rounds, gas price)
 * are synchronous and served from a cache. A block poller (create-sources.ts)
 * asks for the block number every poll interval; the round state behind the
 * cache is re-read only when the round changed, as go-livepeer's TimeWatcher
 * does on a NewRound event (ADR 0060). Per-sender reads go to the RPC behind
 * a short TTL cache. Bigints only.
 */
import { zeroHash, type Address as ViemAddress, type Hex } from 'viem';
import type { BlockNumberSource } from '../chain/block-number.js';
import { readActiveSet, transcoderPoolSize } from '../chain/bonding.js';
import type { ChainPublicClient } from '../chain/connection.js';
import type { ProtocolAddresses } from '../chain/protocol-addresses.js';
import { roundsManagerAbi } from '../chain/generated/abis.js';
import { blockHashForRound } from '../chain/rounds.js';
import { claimedReserve, readSenderInfo } from '../chain/ticket-broker-reads.js';
import type { ActiveSetSource, GasPriceSource, RoundsSource, SenderInfo, SenderInfoSource } from '../payments/chain/sources.js';
import { addressKey, toChecksumAddress, type Address } from '../payments/encoding/address.js';
import { fromHex } from '../payments/encoding/bytes.js';

interface RoundsSnapshot {
  lastInitializedRound: bigint;
  lastInitializedL1BlockHash: Uint8Array;
  preLastInitializedL1BlockHash: Uint8Array;
  lastSeenL1Block: bigint;
  transcoderPoolSize: bigint;
}

const ZERO_HASH = new Uint8Array(32);

function hashBytes(hex: Hex): Uint8Array {
  return hex === zeroHash ? ZERO_HASH : fromHex(hex);
}

function readLastInitializedRound(client: ChainPublicClient, addresses: ProtocolAddresses): Promise<bigint> {
  return client.readContract({ address: addresses.roundsManager, abi: roundsManagerAbi, functionName: 'lastInitializedRound' });
}

/**
 * Reads the state of `round` (its block hash, the one before, the pool size).
 * When `previous` is the round just before, its hash is the new pre-hash and
 * is not read again (go-livepeer does the same on consecutive NewRound events).
 */
async function readRoundsSnapshot(
  client: ChainPublicClient,
  addresses: ProtocolAddresses,
  l1Block: bigint,
  round: bigint,
  previous?: RoundsSnapshot,
): Promise<RoundsSnapshot> {
  const preKnown = previous !== undefined && previous.lastInitializedRound + 1n === round;
  const [hash, preHash, poolSize] = await Promise.all([
    blockHashForRound(client, addresses.roundsManager, round),
    preKnown ? undefined : round > 0n ? blockHashForRound(client, addresses.roundsManager, round - 1n) : Promise.resolve(zeroHash as Hex),
    transcoderPoolSize(client, addresses.bondingManager),
  ]);
  return {
    lastInitializedRound: round,
    lastInitializedL1BlockHash: hashBytes(hash),
    preLastInitializedL1BlockHash: preHash === undefined ? previous!.lastInitializedL1BlockHash : hashBytes(preHash),
    lastSeenL1Block: l1Block,
    transcoderPoolSize: poolSize,
  };
}

/**
 * RoundsSource from the RoundsManager and BondingManager. `refresh()` reads
 * the block number; on a new block it checks `lastInitializedRound` (one
 * eth_call) and re-reads the round's hashes and the pool size only when that
 * changed. The owning ChainPaymentSources calls it every poll interval.
 */
export class ChainRoundsSource implements RoundsSource {
  private readonly listeners = new Set<(block: bigint) => void>();

  private constructor(
    private readonly client: ChainPublicClient,
    private readonly addresses: ProtocolAddresses,
    private readonly blocks: BlockNumberSource,
    private snapshot: RoundsSnapshot,
  ) {}

  static async create(client: ChainPublicClient, addresses: ProtocolAddresses, blocks: BlockNumberSource): Promise<ChainRoundsSource> {
    const [block, round] = await Promise.all([blocks.latest(), readLastInitializedRound(client, addresses)]);
    return new ChainRoundsSource(client, addresses, blocks, await readRoundsSnapshot(client, addresses, block, round));
  }

  lastInitializedRound(): bigint {
    return this.snapshot.lastInitializedRound;
  }
  lastInitializedL1BlockHash(): Uint8Array {
    return this.snapshot.lastInitializedL1BlockHash;
  }
  preLastInitializedL1BlockHash(): Uint8Array {
    return this.snapshot.preLastInitializedL1BlockHash;
  }
  lastSeenL1Block(): bigint {
    return this.snapshot.lastSeenL1Block;
  }
  transcoderPoolSize(): bigint {
    return this.snapshot.transcoderPoolSize;
  }

  subscribeL1Blocks(listener: (block: bigint) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Reads the latest L1 block; when it moved (or `force`), checks whether the
   * round changed and re-reads the round state if it did (`force`: always),
   * then tells block subscribers. Returns whether the block changed.
   */
  async refresh(force = false): Promise<boolean> {
    const block = await this.blocks.latest();
    const moved = block !== this.snapshot.lastSeenL1Block;
    if (!moved && !force) return false;
    const round = await readLastInitializedRound(this.client, this.addresses);
    if (force || round !== this.snapshot.lastInitializedRound) {
      // A forced re-read or a round that went backwards (a reorg) trusts nothing cached.
      const previous = force || round < this.snapshot.lastInitializedRound ? undefined : this.snapshot;
      this.snapshot = await readRoundsSnapshot(this.client, this.addresses, block, round, previous);
    } else {
      this.snapshot = { ...this.snapshot, lastSeenL1Block: block };
    }
    if (moved) {
      for (const listener of [...this.listeners]) {
        try {
          listener(block);
        } catch {
          // a subscriber's failure must not stop the others
        }
      }
    }
    return moved;
  }
}

export interface SenderInfoCacheOptions {
  /** How long a sender's info is served from cache; default 5 s. 0 disables caching. */
  ttlMs?: number;
  now?: () => number;
}

/** SenderInfoSource from TicketBroker.getSenderInfo / claimedReserve, with a short TTL cache. */
export class ChainSenderInfoSource implements SenderInfoSource {
  private readonly infos = new Map<string, { at: number; value: Promise<SenderInfo> }>();
  private readonly claimed = new Map<string, { at: number; value: Promise<bigint> }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: ChainPublicClient,
    private readonly ticketBroker: ViemAddress,
    options: SenderInfoCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  private cached<T>(map: Map<string, { at: number; value: Promise<T> }>, key: string, read: () => Promise<T>): Promise<T> {
    const now = this.now();
    const hit = map.get(key);
    if (hit !== undefined && now - hit.at < this.ttlMs) return hit.value;
    const value = read();
    map.set(key, { at: now, value });
    // A failed read is not cached.
    value.catch(() => {
      if (map.get(key)?.value === value) map.delete(key);
    });
    return value;
  }

  getSenderInfo(sender: Address): Promise<SenderInfo> {
    return this.cached(this.infos, addressKey(sender), async () => {
      const info = await readSenderInfo(this.client, this.ticketBroker, toChecksumAddress(sender));
      return {
        deposit: info.deposit,
        withdrawRound: info.withdrawRound,
        reserve: { fundsRemaining: info.reserve.fundsRemaining, claimedInCurrentRound: info.reserve.claimedInCurrentRound },
      };
    });
  }

  claimedReserve(reserveHolder: Address, claimant: Address): Promise<bigint> {
    return this.cached(this.claimed, `${addressKey(reserveHolder)}:${addressKey(claimant)}`, () =>
      claimedReserve(this.client, this.ticketBroker, toChecksumAddress(reserveHolder), toChecksumAddress(claimant)),
    );
  }

  clear(sender: Address): void {
    const key = addressKey(sender);
    this.infos.delete(key);
    for (const k of [...this.claimed.keys()]) if (k.startsWith(`${key}:`)) this.claimed.delete(k);
  }

  /** Drops every cached entry (e.g. after a redemption changed deposits). */
  clearAll(): void {
    this.infos.clear();
    this.claimed.clear();
  }
}

/** GasPriceSource: eth_gasPrice, cached and refreshed per block. */
export class ChainGasPriceSource implements GasPriceSource {
  private constructor(
    private readonly client: ChainPublicClient,
    private price: bigint,
  ) {}

  static async create(client: ChainPublicClient): Promise<ChainGasPriceSource> {
    return new ChainGasPriceSource(client, await client.getGasPrice());
  }

  gasPrice(): bigint {
    return this.price;
  }

  async refresh(): Promise<bigint> {
    this.price = await this.client.getGasPrice();
    return this.price;
  }
}

/**
 * ActiveSetSource: the BondingManager transcoder pool, read once per round and
 * cached. The contract answers for the current pool only, so a round's set is
 * whatever the pool held when that round was first asked about.
 */
export class ChainActiveSetSource implements ActiveSetSource {
  private readonly byRound = new Map<bigint, Promise<Set<string>>>();
  /** Rounds kept in the cache. */
  private static readonly KEEP = 4;

  constructor(
    private readonly client: ChainPublicClient,
    private readonly bondingManager: ViemAddress,
  ) {}

  private members(round: bigint): Promise<Set<string>> {
    let entry = this.byRound.get(round);
    if (entry === undefined) {
      entry = readActiveSet(this.client, this.bondingManager).then((set) => new Set(set.map((t) => t.address.toLowerCase())));
      const pending = entry;
      pending.catch(() => {
        if (this.byRound.get(round) === pending) this.byRound.delete(round);
      });
      this.byRound.set(round, entry);
      while (this.byRound.size > ChainActiveSetSource.KEEP) {
        const oldest = [...this.byRound.keys()].reduce((a, b) => (a < b ? a : b));
        this.byRound.delete(oldest);
      }
    }
    return entry;
  }

  async isActive(orchestrator: Address, round: bigint): Promise<boolean> {
    return (await this.members(round)).has(addressKey(orchestrator));
  }
}
