import { Readable } from 'node:stream';
import { buffer as collect } from 'node:stream/consumers';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AwsClient } from 'aws4fetch';
import { errors } from '@lpx/sdk';
import type { BlobBackend, BlobMeta, OpenedBlob } from './blob-types.js';
import { isBlobId } from './blob-id.js';

export interface S3BackendOptions {
  /** e.g. https://s3.eu-west-1.amazonaws.com or http://minio:9000 */
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Key prefix inside the bucket (default `lpx-blobs/`). */
  readonly prefix: string;
}

const META = { created: 'x-amz-meta-lpx-created', expires: 'x-amz-meta-lpx-expires', owner: 'x-amz-meta-lpx-owner' } as const;

function failed(what: string, status: number, text: string): Error {
  return errors.blobs.BACKEND_FAILED.create(`S3 ${what} answered ${status}: ${text.slice(0, 300)}`, { details: { status } });
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/**
 * Blobs as objects in an S3-compatible bucket (AWS, MinIO, Ceph, R2),
 * path-style, signed with SigV4 by aws4fetch. A PUT is atomic on S3, so there
 * are no partial objects; the body is gathered in memory first because S3
 * wants a Content-Length (bounded by blobs.maxBlobBytes upstream). Metadata
 * lives in `x-amz-meta-lpx-*` headers, read with HEAD.
 */
export class S3Backend implements BlobBackend {
  readonly kind = 's3' as const;
  readonly #client: AwsClient;
  readonly #base: string;
  readonly #prefix: string;

  constructor(options: S3BackendOptions) {
    this.#client = new AwsClient({ accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, region: options.region, service: 's3' });
    this.#base = `${options.endpoint.replace(/\/+$/, '')}/${encodeURIComponent(options.bucket)}`;
    this.#prefix = options.prefix;
  }

  #url(id: string): string {
    return `${this.#base}/${this.#prefix}${id}`;
  }

  async #fetch(what: string, url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.#client.fetch(url, init);
    } catch (cause) {
      throw errors.blobs.BACKEND_FAILED.create(`S3 ${what} ${url}: ${(cause as Error).message}`, { cause });
    }
  }

  async write(partial: Omit<BlobMeta, 'size'>, body: Readable): Promise<BlobMeta> {
    const bytes = await collect(body);
    const headers: Record<string, string> = {
      'content-type': partial.contentType,
      [META.created]: String(partial.createdAt),
      [META.expires]: String(partial.expiresAt),
    };
    if (partial.owner !== undefined) headers[META.owner] = encodeURIComponent(partial.owner);
    const res = await this.#fetch('PUT', this.#url(partial.id), { method: 'PUT', headers, body: bytes });
    if (!res.ok) throw failed('PUT', res.status, await res.text());
    await res.arrayBuffer().catch(() => undefined);
    return { ...partial, size: bytes.length };
  }

  #metaOf(id: string, headers: Headers): BlobMeta {
    const owner = headers.get(META.owner);
    return {
      id,
      size: Number(headers.get('content-length') ?? 0),
      contentType: headers.get('content-type') ?? 'application/octet-stream',
      createdAt: Number(headers.get(META.created) ?? 0),
      expiresAt: Number(headers.get(META.expires) ?? 0),
      ...(owner !== null ? { owner: decodeURIComponent(owner) } : {}),
    };
  }

  async stat(id: string): Promise<BlobMeta | undefined> {
    const res = await this.#fetch('HEAD', this.#url(id), { method: 'HEAD' });
    if (res.status === 404) return undefined;
    if (!res.ok) throw failed('HEAD', res.status, '');
    return this.#metaOf(id, res.headers);
  }

  async open(id: string): Promise<OpenedBlob | undefined> {
    const res = await this.#fetch('GET', this.#url(id), { method: 'GET' });
    if (res.status === 404) {
      await res.arrayBuffer().catch(() => undefined);
      return undefined;
    }
    if (!res.ok || res.body === null) throw failed('GET', res.status, await res.text());
    const meta = this.#metaOf(id, res.headers);
    return { meta, stream: Readable.fromWeb(res.body as unknown as WebReadableStream) };
  }

  async delete(id: string): Promise<boolean> {
    // S3 answers 204 whether or not the key existed; the HEAD tells which.
    const existed = (await this.stat(id)) !== undefined;
    const res = await this.#fetch('DELETE', this.#url(id), { method: 'DELETE' });
    if (!res.ok && res.status !== 404) throw failed('DELETE', res.status, await res.text());
    return existed;
  }

  async *list(): AsyncIterable<BlobMeta> {
    let continuation: string | undefined;
    do {
      const query = new URLSearchParams({ 'list-type': '2', prefix: this.#prefix });
      if (continuation !== undefined) query.set('continuation-token', continuation);
      const res = await this.#fetch('LIST', `${this.#base}?${query}`, { method: 'GET' });
      const xml = await res.text();
      if (!res.ok) throw failed('LIST', res.status, xml);
      const ids = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => unescapeXml(m[1]!).slice(this.#prefix.length)).filter(isBlobId);
      for (const id of ids) {
        const meta = await this.stat(id);
        if (meta) yield meta;
      }
      const truncated = /<IsTruncated>true<\/IsTruncated>/.test(xml);
      const next = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1];
      continuation = truncated && next !== undefined ? unescapeXml(next) : undefined;
    } while (continuation !== undefined);
  }

  async cleanupPartial(): Promise<number> {
    return 0;
  }
}
