export { BlobStore, type BlobStoreOptions } from './blob-store.js';
export type { BlobBackend, BlobMeta, BlobRef, OpenedBlob, PutOptions } from './blob-types.js';
export { DiskBackend } from './disk-backend.js';
export { S3Backend, type S3BackendOptions } from './s3-backend.js';
export { registerBlobRoutes } from './blob-routes.js';
export { signBlobToken, verifyBlobToken, loadBlobSecret } from './blob-token.js';
export { createBlobStore, type BlobsConfig } from './create-blob-store.js';
export { newBlobId, isBlobId } from './blob-id.js';
export { fetchRemoteBlob, type RemoteFetch } from './remote-fetch.js';
