import type { ErrorCode } from './lpx-error.js';
import { capabilityErrors } from './codes/capability.js';
import { chainErrors } from './codes/chain.js';
import { configErrors } from './codes/config.js';
import { discoveryErrors } from './codes/discovery.js';
import { httpErrors } from './codes/http.js';
import { jobsErrors } from './codes/jobs.js';
import { gatewayErrors } from './codes/gateway.js';
import { networkErrors } from './codes/network.js';
import { orchestratorErrors } from './codes/orchestrator.js';
import { paymentsErrors } from './codes/payments.js';
import { pluginErrors } from './codes/plugin.js';
import { redisErrors } from './codes/redis.js';
import { registryErrors } from './codes/registry.js';
import { segmentErrors } from './codes/segment.js';
import { transcoderErrors } from './codes/transcoder.js';
import { aiWorkerErrors } from './codes/ai-worker.js';
import { blobsErrors } from './codes/blobs.js';
import { transcodeErrors } from './codes/transcode.js';
import { ingestErrors } from './codes/ingest.js';
import { aiErrors } from './codes/ai.js';
import { containersErrors } from './codes/containers.js';
import { liveRunnerErrors } from './codes/live-runner.js';
import { byocErrors } from './codes/byoc.js';
import { trickleErrors } from './codes/trickle.js';
import { dashboardErrors } from './codes/dashboard.js';

/** The one catalogue of coded errors; docs/errors.md is generated from it. */
export const errors = {
  config: configErrors,
  plugin: pluginErrors,
  capability: capabilityErrors,
  jobs: jobsErrors,
  redis: redisErrors,
  http: httpErrors,
  registry: registryErrors,
  payments: paymentsErrors,
  chain: chainErrors,
  discovery: discoveryErrors,
  network: networkErrors,
  orchestrator: orchestratorErrors,
  segment: segmentErrors,
  gateway: gatewayErrors,
  transcoder: transcoderErrors,
  aiWorker: aiWorkerErrors,
  blobs: blobsErrors,
  transcode: transcodeErrors,
  ingest: ingestErrors,
  ai: aiErrors,
  containers: containersErrors,
  liveRunner: liveRunnerErrors,
  byoc: byocErrors,
  trickle: trickleErrors,
  dashboard: dashboardErrors,
} as const;

export function listErrorCodes(): ErrorCode[] {
  return Object.values(errors)
    .flatMap((area) => Object.values(area) as ErrorCode[])
    .sort((a, b) => a.code.localeCompare(b.code));
}
