/**
 * go-livepeer's -maxSessions: how many gateway sessions (auth-token session
 * ids) an orchestrator serves at once. A session is forgotten after it has
 * been idle for `idleMs`, the way go-livepeer's transcode loops time out.
 */
export class SessionLimit {
  readonly #lastSeen = new Map<string, number>();

  constructor(
    /** Mutable: with `maxSessions: auto` it follows the remote transcoders' capacity. */
    public maxSessions: number,
    private readonly idleMs = 60_000,
    private readonly now: () => number = Date.now,
    /** Told about every session that ends or idles out (remote transcoders tear theirs down). */
    private readonly onForget: (sessionId: string) => void = () => {},
  ) {}

  /** True when `sessionId` is known, or a new session still fits; records the session as seen. */
  admit(sessionId: string): boolean {
    this.#expire();
    if (!this.#lastSeen.has(sessionId) && this.#lastSeen.size >= this.maxSessions) return false;
    this.#lastSeen.set(sessionId, this.now());
    return true;
  }

  /** Room for one more new session (GetOrchestrator's capacity check). */
  hasRoom(): boolean {
    this.#expire();
    return this.#lastSeen.size < this.maxSessions;
  }

  end(sessionId: string): void {
    if (this.#lastSeen.delete(sessionId)) this.onForget(sessionId);
  }

  get active(): number {
    this.#expire();
    return this.#lastSeen.size;
  }

  #expire(): void {
    const cutoff = this.now() - this.idleMs;
    for (const [id, seen] of this.#lastSeen) {
      if (seen < cutoff) {
        this.#lastSeen.delete(id);
        this.onForget(id);
      }
    }
  }
}
