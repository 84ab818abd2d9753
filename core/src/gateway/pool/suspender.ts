/**
 * go-livepeer's suspender (server/suspensions.go): a penalty per orchestrator
 * measured against a count of pool refreshes, not against wall time. The
 * gateway suspends an orchestrator that failed it, skips it while the penalty
 * holds, and lets it back once enough refreshes (discovery rounds) have
 * passed. Penalties also order the suspended ones when the pool has to fall
 * back on them (lowest first).
 *
 * go-livepeer's transcoding pool stores the bare penalty, which stops meaning
 * anything once a stream has refreshed more often than that (a quirk the AI
 * pool works around by storing `count + penalty`). We store `count + penalty`
 * like the AI and live pools, so every suspension lasts `penalty` refreshes.
 */

/** go-livepeer's AI session pool penalty (AISessionPool.Remove: 3 refreshes). */
export const DEFAULT_SUSPENSION_PENALTY = 3;

export interface Suspension {
  /** The refresh count up to which the orchestrator stays suspended (inclusive). */
  readonly until: number;
  readonly reason: string;
}

export class Suspender {
  readonly #list = new Map<string, Suspension>();
  #count = 0;

  /** Refreshes so far; each discovery round calls `signalRefresh` once. */
  get count(): number {
    return this.#count;
  }

  /** Adds to a suspension still in force, as go-livepeer's `suspend` adds to the stored value. */
  suspend(uri: string, reason: string, penalty: number = DEFAULT_SUSPENSION_PENALTY): Suspension {
    const current = this.#active(uri);
    const suspension = { until: (current?.until ?? this.#count) + Math.max(1, Math.ceil(penalty)), reason };
    this.#list.set(uri, suspension);
    return suspension;
  }

  /** 0 when not suspended; otherwise the stored value (higher = suspended for longer), as go-livepeer's `Suspended`. */
  penalty(uri: string): number {
    return this.#active(uri)?.until ?? 0;
  }

  suspension(uri: string): Suspension | undefined {
    return this.#active(uri);
  }

  isSuspended(uri: string): boolean {
    return this.#active(uri) !== undefined;
  }

  /** Lifts a suspension early, e.g. when an operator re-adds an orchestrator. */
  clear(uri: string): void {
    this.#list.delete(uri);
  }

  signalRefresh(): void {
    this.#count++;
    // Expired suspensions are otherwise forgotten only when read, and an orchestrator that left discovery is never read again.
    for (const uri of this.#list.keys()) this.#active(uri);
  }

  /** Suspensions held (in force, or expired and not yet swept). */
  get size(): number {
    return this.#list.size;
  }

  #active(uri: string): Suspension | undefined {
    const suspension = this.#list.get(uri);
    if (suspension === undefined) return undefined;
    // go-livepeer: a value below the refresh count has expired and is forgotten on read.
    if (suspension.until < this.#count) {
      this.#list.delete(uri);
      return undefined;
    }
    return suspension;
  }
}
