import { errors } from '@lpx/sdk';
import type { PackedPlugin } from '../package/pack-folder.js';
import type { ReleaseSignature, ReviewRecord, ReviewState } from '../trust/contract.js';
import { DEFAULT_DOWNLOAD_TIMEOUT_MS, registryBaseUrl, remoteBody, remoteRequest } from './remote-fetch.js';
import { releaseUploadBody, RELEASE_UPLOAD_TYPE } from './release-upload.js';

export interface HttpPublishResult {
  readonly id: string;
  readonly version: string;
  readonly integrity: string;
  readonly status: 'published' | 'unchanged';
  readonly state: ReviewState;
}

export interface HttpPublishOptions {
  readonly token: string;
  readonly signatures?: readonly ReleaseSignature[];
  readonly timeoutMs?: number;
}

/**
 * PUTs a packed plugin to an HTTP registry. The server's refusals keep their
 * codes where the client can act on them (a conflict, a bad package, a bad
 * token); everything else is REMOTE_FAILED naming the URL and status.
 */
export async function publishToHttpRegistry(url: string, packed: PackedPlugin, options: HttpPublishOptions): Promise<HttpPublishResult> {
  const target = `${registryBaseUrl(url)}/v1/plugins/${packed.manifest.id}/${packed.manifest.version}`;
  try {
    const response = (await remoteRequest(target, {
      method: 'PUT',
      headers: { 'content-type': RELEASE_UPLOAD_TYPE, authorization: `Bearer ${options.token}` },
      body: releaseUploadBody(packed, options.signatures),
      timeoutMs: options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS,
    }))!;
    return JSON.parse((await remoteBody(response, target)).toString('utf8')) as HttpPublishResult;
  } catch (error) {
    throw remoteRefusal(error) ?? error;
  }
}

export interface HttpReviewResult {
  readonly id: string;
  readonly version: string;
  /** The state the registry's newest review record claims now. */
  readonly state: ReviewState;
  /** False when the registry already held this very record (a retry). */
  readonly added: boolean;
}

/**
 * POSTs a review record, signed on the reviewer's machine (the key never
 * leaves it), to an HTTP registry with an admin token. The server verifies
 * it before appending it (REVIEW_INVALID otherwise).
 */
export async function postReviewToHttpRegistry(url: string, record: ReviewRecord, options: { token: string; timeoutMs?: number }): Promise<HttpReviewResult> {
  const target = `${registryBaseUrl(url)}/v1/plugins/${record.id}/${record.version}/reviews`;
  const { body, status } = await postJson<Omit<HttpReviewResult, 'added'>>(target, record, options);
  return { ...body, added: status === 201 };
}

export interface HttpKeyRevocation {
  readonly keyId: string;
  readonly reason: string;
  readonly at: string;
  /** False when the registry had already revoked the key (the stored record is returned). */
  readonly added: boolean;
}

/** Revokes a publisher key registry-wide on an HTTP registry (admin token). Idempotent. */
export async function revokeKeyOnHttpRegistry(url: string, keyId: string, options: { token: string; reason?: string; timeoutMs?: number }): Promise<HttpKeyRevocation> {
  const target = `${registryBaseUrl(url)}/v1/keys/revoked`;
  const { body, status } = await postJson<Omit<HttpKeyRevocation, 'added'>>(target, { keyId, ...(options.reason === undefined ? {} : { reason: options.reason }) }, options);
  return { ...body, added: status === 201 };
}

/** One authenticated JSON POST to a registry: its JSON answer and status (201 = stored, 200 = already held), refusals kept as for publishing. */
async function postJson<T>(target: string, payload: unknown, options: { token: string; timeoutMs?: number }): Promise<{ body: T; status: number }> {
  try {
    const response = (await remoteRequest(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
      body: JSON.stringify(payload),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    }))!;
    return { body: JSON.parse((await remoteBody(response, target)).toString('utf8')) as T, status: response.status };
  } catch (error) {
    throw remoteRefusal(error) ?? error;
  }
}

const KEPT = [
  errors.registry.PUBLISH_CONFLICT,
  errors.registry.PACKAGE_INVALID,
  errors.registry.INTEGRITY_MISMATCH,
  errors.registry.SIGNATURE_INVALID,
  errors.registry.REVIEW_INVALID,
  errors.registry.UNAUTHORIZED,
  errors.registry.FORBIDDEN,
  errors.plugin.MANIFEST_INVALID,
];

/** A REMOTE_FAILED whose server answered one of the codes above, re-raised with that code. */
function remoteRefusal(error: unknown): Error | undefined {
  if (!errors.registry.REMOTE_FAILED.is(error)) return undefined;
  const remoteCode = error.details?.['remoteCode'];
  const code = KEPT.find((candidate) => candidate.code === remoteCode);
  return code?.create(error.message, { cause: error, ...(error.details ? { details: error.details } : {}) });
}
