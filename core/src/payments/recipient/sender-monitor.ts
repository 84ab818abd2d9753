/**
 * What the orchestrator knows about each sender it takes tickets from: how much of
 * the sender's reserve is this orchestrator's to claim (max float), which face
 * value is pending redemption, and whether the sender is about to withdraw.
 */
import { isUnlockingSoon, type RoundsSource, type SenderInfo, type SenderInfoSource } from '../chain/sources.js';
import { addressKey, toChecksumAddress, type Address } from '../encoding/address.js';
import { paymentErrors, refusal } from '../errors.js';

export const DEFAULT_SENDER_TTL_MS = 172_800_000;
export const DEFAULT_SENDER_CLEANUP_INTERVAL_MS = 600_000;
/**
 * Senders tracked at most. Any key can sign a valid-looking payment, so the
 * number of distinct senders is the attacker's choice; past the cap the
 * longest-idle sender with nothing pending and nobody listening is forgotten
 * (it is re-read from the chain if it comes back).
 */
export const DEFAULT_MAX_TRACKED_SENDERS = 50_000;
/** Pending face value is ignored while the deposit covers it this many times. */
export const MIN_DEPOSIT_PENDING_RATIO = 3n;

export interface SenderMonitorConfig {
  /** The address that claims from sender reserves: this orchestrator's ticket recipient. */
  readonly claimant: Address;
  readonly ttlMs?: number;
  readonly cleanupIntervalMs?: number;
  readonly maxSenders?: number;
  readonly now?: () => number;
}

interface TrackedSender {
  readonly address: Address;
  pending: bigint;
  lastAccess: number;
  readonly listeners: Set<() => void>;
}

