import { errors, isLpxError } from '@lpx/sdk';

export interface RemoteOptions {
  /** Per request, covering the whole body; default 30 s for metadata. */
  readonly timeoutMs?: number;
  /** Largest body read; default DEFAULT_MAX_METADATA_BYTES. */
  readonly maxBytes?: number;
}

export const DEFAULT_METADATA_TIMEOUT_MS = 30_000;
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 300_000;
/** Indexes, manifests, key lists and records: far below this; a registry answering more is broken or hostile. */
export const DEFAULT_MAX_METADATA_BYTES = 16 * 1024 * 1024;
/** A package tarball: the default most a registry accepts on publish (registry-server's DEFAULT_MAX_PUBLISH_BYTES). */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 128 * 1024 * 1024;

/** A registry base URL without a trailing slash; anything but http(s) is a config mistake. */
export function registryBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw errors.config.INVALID.create(`registry URL "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw errors.config.INVALID.create(`registry URL "${url}" must be http or https`);
  return parsed.href.replace(/\/+$/, '');
}

/** The problem+json a registry answered with, if it is one. */
async function problemOf(response: Response): Promise<{ code?: string; detail?: string } | undefined> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; detail?: unknown };
    return { ...(typeof body.code === 'string' ? { code: body.code } : {}), ...(typeof body.detail === 'string' ? { detail: body.detail } : {}) };
  } catch {
    return text === '' ? undefined : { detail: text.slice(0, 300) };
  }
}

/**
 * One request to a registry. Network failures, timeouts and error answers all
 * become LPX_ERR_REGISTRY_REMOTE_FAILED naming the method, URL and status,
 * except "not published" (the server's own ENTRY_MISSING), which keeps its
 * code so a typo in a plugin name reads the same as with a local registry.
 * `allow404` turns a 404 into `undefined` (optional release files).
 */
export async function remoteRequest(url: string, init: RequestInit & RemoteOptions & { allow404?: boolean } = {}): Promise<Response | undefined> {
  const method = init.method ?? 'GET';
  const timeoutMs = init.timeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = error as Error & { cause?: Error };
    const why = cause.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause.cause?.message ?? cause.message);
    throw errors.registry.REMOTE_FAILED.create(`${method} ${url} failed: ${why}`, { cause: error, details: { url, method } });
  }
  if (response.ok || response.status === 304) return response;
  const problem = await problemOf(response);
  if (response.status === 404 && init.allow404 === true && problem?.code !== errors.http.NOT_FOUND.code) return undefined;
  const detail = problem?.detail ?? response.statusText;
  const details = { url, method, status: response.status, ...(problem?.code === undefined ? {} : { remoteCode: problem.code }) };
  if (problem?.code === errors.registry.ENTRY_MISSING.code) throw errors.registry.ENTRY_MISSING.create(`${url}: ${detail}`, { details });
  throw errors.registry.REMOTE_FAILED.create(`${method} ${url} answered ${response.status}${problem?.code ? ` ${problem.code}` : ''}: ${detail}`, { details });
}

function tooLarge(url: string, maxBytes: number, seen: string): Error {
  return errors.registry.REMOTE_FAILED.create(`GET ${url}: the body is larger than ${maxBytes} bytes (${seen}); refused rather than held in memory`, { details: { url, maxBytes } });
}

/**
 * A body read with the same timeout discipline, at most `maxBytes` of it: a
 * registry (or anything in between) that sends an endless or oversized body
 * is cut off, not buffered. A connection dropped mid-body is REMOTE_FAILED too.
 */
export async function remoteBody(response: Response, url: string, maxBytes = DEFAULT_MAX_METADATA_BYTES): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(url, maxBytes, `Content-Length ${declared}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    if (response.body !== null) {
      for await (const chunk of response.body) {
        total += chunk.byteLength;
        if (total > maxBytes) {
          await response.body.cancel().catch(() => undefined);
          throw tooLarge(url, maxBytes, `more than ${maxBytes} bytes arrived`);
        }
        chunks.push(Buffer.from(chunk));
      }
    }
  } catch (error) {
    if (isLpxError(error)) throw error;
    throw errors.registry.REMOTE_FAILED.create(`GET ${url}: the body could not be read: ${(error as Error).message}`, { cause: error, details: { url } });
  }
  return Buffer.concat(chunks, total);
}

export async function remoteJson(url: string, options: RemoteOptions = {}): Promise<unknown> {
  const response = (await remoteRequest(url, options))!;
  const body = await remoteBody(response, url, options.maxBytes);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw errors.registry.REMOTE_FAILED.create(`GET ${url} answered ${response.status} with a body that is not JSON`, { cause: error, details: { url, status: response.status } });
  }
}
