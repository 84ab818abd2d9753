import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { BlobBackend, BlobMeta, OpenedBlob } from './blob-types.js';
import { isBlobId } from './blob-id.js';

const TMP = 'tmp';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

/**
 * Blobs as files under `dir`: `<id[0..2]>/<id>` holds the bytes and
 * `<id[0..2]>/<id>.json` the metadata. Both are written to `tmp/` first and
 * renamed into place (data, then metadata): a blob exists once its metadata
 * does, so a crash mid-write leaves only a temp file the sweeper removes.
 * Processes sharing the directory (a worker on the same machine) read the
 * same files.
 */
export class DiskBackend implements BlobBackend {
  readonly kind = 'disk' as const;
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async init(): Promise<void> {
    await mkdir(join(this.dir, TMP), { recursive: true, mode: 0o700 });
  }

  #dataPath(id: string): string {
    return join(this.dir, id.slice(0, 2), id);
  }

  #metaPath(id: string): string {
    return `${this.#dataPath(id)}.json`;
  }

  #tempPath(id: string): string {
    return join(this.dir, TMP, `${id}.${randomBytes(4).toString('hex')}`);
  }

  async write(partial: Omit<BlobMeta, 'size'>, body: Readable): Promise<BlobMeta> {
    const tmpData = this.#tempPath(partial.id);
    const tmpMeta = `${tmpData}.json`;
    const id = partial.id;
    try {
      // flush: fsync before close, so a blob that was acknowledged survives a machine crash too.
      await pipeline(body, createWriteStream(tmpData, { mode: 0o600, flush: true }));
      const meta: BlobMeta = { ...partial, size: (await stat(tmpData)).size };
      await writeFile(tmpMeta, JSON.stringify(meta), { mode: 0o600, flush: true });
      await mkdir(join(this.dir, meta.id.slice(0, 2)), { recursive: true, mode: 0o700 });
      await rename(tmpData, this.#dataPath(meta.id));
      await rename(tmpMeta, this.#metaPath(meta.id));
      return meta;
    } catch (error) {
      await Promise.all([rm(tmpData, { force: true }), rm(tmpMeta, { force: true }), rm(this.#dataPath(id), { force: true })]);
      throw error;
    }
  }

  async stat(id: string): Promise<BlobMeta | undefined> {
    try {
      return JSON.parse(await readFile(this.#metaPath(id), 'utf8')) as BlobMeta;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async open(id: string): Promise<OpenedBlob | undefined> {
    const meta = await this.stat(id);
    if (!meta) return undefined;
    const path = this.#dataPath(id);
    // Open before returning so a concurrent delete cannot turn a found blob into a stream error later.
    const stream = createReadStream(path);
    try {
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return { meta, stream };
  }

  async delete(id: string): Promise<boolean> {
    const existed = await stat(this.#metaPath(id)).then(() => true, () => false);
    // Metadata first: from that instant the blob is absent for readers.
    await rm(this.#metaPath(id), { force: true });
    await rm(this.#dataPath(id), { force: true });
    return existed;
  }

  async *list(): AsyncIterable<BlobMeta> {
    let shards: string[];
    try {
      shards = await readdir(this.dir);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const shard of shards) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      const names = await readdir(join(this.dir, shard)).catch(() => [] as string[]);
      for (const name of names) {
        if (!name.endsWith('.json')) continue;
        const id = name.slice(0, -'.json'.length);
        if (!isBlobId(id)) continue;
        const meta = await this.stat(id).catch(() => undefined);
        if (meta) yield meta;
      }
    }
  }

  async cleanupPartial(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    const tmpDir = join(this.dir, TMP);
    for (const name of await readdir(tmpDir).catch(() => [] as string[])) {
      const path = join(tmpDir, name);
      const info = await stat(path).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) {
        await rm(path, { force: true });
        removed++;
      }
    }
    // A crash between the two renames leaves bytes without metadata: invisible to readers, removed here.
    for (const shard of await readdir(this.dir).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      const names = new Set(await readdir(join(this.dir, shard)).catch(() => [] as string[]));
      for (const name of names) {
        if (!isBlobId(name) || names.has(`${name}.json`)) continue;
        const info = await stat(join(this.dir, shard, name)).catch(() => undefined);
        if (info && info.mtimeMs < cutoff) {
          await rm(join(this.dir, shard, name), { force: true });
          removed++;
        }
      }
    }
    return removed;
  }
}
