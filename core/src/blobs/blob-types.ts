import type { Readable } from 'node:stream';

/**
 * A portable reference to a stored blob. It travels inside job data (Redis)
 * and over the wire, so it is small JSON: the id, what the bytes are, and —
 * when the node has an HTTP edge — a URL and an expiring HMAC token that let
 * a process on another machine fetch it (see docs/adr/0020-blob-store.md).
 */
export interface BlobRef {
  readonly id: string;
  readonly size: number;
  readonly contentType: string;
  /** `<publicUrl>/v1/blobs/<id>` on the node that stored it; absent when that node has no HTTP edge. */
  readonly url?: string;
  /** `<expires unix seconds>.<base64url HMAC>`, sent as `Authorization: Bearer` or `?token=`. */
  readonly token: string;
}

/** What a backend keeps next to the bytes. */
export interface BlobMeta {
  readonly id: string;
  readonly size: number;
  readonly contentType: string;
  /** Unix ms. */
  readonly createdAt: number;
  /** Unix ms; the sweeper deletes the blob after this whatever else holds it. */
  readonly expiresAt: number;
  /** Who the blob belongs to, for ref-based cleanup (e.g. `job:<bullmq job key>`); the sweeper of that owner deletes it once the owner is gone. */
  readonly owner?: string;
}

export interface PutOptions {
  readonly contentType: string;
  /** Default: the store's ttlSeconds. */
  readonly ttlSeconds?: number;
  readonly owner?: string;
}

export interface OpenedBlob {
  readonly meta: Pick<BlobMeta, 'size' | 'contentType'>;
  readonly stream: Readable;
}

/**
 * Where bytes live. A backend stores whole blobs atomically: a reader never
 * sees a half-written blob, and a failed write leaves nothing behind.
 */
export interface BlobBackend {
  readonly kind: 'disk' | 's3';
  /** Consumes `body` and returns the stored metadata with its size; rejects (storing nothing) if `body` errors, e.g. when a size limit trips. */
  write(meta: Omit<BlobMeta, 'size'>, body: Readable): Promise<BlobMeta>;
  /** undefined when absent. */
  stat(id: string): Promise<BlobMeta | undefined>;
  /** undefined when absent. */
  open(id: string): Promise<OpenedBlob | undefined>;
  /** true when something was deleted. */
  delete(id: string): Promise<boolean>;
  list(): AsyncIterable<BlobMeta>;
  /** Removes leftovers of interrupted writes older than `olderThanMs` (disk temp files, ...). */
  cleanupPartial(olderThanMs: number): Promise<number>;
}
