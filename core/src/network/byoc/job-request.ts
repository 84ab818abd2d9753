/**
 * The BYOC `Livepeer` header: std-base64 of the JSON JobRequest a gateway signs
 * and an orchestrator verifies (go-livepeer byoc/types.go, job_orchestrator.go).
 *
 * The signature is go-livepeer's `Broadcaster.Sign(request + parameters)`: an
 * EIP-191 personal_sign (V = 27/28) over keccak256 of the UTF-8 concatenation,
 * i.e. over `keccak256("\x19Ethereum Signed Message:\n32" ‖ keccak256(request ‖ parameters))`.
 * Neither `id`, `capability` nor `timeout_seconds` is covered by it.
 */
import { errors } from '@lpx/sdk';
// The payments modules one by one, not their barrel (wire codecs, protobufjs): every node loads this file (ADR 0063).
import { addressKey, toChecksumAddress, type Address } from '../../payments/encoding/address.js';
import { fromHex, toHex } from '../../payments/encoding/bytes.js';
import { keccak256 } from '../../payments/crypto/keccak256.js';
import { SignatureVerifier } from '../../payments/crypto/signature.js';
import { personalSign, type PersonalSigner } from '../auth/gateway-signature.js';
import { JobSignatureCache } from './job-signature-cache.js';
import { BoundedMemo } from '../../memo/bounded-memo.js';

export const JOB_REQUEST_HEADER = 'Livepeer';

/** Default cap on the encoded header; Go's whole-header limit is 1 MiB, a job request is normally tiny. */
export const DEFAULT_MAX_JOB_REQUEST_HEADER_BYTES = 256 * 1024;

export interface JobRequest {
  readonly id: string;
  /** A JSON string (go-livepeer's JobRequestDetails, e.g. `{"stream_id":"…"}`). */
  readonly request: string;
  /** A JSON string (JobParameters: orchestrator include/exclude, stream flags). */
  readonly parameters: string;
  readonly capability: string;
  /** Set by the orchestrator, never by the client; Go always writes it, empty if unset. */
  readonly capability_url?: string;
  /** `0x` address of the gateway (go-livepeer writes EIP-55). */
  readonly sender: string;
  /** `0x` + hex of the 65-byte signature. */
  readonly sig: string;
  readonly timeout_seconds: number;
}

/** What a gateway fills in before signing. */
export type UnsignedJobRequest = Omit<JobRequest, 'sender' | 'sig'>;

/** The exact bytes keccak-hashed then personal-signed: UTF-8 of request ‖ parameters. */
export function jobRequestSignedBytes(request: string, parameters: string): Uint8Array {
  return new TextEncoder().encode(request + parameters);
}

/** The 32-byte message handed to personal_sign. */
export function jobRequestSignatureMessage(request: string, parameters: string): Uint8Array {
  return keccak256(jobRequestSignedBytes(request, parameters));
}

/** One cache per signer object, so a test's or a plugin's signer never shares entries with the node's. */
const signatureCaches = new WeakMap<PersonalSigner, JobSignatureCache>();

function cacheFor(signer: PersonalSigner): JobSignatureCache {
  let cache = signatureCaches.get(signer);
  if (cache === undefined) signatureCaches.set(signer, (cache = new JobSignatureCache()));
  return cache;
}

/** EIP-55 costs a keccak; a node has one or a few signer addresses, so remember them (bounded anyway). */
const checksummed = new BoundedMemo<string, string>(64);

function checksumSender(address: string): string {
  return checksummed.getOrSet(address, () => toChecksumAddress(fromHex(address)));
}

/** Signs `fields`; the signature over request ‖ parameters comes from `cache` when these bytes were signed before. */
export async function signJobRequest(signer: PersonalSigner, fields: UnsignedJobRequest, cache: JobSignatureCache = cacheFor(signer)): Promise<JobRequest> {
  const sig = await cache.getOrSign(JobSignatureCache.key(signer.address, fields.request, fields.parameters), () =>
    personalSign(signer, jobRequestSignatureMessage(fields.request, fields.parameters)),
  );
  return { ...fields, sender: checksumSender(signer.address), sig: toHex(sig) };
}

/**
 * JSON in Go's field order with `capability_url` always present (no omitempty
 * upstream), so an lpx gateway's header matches a go-livepeer gateway's, minus
 * Go's untagged internal duration fields, which no decoder reads.
 */
