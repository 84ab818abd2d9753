import { join, resolve } from 'node:path';
import { Gauge, type Registry } from 'prom-client';
import type { LoggerService } from '@lpx/sdk';
import type { KernelConfig } from '../config/kernel-schema.js';
import { BlobStore } from './blob-store.js';
import { loadBlobSecret } from './blob-token.js';
import { DiskBackend } from './disk-backend.js';
import { S3Backend } from './s3-backend.js';

export type BlobsConfig = KernelConfig['blobs'];

/**
 * The node's blob store from `blobs:` config: S3-compatible when `blobs.s3`
 * is set, else files under `blobs.dir` (default `<dataDir>/blobs`). The token
 * secret is `blobs.secret` or one kept in `<dataDir>/blobs-secret`.
 */
export async function createBlobStore(config: BlobsConfig, dataDir: string, logger?: LoggerService, metrics?: Registry): Promise<BlobStore> {
  const secret = await loadBlobSecret(config.secret, join(dataDir, 'blobs-secret'));
  let backend;
  if (config.s3 !== undefined) {
    backend = new S3Backend(config.s3);
  } else {
    const disk = new DiskBackend(resolve(dataDir, config.dir ?? 'blobs'));
    await disk.init();
    backend = disk;
  }
  const store = await BlobStore.open({
    backend,
    secret,
    maxBlobBytes: config.maxBlobBytes,
    quotaBytes: config.quotaBytes,
    ttlSeconds: config.ttlSeconds,
    ...(config.publicUrl !== undefined ? { publicUrl: config.publicUrl } : {}),
    ...(logger ? { logger } : {}),
  });
  store.startSweeper(config.sweepIntervalMs);
  if (metrics) {
    new Gauge({ name: 'lpx_blobs_stored_bytes', help: 'Bytes held by the blob store (recounted every sweep)', registers: [metrics], collect() { this.set(store.usedBytes); } });
    new Gauge({ name: 'lpx_blobs_quota_bytes', help: 'blobs.quotaBytes', registers: [metrics] }).set(config.quotaBytes);
  }
  return store;
}
