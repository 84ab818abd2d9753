import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { errors, PLUGIN_ID_PATTERN } from '@lpx/sdk';
import { ENTRY_FILES, entryDir, isNodeError } from '../local-registry/layout.js';
import { listPluginIds, listVersions } from '../local-registry/read-entry.js';
import { claimedReviewState, readRecords, RECORD_FILES, REGISTRY_FILES } from '../local-registry/release-records.js';
import { releaseParams } from './release-params.js';

/** The files of a release a client may GET, with how long caches may keep them. */
const RELEASE_FILES: Readonly<Record<string, { type: string; immutable: boolean }>> = {
  [ENTRY_FILES.manifest]: { type: 'application/json', immutable: true },
  [ENTRY_FILES.tarball]: { type: 'application/gzip', immutable: true },
  [ENTRY_FILES.integrity]: { type: 'text/plain; charset=utf-8', immutable: true },
  // Signatures and reviews grow after publishing: always revalidate.
  [RECORD_FILES.signatures]: { type: 'application/json', immutable: false },
  [RECORD_FILES.review]: { type: 'application/json', immutable: false },
};

const IMMUTABLE = 'public, max-age=31536000, immutable';

async function versionsWithState(root: string, id: string) {
  const versions = (await listVersions(root, id)).reverse();
  return Promise.all(versions.map(async (version) => ({ version, state: await claimedReviewState(entryDir(root, id, version)) })));
}

async function integrityOf(root: string, id: string, version: string): Promise<string> {
  return (await readFile(join(entryDir(root, id, version), ENTRY_FILES.integrity), 'utf8')).trim();
}

async function publisherRecords(root: string): Promise<unknown[]> {
  const dir = join(root, REGISTRY_FILES.publishers);
  const names = await readdir(dir).catch((error: unknown) => {
    if (isNodeError(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  });
  const records: unknown[] = [];
  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
    const path = join(dir, name);
    try {
      records.push(JSON.parse(await readFile(path, 'utf8')));
    } catch (error) {
      throw errors.registry.KEY_INVALID.create(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  return records;
}

/**
 * The read side, open to anyone: a node needs no credential to install.
 * Everything served is read from the registry folder on each request, so a
 * review or revocation written by another process is visible at once.
 * Review states in listings are what the newest record CLAIMS; nodes verify.
 */
export function registerReadRoutes(app: FastifyInstance, root: string): void {
  app.get('/v1/plugins', async () => {
    const plugins = [];
    for (const id of await listPluginIds(root, new RegExp(PLUGIN_ID_PATTERN))) {
      const versions = await versionsWithState(root, id);
      if (versions.length > 0) plugins.push({ id, versions });
    }
    return { plugins };
  });

  app.get<{ Params: { id: string } }>('/v1/plugins/:id', async (request) => {
    const { id } = releaseParams(request.params, 'read');
    const versions = await versionsWithState(root, id);
    if (versions.length === 0) throw errors.registry.ENTRY_MISSING.create(`no versions of plugin "${id}" are published here`, { details: { id } });
    return { id, versions: await Promise.all(versions.map(async (v) => ({ ...v, integrity: await integrityOf(root, id, v.version) }))) };
  });

  app.get<{ Params: { id: string; version: string; file: string } }>('/v1/plugins/:id/:version/:file', async (request, reply) => {
    const { id, version } = releaseParams(request.params, 'read');
    const file = request.params.file;
    const kind = RELEASE_FILES[file];
    if (kind === undefined) throw errors.http.NOT_FOUND.create(`a release has no file "${file}"; files: ${Object.keys(RELEASE_FILES).join(', ')}`);
    const dir = entryDir(root, id, version);
    const path = join(dir, file);
    const size = await stat(path).then((s) => (s.isFile() ? s.size : undefined), () => undefined);
    if (size === undefined) {
      const released = await stat(join(dir, ENTRY_FILES.manifest)).then(() => true, () => false);
      const why = released ? `release "${id}"@${version} has no ${file}${kind.immutable ? '' : ' yet'}` : `"${id}"@${version} is not published here`;
      throw errors.registry.ENTRY_MISSING.create(why, { details: { id, version, file } });
    }
    void reply.header('content-type', kind.type).header('cache-control', kind.immutable ? IMMUTABLE : 'no-cache');
    if (file === ENTRY_FILES.tarball) {
      // The content hash is the natural strong validator for an immutable file.
      const etag = `"${await integrityOf(root, id, version)}"`;
      void reply.header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    }
    return reply.header('content-length', String(size)).send(createReadStream(path));
  });

  app.get('/v1/keys/revoked', async (_request, reply) => {
    void reply.header('cache-control', 'no-cache');
    return readRecords(join(root, REGISTRY_FILES.revokedKeys));
  });

  app.get('/v1/publishers', async (_request, reply) => {
    void reply.header('cache-control', 'no-cache');
    return publisherRecords(root);
  });
}
