import { Transform, type TransformCallback } from 'node:stream';

/**
 * Counts bytes on their way to a backend and fails the stream the moment a
 * limit trips, so an oversized upload is cut off rather than written whole
 * and measured afterwards. `onBytes` may throw to refuse the chunk.
 */
export class SizeLimit extends Transform {
  bytes = 0;
  readonly #onBytes: (total: number, chunk: number) => void;

  constructor(onBytes: (total: number, chunk: number) => void) {
    super();
    this.#onBytes = onBytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#onBytes(this.bytes + chunk.length, chunk.length);
    } catch (error) {
      callback(error as Error);
      return;
    }
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}
