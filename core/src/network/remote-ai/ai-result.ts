/**
 * What a remote AI job ends with, in the two shapes go-livepeer's
 * orchestrator hands on to the gateway: a JSON document (with any images,
 * videos or audio already stored here and their URLs rewritten to where we
 * serve them), or a stream of JSON chunks for a streaming LLM answer.
 * Failures are rejections (LpxError, AI_WORKER area) whose message is the
 * text go-livepeer would send, e.g. the worker's own error text.
 */

export interface AIResultFile {
  readonly contentType: string;
  readonly body: Uint8Array;
  /** Absolute URL at which this orchestrator serves the file. */
  readonly url: string;
}

export type AIResult =
  | {
      readonly kind: 'json';
      /** The worker's JSON with file URLs rewritten. */
      readonly json: unknown;
      /** Every file part the worker sent, by the filename it gave. */
      readonly files: ReadonlyMap<string, AIResultFile>;
    }
  | {
      readonly kind: 'stream';
      /** The worker's `data:` lines parsed as JSON, in order; stop iterating to abandon the stream. */
      readonly chunks: AsyncIterable<unknown>;
    };

/** A file part of a worker's multipart result, before it is stored. */
export interface WorkerFile {
  readonly name: string;
  readonly contentType: string;
  readonly body: Uint8Array;
}

/** What /aiResults hands the pool for a task. */
export type WorkerOutcome =
  | { readonly kind: 'files'; readonly json: unknown; readonly files: readonly WorkerFile[] }
  | { readonly kind: 'stream'; readonly chunks: AsyncIterable<unknown> & { onFinish(callback: () => void): void } }
  | { readonly kind: 'error'; readonly error: Error };