export class SenderMonitor {
  private readonly senders = new Map<string, TrackedSender>();
  private readonly now: () => number;
  private cleanupTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: SenderMonitorConfig,
    private readonly rounds: RoundsSource,
    private readonly senderInfo: SenderInfoSource,
  ) {
    this.now = config.now ?? Date.now;
  }

  private tracked(sender: Address): TrackedSender {
    const key = addressKey(sender);
    let entry = this.senders.get(key);
    if (entry === undefined) {
      this.makeRoom();
      entry = { address: sender, pending: 0n, lastAccess: this.now(), listeners: new Set() };
    } else {
      // Re-inserted on every access, so Map order is least recently used first.
      this.senders.delete(key);
    }
    this.senders.set(key, entry);
    entry.lastAccess = this.now();
    return entry;
  }

  /** Keeps the map under its cap: expired senders first, then the least recently used idle one. */
  private makeRoom(): void {
    const max = this.config.maxSenders ?? DEFAULT_MAX_TRACKED_SENDERS;
    if (this.senders.size < max) return;
    this.cleanup();
    for (const [key, entry] of this.senders) {
      if (this.senders.size < max) return;
      if (entry.pending === 0n && entry.listeners.size === 0) this.forget(key, entry);
    }
  }

  private forget(key: string, entry: TrackedSender): void {
    this.senders.delete(key);
    this.senderInfo.clear?.(entry.address);
  }

  /** Marks the sender as active so clean-up keeps its state. */
  touch(sender: Address): void {
    this.tracked(sender);
  }

  private async info(sender: Address): Promise<SenderInfo> {
    try {
      return await this.senderInfo.getSenderInfo(sender);
    } catch (cause) {
      throw refusal(paymentErrors.CHAIN_STATE_UNAVAILABLE, `could not get sender info for ${toChecksumAddress(sender)}: ${(cause as Error).message}`, 'chain_state_unavailable', true);
    }
  }

  /** Refuses senders whose deposit and reserve unlock by the round after next. */
  async validateSender(sender: Address): Promise<SenderInfo> {
    const info = await this.info(sender);
    if (isUnlockingSoon(info, this.rounds.lastInitializedRound())) {
      throw refusal(paymentErrors.SENDER_UNLOCKING, `deposit and reserve for sender ${toChecksumAddress(sender)} is set to unlock soon`, 'sender_unlocking', true, {
        withdrawRound: info.withdrawRound.toString(),
      });
    }
    return info;
  }

  /** (fundsRemaining + claimedInCurrentRound) / poolSize − already claimed by us; 0 with an empty pool. */
  async reserveAlloc(sender: Address): Promise<bigint> {
    const info = await this.info(sender);
    return this.reserveAllocFrom(sender, info);
  }

  private async reserveAllocFrom(sender: Address, info: SenderInfo): Promise<bigint> {
    const poolSize = this.rounds.transcoderPoolSize();
    if (poolSize === 0n) return 0n;
    let claimed: bigint;
    try {
      claimed = await this.senderInfo.claimedReserve(sender, this.config.claimant);
    } catch (cause) {
      throw refusal(paymentErrors.CHAIN_STATE_UNAVAILABLE, `could not get claimed reserve for ${toChecksumAddress(sender)}: ${(cause as Error).message}`, 'chain_state_unavailable', true);
    }
    return (info.reserve.fundsRemaining + info.reserve.claimedInCurrentRound) / poolSize - claimed;
  }

  /**
   * The largest face value this orchestrator should accept risk for: the reserve
   * allocation, minus pending redemptions unless the deposit covers them 3×.
   * Compared exactly (go-livepeer uses floating point for the ratio).
   */
  async maxFloat(sender: Address): Promise<bigint> {
    const entry = this.tracked(sender);
    const info = await this.info(sender);
    const alloc = await this.reserveAllocFrom(sender, info);
    const pending = entry.pending;
    if (pending > 0n && info.deposit >= MIN_DEPOSIT_PENDING_RATIO * pending) return alloc;
    return alloc - pending;
  }

  /** reserveAlloc + deposit − pending: what could pay a redemption right now. */
  async availableFunds(sender: Address): Promise<bigint> {
    const entry = this.tracked(sender);
    const info = await this.info(sender);
    return (await this.reserveAllocFrom(sender, info)) + info.deposit - entry.pending;
  }

  /** A redemption of `faceValue` was submitted; it lowers max float until confirmed. */
  addPending(sender: Address, faceValue: bigint): void {
    const entry = this.tracked(sender);
    entry.pending += faceValue;
    this.notify(entry);
  }

  /** The redemption settled (or was never sent). */
  removePending(sender: Address, faceValue: bigint): void {
    const entry = this.tracked(sender);
    if (entry.pending < faceValue) throw new RangeError('cannot subtract from insufficient pendingAmount');
    entry.pending -= faceValue;
    this.notify(entry);
  }

  pending(sender: Address): bigint {
    return this.senders.get(addressKey(sender))?.pending ?? 0n;
  }

  /** The listener is called (with no value; re-read maxFloat) whenever the sender's max float may have changed. */
  subscribeMaxFloatChange(sender: Address, listener: () => void): () => void {
    const entry = this.tracked(sender);
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  /** Chain watchers call this on ReserveFunded and similar events. */
  notifyReserveChange(sender: Address): void {
    const entry = this.senders.get(addressKey(sender));
    if (entry !== undefined) this.notify(entry);
  }

  /** Chain watchers call this when a new round changes the active set size. */
  notifyPoolSizeChange(): void {
    for (const entry of this.senders.values()) this.notify(entry);
  }

  private notify(entry: TrackedSender): void {
    for (const listener of entry.listeners) listener();
  }

  /** Forgets senders idle past the TTL with nobody subscribed; returns them. */
  cleanup(): Address[] {
    const cutoff = this.now() - (this.config.ttlMs ?? DEFAULT_SENDER_TTL_MS);
    const removed: Address[] = [];
    for (const [key, entry] of this.senders) {
      if (entry.lastAccess < cutoff && entry.listeners.size === 0) {
        this.forget(key, entry);
        removed.push(entry.address);
      }
    }
    return removed;
  }

  start(): void {
    if (this.cleanupTimer !== undefined) return;
    this.cleanupTimer = setInterval(() => this.cleanup(), this.config.cleanupIntervalMs ?? DEFAULT_SENDER_CLEANUP_INTERVAL_MS);
    this.cleanupTimer.unref();
  }

  stop(): void {
    if (this.cleanupTimer !== undefined) clearInterval(this.cleanupTimer);
    this.cleanupTimer = undefined;
  }

  get trackedSenders(): number {
    return this.senders.size;
  }
}
