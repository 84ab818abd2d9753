export { JobsKernel } from './jobs-kernel.js';
export type { JobsKernelOptions, RetentionOptions, WorkerTuning } from './jobs-kernel-options.js';
export type { JobBlobsOptions } from './job-blobs.js';
export { createPluginJobsService } from './plugin-jobs-service.js';
export { DEFAULT_ATTEMPTS, DEFAULT_BACKOFF } from './job-options.js';
export { RETRY_EVENT } from './job-event-stream.js';
