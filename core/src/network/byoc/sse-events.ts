/**
 * Server-sent events from lines (the WHATWG event-stream rules, without
 * reconnection): `data:` lines join with `\n`, `event:` and `id:` name the
 * event, a blank line ends it, `:` lines are comments. A job answered with
 * an event stream that nobody read live keeps these as its result.
 */
export interface SseEvent {
  readonly data: string;
  readonly event?: string;
  readonly id?: string;
}

export class SseEventCollector {
  readonly events: SseEvent[] = [];
  #data: string[] = [];
  #event: string | undefined;
  #id: string | undefined;

  push(line: string): void {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    else if (field === 'id') this.#id = value;
  }

  /** The events so far, and one the stream ended in the middle of. */
  finish(): SseEvent[] {
    this.#dispatch();
    return this.events;
  }

  #dispatch(): void {
    if (this.#data.length > 0 || this.#event !== undefined) {
      this.events.push({ data: this.#data.join('\n'), ...(this.#event !== undefined ? { event: this.#event } : {}), ...(this.#id !== undefined ? { id: this.#id } : {}) });
    }
    this.#data = [];
    this.#event = undefined;
    this.#id = undefined;
  }
}

/**
 * The sender's balance an orchestrator reports in a stream (`data: {"balance": 12.345}`,
 * go-livepeer and lpx alike), in whole wei rounded down; undefined for other lines.
 */
export function balanceInLine(line: string): bigint | undefined {
  const match = /^data: ?\{"balance": ?(-?\d+)(?:\.\d+)?\}$/.exec(line.trim());
  if (match === null) return undefined;
  const whole = BigInt(match[1]!);
  // -1.5 truncates to -1; rounding down keeps the estimate on the safe side.
  return whole < 0n && /\.\d*[1-9]/.test(line) ? whole - 1n : whole;
}
