/**
 * What the gateway does with a TranscodeResult's data: download each
 * rendition URL (insecure TLS, as go-livepeer's gateway fetches them) and
 * verify it the way go-livepeer's local verifier does — the orchestrator's
 * signature over keccak256(concat(keccak256(rendition))) recovers to its
 * address (or its ticket recipient when the info names no address), one
 * rendition per profile asked, and, when a pixel counter is given, each
 * rendition holds the pixels it was charged for.
 */
import { errors } from '@lpx/sdk';
import { Agent, request, type Dispatcher } from 'undici';
import { addressKey, SignatureVerifier, toHex } from '../../payments/index.js';
import type { OrchestratorInfo } from '../wire/types.js';
import { MAX_SEGMENT_BODY_BYTES, readAtMost } from './request-body.js';
import { renditionSignatureMessage } from './segment-signature.js';
import type { TranscodeData } from './transcode-result-codec.js';

export interface DownloadedRendition {
  readonly url: string;
  readonly data: Buffer;
  /** What the orchestrator charged for it. */
  readonly pixels: bigint;
}

export interface RenditionOptions {
  /** The orchestrator's service URI; relative rendition URLs resolve against it. */
  readonly transcoder: string;
  /** Until this time (ms since the epoch) downloads may run: the rest of the call's budget. */
  readonly deadline: number;
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
}

let sharedAgent: Agent | undefined;

async function download(url: string, options: RenditionOptions): Promise<Buffer> {
  sharedAgent ??= new Agent({ connect: { rejectUnauthorized: false } });
  const remaining = Math.max(1, options.deadline - Date.now());
  const timeout = AbortSignal.timeout(remaining);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  try {
    const response = await request(url, { method: 'GET', dispatcher: options.dispatcher ?? sharedAgent, signal });
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`answered ${response.statusCode}`);
    }
    return Buffer.from(await readAtMost(response.body, options.maxBytes ?? MAX_SEGMENT_BODY_BYTES));
  } catch (cause) {
    if (options.signal?.aborted === true) throw cause;
    const reason = timeout.aborted ? `not downloaded within the segment's budget (${remaining} ms left)` : (cause as Error).message;
    throw errors.gateway.RENDITION_DOWNLOAD_FAILED.create(`rendition ${url}: ${reason}`, { cause, details: { url, remoteMessage: reason } });
  }
}

/** Downloads every rendition, in profile order. */
export async function downloadRenditions(data: TranscodeData, options: RenditionOptions): Promise<DownloadedRendition[]> {
  return Promise.all(
    data.segments.map(async (segment) => {
      let url: string;
      try {
        url = new URL(segment.url, options.transcoder.replace(/\/*$/, '/')).toString();
      } catch (cause) {
        throw errors.gateway.RENDITION_DOWNLOAD_FAILED.create(`rendition URL ${JSON.stringify(segment.url)} is not a URL`, { cause, details: { url: segment.url } });
      }
      return { url, data: await download(url, options), pixels: segment.pixels };
    }),
  );
}

const sharedVerifier = new SignatureVerifier();

/** The address the renditions must be signed by: the info's address, else its ticket recipient. */
export function expectedSigner(info: OrchestratorInfo): Uint8Array | undefined {
  if (info.address.length > 0 && info.address.some((b) => b !== 0)) return info.address;
  return info.ticketParams?.recipient;
}

export interface VerifyOptions {
  /** The info of the session the segment went to. */
  readonly info: OrchestratorInfo;
  readonly profileCount: number;
  readonly sig: Uint8Array;
  /** Check the signature (go-livepeer: -localVerify, on by default on-chain). */
  readonly checkSignature: boolean;
  /** Decoded pixels of one rendition; given, each must equal what was charged (go-livepeer's PixelMismatch). */
  readonly countPixels?: (data: Buffer) => Promise<bigint>;
  readonly verifier?: SignatureVerifier;
}

function unverified(message: string, reason: string, details: Record<string, unknown> = {}): Error {
  return errors.gateway.SEGMENT_UNVERIFIED.create(message, { details: { reason, remoteMessage: reason, ...details } });
}

/** Throws GATEWAY_SEGMENT_UNVERIFIED when the renditions are not what was asked and signed for. */
export async function verifyRenditions(renditions: readonly DownloadedRendition[], options: VerifyOptions): Promise<void> {
  if (renditions.length !== options.profileCount) {
    throw unverified(`${renditions.length} renditions for ${options.profileCount} profiles`, 'rendition count mismatch', { renditions: renditions.length, profiles: options.profileCount });
  }
  if (options.checkSignature) {
    const signer = expectedSigner(options.info);
    if (signer === undefined) throw unverified('the orchestrator names no address to verify its renditions against', 'no signer address');
    const message = renditionSignatureMessage(renditions.map((r) => r.data));
    const fault = (options.verifier ?? sharedVerifier).verify(signer, addressKey(signer), message, options.sig);
    if (fault !== undefined) throw unverified(`rendition signature does not recover to ${toHex(signer)} (${fault})`, 'signature mismatch', { fault, expected: toHex(signer) });
  }
  if (options.countPixels !== undefined) {
    for (const [index, rendition] of renditions.entries()) {
      const decoded = await options.countPixels(rendition.data);
      if (decoded !== rendition.pixels) {
        throw unverified(`rendition ${index} holds ${decoded} pixels, charged ${rendition.pixels}`, 'PixelMismatch', { index, decoded: decoded.toString(), charged: rendition.pixels.toString() });
      }
    }
  }
}
