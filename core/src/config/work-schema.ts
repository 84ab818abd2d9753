/** The sections of the node config for the work a node runs: job queues, blobs, transcode workers, AI pipelines, containers. */
import { Type } from '@sinclair/typebox';

export const JobsSection = Type.Object(
  {
    /** On shutdown, active jobs get this long to finish before they are left for another worker. */
    drainTimeoutMs: Type.Integer({ minimum: 0, default: 10_000 }),
    /** A worker that stops renewing its lock this long is presumed dead; its job is retried elsewhere. */
    lockDurationMs: Type.Integer({ minimum: 1_000, default: 30_000 }),
    stalledIntervalMs: Type.Integer({ minimum: 1_000, default: 15_000 }),
    /**
     * A waiter whose job has not started in a worker of this process after this long reads the queue's events
     * stream, in case another process runs it (ADR 0065); 0 reads it for every job, as a process with split workers may want.
     */
    localStartMs: Type.Integer({ minimum: 0, default: 50 }),
    /**
     * A synchronous gateway request runs in the process that took it, without the route queue, kept durable by the
     * inline ledger (ADR 0067); false queues it like an asynchronous one (its outcome then stays in the queue's history).
     */
    inlineSync: Type.Boolean({ default: true }),
  },
  { additionalProperties: false, default: {} },
);

/** Job payloads and results too large for Redis, media segments (docs/adr/0020-blob-store.md). */
export const BlobsSection = Type.Object(
  {
    /** Disk backend folder, relative to node.dataDir (default `blobs`). */
    dir: Type.Optional(Type.String({ minLength: 1 })),
    /** Job data or results whose JSON is larger than this go to the blob store; Redis keeps a reference. */
    inlineMaxBytes: Type.Integer({ minimum: 0, default: 64 * 1024 }),
    maxBlobBytes: Type.Integer({ minimum: 1, default: 256 * 1024 * 1024 }),
    /** Total bytes the store may hold; a put beyond it is refused with LPX_ERR_BLOBS_QUOTA_EXCEEDED. */
    quotaBytes: Type.Integer({ minimum: 1, default: 10 * 1024 * 1024 * 1024 }),
    /** Longest any blob lives (and its tokens stay valid); job blobs are deleted earlier, with their job. */
    ttlSeconds: Type.Integer({ minimum: 60, default: 7 * 24 * 3600 }),
    sweepIntervalMs: Type.Integer({ minimum: 1_000, default: 60_000 }),
    /** The URL other machines reach this node's HTTP edge at (default: the bound address). */
    publicUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
    /** HMAC key for blob tokens; nodes serving the same blobs behind one URL share it. Default: made once in node.dataDir. */
    secret: Type.Optional(Type.String({ minLength: 32 })),
    /** Use an S3-compatible bucket instead of the local disk. */
    s3: Type.Optional(
      Type.Object(
        {
          endpoint: Type.String({ pattern: '^https?://' }),
          bucket: Type.String({ minLength: 1 }),
          region: Type.String({ default: 'us-east-1' }),
          accessKeyId: Type.String({ minLength: 1 }),
          secretAccessKey: Type.String({ minLength: 1 }),
          prefix: Type.String({ default: 'lpx-blobs/' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, default: {} },
);

/** Transcode workers (docs/adr/0021-transcode-backends-and-dispatch.md): backend probing and the Redis heartbeat the orchestrator sums. */
export const TranscodeSection = Type.Object(
  {
    /** A backend's probe (encoder listed + one-frame test encode) that takes longer is reported unavailable. */
    probeTimeoutMs: Type.Integer({ minimum: 100, default: 30_000 }),
    /** Unavailable backends are probed again this often (0: never). */
    reprobeIntervalMs: Type.Integer({ minimum: 0, default: 60_000 }),
    /** Workers publish their backends' status this often; the entry lives 3 heartbeats. */
    heartbeatMs: Type.Integer({ minimum: 100, default: 2_000 }),
  },
  { additionalProperties: false, default: {} },
);

/** AI pipelines (docs/adr/0031-kernel-ai-dispatch.md): worker heartbeat, request timeout and the limits applied before a pipeline sees a request. */
export const AISection = Type.Object(
  {
    /** Workers publish their executors' offers this often; the entry lives 3 heartbeats. */
    heartbeatMs: Type.Integer({ minimum: 100, default: 2_000 }),
    /** A request a runner has not answered (or finished streaming) after this long is stopped, uncharged. */
    requestTimeoutMs: Type.Integer({ minimum: 1_000, default: 300_000 }),
    /**
     * The orchestrator's batch routes (`POST /<pipeline>`) and AI capabilities in OrchestratorInfo; false
     * retires them as go-livepeer PR #4036 does (410 Gone, nothing advertised) while plugins such as
     * ai-live-runner still run AI requests (ADR 0050).
     */
    batchRoutes: Type.Boolean({ default: true }),
    limits: Type.Object(
      {
        /** Largest request body (all files together). */
        maxBodyBytes: Type.Integer({ minimum: 1_024, default: 50 * 1024 * 1024 }),
        maxPromptChars: Type.Integer({ minimum: 1, default: 20_000 }),
        maxImageSide: Type.Integer({ minimum: 1, default: 4_096 }),
        /** Longest input audio: 30 minutes. */
        maxAudioMs: Type.Integer({ minimum: 1, default: 30 * 60 * 1000 }),
        maxTokens: Type.Integer({ minimum: 1, default: 8_192 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);

/** Containers (docs/adr/0028-container-runtime.md): which runtime plugins get as coreServices.containers, and its probing. */
export const ContainersSection = Type.Object(
  {
    /** The runtime to use by name (`docker`); default: the only one a configured plugin adds. */
    runtime: Type.Optional(Type.String({ minLength: 1 })),
    /** The first probe may start an engine (the runtime's own dockerd): it is reported unavailable past this. */
    probeTimeoutMs: Type.Integer({ minimum: 100, default: 90_000 }),
    /** An unavailable runtime is probed again this often (0: never). */
    reprobeIntervalMs: Type.Integer({ minimum: 0, default: 30_000 }),
  },
  { additionalProperties: false, default: {} },
);
