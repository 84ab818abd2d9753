/** What /aiResults hands the pool for a task: files and JSON, an LLM event stream, or the worker's error. */
export interface WorkerFile {
  /** The part's filename: the JSON names the file by it. */
  readonly name: string;
  readonly contentType: string;
  readonly body: Uint8Array;
}

export interface WorkerStream extends AsyncIterable<unknown> {
  /** Runs once, when the worker's body ended or the reader walked away. */
  onFinish(callback: () => void): void;
}

export type WorkerOutcome =
  | { readonly kind: 'files'; readonly json: unknown; readonly files: readonly WorkerFile[] }
  | { readonly kind: 'stream'; readonly chunks: WorkerStream }
  | { readonly kind: 'error'; readonly error: Error };
