/**
 * The last lines a child process wrote, kept so a failed start can say why
 * without making the user open the log file. Bounded: a chatty child costs
 * at most `maxBytes`.
 */
export class OutputTail {
  readonly #maxBytes: number;
  readonly #maxLines: number;
  #text = '';

  constructor(maxBytes = 4_096, maxLines = 20) {
    this.#maxBytes = maxBytes;
    this.#maxLines = maxLines;
  }

  push(chunk: Buffer | string): void {
    this.#text += chunk.toString();
    if (this.#text.length > this.#maxBytes * 2) this.#text = this.#text.slice(-this.#maxBytes);
  }

  /** The last lines, at most maxLines and maxBytes. */
  lines(): string[] {
    const text = this.#text.length > this.#maxBytes ? this.#text.slice(-this.#maxBytes) : this.#text;
    return text.split('\n').map((line) => line.trimEnd()).filter((line) => line !== '').slice(-this.#maxLines);
  }

  /** For an error message: nothing when the child said nothing. */
  describe(): string {
    const lines = this.lines();
    return lines.length === 0 ? '' : `; its last output:\n  ${lines.join('\n  ')}`;
  }
}
