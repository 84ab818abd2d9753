/**
 * Tasks handed to remote transcoders and waiting for `/transcodeResults`.
 * Ids are a per-pool int64 counter from 0, like go-livepeer's; a result for
 * an id that is no longer waiting (timed out, or never issued) is ignored.
 */
import type { TranscoderEntry } from './transcoder-entry.js';
import { errors } from '@lpx/sdk';
import { TRANSCODER_TEXT } from '../wire/wire-texts.js';

export interface TranscodedRendition {
  readonly data: Uint8Array;
  /** Encoded output pixels (the part's Pixels header). */
  readonly pixels: bigint;
  readonly perceptualHash?: Uint8Array;
}

export interface TaskResult {
  /** One per profile, in profile order (checked by the caller, as go-livepeer does after Transcode). */
  readonly renditions: readonly TranscodedRendition[];
  /** Decoded input pixels (the request's Pixels header). */
  readonly decodedPixels: bigint;
}

export type TaskOutcome = { readonly result: TaskResult } | { readonly error: Error };

interface Pending {
  readonly owner: TranscoderEntry;
  readonly settle: (outcome: TaskOutcome) => void;
}

const INT64_MAX = (1n << 63n) - 1n;

export class TaskTable {
  #next = 0n;
  readonly #pending = new Map<bigint, Pending>();

  get size(): number {
    return this.#pending.size;
  }

  /** A fresh id and the outcome it will get: a delivered result, a failure, or TIMEOUT after `timeoutMs`. */
  open(owner: TranscoderEntry, timeoutMs: number): { taskId: bigint; outcome: Promise<TaskOutcome> } {
    const taskId = this.#next;
    this.#next = this.#next === INT64_MAX ? 0n : this.#next + 1n;
    const outcome = new Promise<TaskOutcome>((resolve) => {
      const timer = setTimeout(() => settle({ error: errors.transcoder.TIMEOUT.create(TRANSCODER_TEXT.timeout, { details: { taskId: taskId.toString(), timeoutMs } }) }), timeoutMs);
      const settle = (value: TaskOutcome): void => {
        if (this.#pending.get(taskId)?.settle !== settle) return;
        clearTimeout(timer);
        this.#pending.delete(taskId);
        resolve(value);
      };
      this.#pending.set(taskId, { owner, settle });
    });
    return { taskId, outcome };
  }

  /** Settles a waiting task; false when the id is unknown (late, or made up). */
  deliver(taskId: bigint, outcome: TaskOutcome): boolean {
    const pending = this.#pending.get(taskId);
    if (pending === undefined) return false;
    pending.settle(outcome);
    return true;
  }

  /** Fails every task waiting on `owner` (its stream is gone). */
  failOwnedBy(owner: TranscoderEntry, error: () => Error): void {
    for (const pending of [...this.#pending.values()]) if (pending.owner === owner) pending.settle({ error: error() });
  }

  failAll(error: () => Error): void {
    for (const pending of [...this.#pending.values()]) pending.settle({ error: error() });
  }
}
