/**
 * An AI request as it travels through BullMQ (`ai/<pipeline>` queues): small
 * JSON only. Uploaded files and result media are blobs (docs/adr/0020);
 * Redis carries their references. The request was validated on the
 * orchestrator; workers run it as is.
 */
import type { AIPipelineName } from '@lpx/sdk';
import type { BlobRef } from '../blobs/index.js';

export interface AIJobUpload {
  readonly field: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly blob: BlobRef;
}

export type AIJobBody =
  | { readonly kind: 'json'; readonly json: Readonly<Record<string, unknown>> }
  | { readonly kind: 'multipart'; readonly fields: Readonly<Record<string, string>>; readonly files: readonly AIJobUpload[] };

export interface AIJobData {
  readonly requestId: string;
  readonly pipeline: AIPipelineName;
  readonly modelId: string;
  readonly stream: boolean;
  readonly measures: Readonly<Record<string, number>>;
  readonly body: AIJobBody;
  /** The worker stops the request after this long (runner hung). */
  readonly timeoutMs: number;
}

export interface AIJobFile {
  /** The name the pipeline put in the JSON where the file's URL goes. */
  readonly name: string;
  readonly blob: BlobRef;
}

/** A coded failure comes back as a result so its code survives BullMQ (which keeps only a message). */
export type AIJobResult =
  | { readonly kind: 'json'; readonly json: unknown; readonly files: readonly AIJobFile[]; readonly executor: string }
  /** The events went through the request's Redis stream (core/src/jobs/stream-relay.ts). */
  | { readonly kind: 'stream'; readonly executor: string; readonly events: number }
  | { readonly error: { readonly code: string; readonly message: string } };

/** One job per request id: a retried request joins the running job instead of running twice. */
export function aiJobId(requestId: string): string {
  return `ai-${requestId}`.replace(/[^A-Za-z0-9_-]/g, '_');
}
