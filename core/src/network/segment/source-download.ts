/**
 * Fetching a segment a gateway uploaded elsewhere (`application/vnd+livepeer.uri`
 * bodies). go-livepeer gives up when the download outlasts its 8-second HTTP
 * timeout, because the gateway would stop waiting anyway; it skips TLS
 * verification (storage behind self-signed certificates) and accepts only 200.
 */
import { Agent, request } from 'undici';
import { readAtMost } from './request-body.js';

/** go-livepeer's common.HTTPTimeout. */
export const SOURCE_DOWNLOAD_TIMEOUT_MS = 8_000;

export interface SourceDownloadOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** Aborted when the gateway goes away. */
  readonly signal?: AbortSignal;
}

export type SourceDownloader = (url: string, options: SourceDownloadOptions) => Promise<Uint8Array>;

let insecureAgent: Agent | undefined;

export const downloadSource: SourceDownloader = async (url, options) => {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`unsupported source URL scheme ${parsed.protocol}`);
  insecureAgent ??= new Agent({ connect: { rejectUnauthorized: false } });
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  const response = await request(parsed, { method: 'GET', dispatcher: insecureAgent, signal });
  if (response.statusCode !== 200) {
    await response.body.dump();
    throw new Error(`source answered ${response.statusCode}`);
  }
  return readAtMost(response.body, options.maxBytes);
};