export function encodeJobRequestHeader(job: JobRequest): string {
  const ordered = {
    id: job.id,
    request: job.request,
    parameters: job.parameters,
    capability: job.capability,
    capability_url: job.capability_url ?? '',
    sender: job.sender,
    sig: job.sig,
    timeout_seconds: job.timeout_seconds,
  };
  return Buffer.from(JSON.stringify(ordered), 'utf8').toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function malformed(message: string): never {
  throw errors.orchestrator.JOB_REQUEST_MALFORMED.create(message);
}

function stringField(obj: Record<string, unknown>, name: string): string {
  const value = obj[name];
  // Go leaves a missing field at its zero value; the checks after decoding reject what matters.
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') malformed(`JobRequest.${name} must be a string, got ${typeof value}`);
  return value;
}

/**
 * Decodes without judging the content (verifyJobRequest does that), except
 * shape: strict std-base64, a JSON object, string fields, an integer timeout.
 */
export function decodeJobRequestHeader(value: string | undefined, maxBytes = DEFAULT_MAX_JOB_REQUEST_HEADER_BYTES): JobRequest {
  if (value === undefined || value.trim() === '') {
    throw errors.orchestrator.JOB_REQUEST_MISSING.create('Livepeer header is missing (base64 JSON JobRequest required)');
  }
  const text = value.trim();
  if (text.length > maxBytes) {
    throw errors.orchestrator.JOB_REQUEST_TOO_LARGE.create(`Livepeer header is ${text.length} bytes, the limit is ${maxBytes}`, { details: { size: text.length, limit: maxBytes } });
  }
  if (text.length % 4 !== 0 || !BASE64.test(text)) malformed('Livepeer header is not valid std-base64');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch (cause) {
    malformed(`Livepeer header is not JSON: ${(cause as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) malformed('Livepeer header JSON is not an object');
  const obj = parsed as Record<string, unknown>;
  const timeout = obj['timeout_seconds'] ?? 0;
  if (typeof timeout !== 'number' || !Number.isSafeInteger(timeout)) malformed(`JobRequest.timeout_seconds must be an integer, got ${JSON.stringify(timeout)}`);
  const capabilityUrl = stringField(obj, 'capability_url');
  return {
    id: stringField(obj, 'id'),
    request: stringField(obj, 'request'),
    parameters: stringField(obj, 'parameters'),
    capability: stringField(obj, 'capability'),
    ...(capabilityUrl === '' ? {} : { capability_url: capabilityUrl }),
    sender: stringField(obj, 'sender'),
    sig: stringField(obj, 'sig'),
    timeout_seconds: timeout,
  };
}

export interface VerifiedJobRequest {
  readonly job: JobRequest;
  readonly sender: Address;
}

function parseSenderAddress(text: string): Address {
  const body = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (!/^[0-9a-fA-F]{40}$/.test(body)) malformed(`JobRequest.sender is not a 20-byte hex address: ${JSON.stringify(text.slice(0, 64))}`);
  return fromHex(body);
}

/** Sig hex with or without `0x` (go-livepeer strips two characters only when longer than 130). */
export function parseSignatureHex(text: string): Uint8Array | undefined {
  const body = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
  if (!/^[0-9a-fA-F]{130}$/.test(body)) return undefined;
  return fromHex(body);
}

/**
 * The orchestrator's checks, in go-livepeer's order: a timeout, then the
 * signature; plus what go-livepeer finds out later (request must decode into
 * JobRequestDetails, i.e. be a JSON object or null) and a capability name.
 */
export function verifyJobRequest(job: JobRequest, verifier: SignatureVerifier = new SignatureVerifier()): VerifiedJobRequest {
  if (job.timeout_seconds <= 0) {
    throw errors.orchestrator.JOB_REQUEST_NO_TIMEOUT.create('no timeout_seconds set with request, timeout_seconds is required', { details: { timeout_seconds: job.timeout_seconds } });
  }
  const sender = parseSenderAddress(job.sender);
  const sig = parseSignatureHex(job.sig);
  if (sig === undefined) {
    throw errors.orchestrator.JOB_REQUEST_SIG_INVALID.create('JobRequest.sig is not 65 bytes of hex', { details: { fault: 'signature_length' } });
  }
  const fault = verifier.verify(sender, addressKey(sender), jobRequestSignatureMessage(job.request, job.parameters), sig);
  if (fault !== undefined) {
    throw errors.orchestrator.JOB_REQUEST_SIG_INVALID.create(`Could not verify job creds: sig check failed for sender ${toChecksumAddress(sender)} (${fault})`, { details: { fault } });
  }
  if (job.capability === '') malformed('JobRequest.capability is empty');
  let details: unknown;
  try {
    details = JSON.parse(job.request);
  } catch {
    malformed('JobRequest.request is not JSON');
  }
  if (typeof details !== 'object' || Array.isArray(details)) malformed('JobRequest.request must be a JSON object');
  return { job, sender };
}
