import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { errors } from '@lpx/sdk';
import { ENTRY_FILES, entryDir, type RegistryEntry } from '../local-registry/layout.js';
import { readEntry } from '../local-registry/read-entry.js';
import { appendRecord, claimedReviewState, RECORD_FILES, REGISTRY_FILES } from '../local-registry/release-records.js';
import { storeRelease } from '../local-registry/store-release.js';
import { assertReviewAcceptable, readReviews } from '../trust/review.js';
import { readRevokedKeys, revokeKey } from '../trust/revoked-keys.js';
import { assertSignaturesVerify } from '../trust/signatures.js';
import { checkReviewShape, checkSignatureList } from './record-shapes.js';
import { parseReleaseUpload, RELEASE_UPLOAD_TYPE } from './release-upload.js';
import { releaseParams, type ReleaseParams } from './release-params.js';
import type { RegistryTokens } from './tokens.js';

export interface WriteLimits {
  /** Largest PUT body (the whole release tar), bytes. */
  readonly maxPublishBytes: number;
}

/** Signature and review records are small; a large body is a mistake or an attack. */
const RECORD_BODY_LIMIT = 64 * 1024;

/** The stored release a record is posted to (its manifest and integrity are what the record must be signed over). */
async function publishedEntry(root: string, { id, version }: ReleaseParams): Promise<RegistryEntry> {
  const exists = await stat(join(entryDir(root, id, version), ENTRY_FILES.integrity)).then(() => true, () => false);
  if (!exists) throw errors.registry.ENTRY_MISSING.create(`"${id}"@${version} is not published here`, { details: { id, version } });
  return readEntry(root, id, version);
}

/**
 * The write side, behind bearer tokens. Releases are immutable once stored
 * (same rule and code as the local publish); what can still grow is the list
 * of signatures and the list of reviews, each appended, never rewritten.
 */
export function registerWriteRoutes(app: FastifyInstance, root: string, tokens: RegistryTokens, limits: WriteLimits): void {
  app.addContentTypeParser(RELEASE_UPLOAD_TYPE, { parseAs: 'buffer', bodyLimit: limits.maxPublishBytes }, (_request, body, done) => done(null, body));

  app.put<{ Params: { id: string; version: string }; Body: Buffer }>(
    '/v1/plugins/:id/:version',
    { bodyLimit: limits.maxPublishBytes },
    async (request, reply) => {
      tokens.authorize(request, 'publish');
      const { id, version } = releaseParams(request.params, 'write');
      if (!Buffer.isBuffer(request.body)) throw errors.http.UNSUPPORTED_MEDIA_TYPE.create(`a publish body must be ${RELEASE_UPLOAD_TYPE}`);
      const { release, signatures } = parseReleaseUpload(request.body, id, version);
      const result = await storeRelease(root, release).catch((error: unknown) => {
        // The local message names the server's folder; a client needs the versions, not our paths.
        if (!errors.registry.PUBLISH_CONFLICT.is(error)) throw error;
        throw errors.registry.PUBLISH_CONFLICT.create(
          `"${id}"@${version} is already published with other content (${String(error.details?.['existing'])}) than this upload (${release.integrity}); published versions are immutable, bump the version`,
          { details: { id, version, existing: error.details?.['existing'], publishing: release.integrity } },
        );
      });
      for (const signature of signatures) await appendRecord(join(result.entry.dir, RECORD_FILES.signatures), signature);
      request.log.info({ id, version, status: result.status }, 'release published');
      return reply.status(result.status === 'published' ? 201 : 200).send({
        id,
        version,
        integrity: result.entry.integrity,
        status: result.status,
        state: await claimedReviewState(result.entry.dir),
      });
    },
  );

  app.post<{ Params: { id: string; version: string }; Body: unknown }>(
    '/v1/plugins/:id/:version/signatures',
    { bodyLimit: RECORD_BODY_LIMIT },
    async (request, reply) => {
      tokens.authorize(request, 'publish');
      const params = releaseParams(request.params, 'write');
      const entry = await publishedEntry(root, params);
      const signatures = checkSignatureList(request.body, `signature for "${params.id}"@${params.version}`);
      assertSignaturesVerify(entry, signatures);
      let added = 0;
      for (const signature of signatures) {
        if (await appendRecord(join(entry.dir, RECORD_FILES.signatures), signature)) added++;
      }
      return reply.status(added > 0 ? 201 : 200).send({ id: params.id, version: params.version, added });
    },
  );

  app.post<{ Params: { id: string; version: string }; Body: unknown }>(
    '/v1/plugins/:id/:version/reviews',
    { bodyLimit: RECORD_BODY_LIMIT },
    async (request, reply) => {
      tokens.authorize(request, 'review');
      const params = releaseParams(request.params, 'write');
      const entry = await publishedEntry(root, params);
      const review = checkReviewShape(request.body, entry);
      const dir = entry.dir;
      const reviews = await readReviews(entry);
      // A retry of a record already stored is a no-op even after a revocation made new ones unacceptable.
      if (!reviews.some((existing) => isDeepStrictEqual(existing, review))) await assertReviewAcceptable(entry, review, reviews);
      const added = await appendRecord(join(dir, RECORD_FILES.review), review);
      request.log.info({ id: params.id, version: params.version, state: review.state }, 'review recorded');
      return reply.status(added ? 201 : 200).send({ id: params.id, version: params.version, state: await claimedReviewState(dir) });
    },
  );

  // A leaked publisher key, revoked registry-wide: every release it signed stops being trusted at the
  // nodes' next mirror. Admin only; it can only take trust away, so it is not signed (as on a folder).
  app.post<{ Body: unknown }>('/v1/keys/revoked', { bodyLimit: RECORD_BODY_LIMIT }, async (request, reply) => {
    tokens.authorize(request, 'revoke-key');
    const { keyId, reason } = checkKeyRevocation(request.body);
    const before = await readRevokedKeys(root);
    const record = await revokeKey(root, keyId, reason ?? 'revoked');
    const added = !before.some((k) => k.keyId === record.keyId);
    request.log.info({ keyId: record.keyId, added, file: REGISTRY_FILES.revokedKeys }, 'key revoked');
    return reply.status(added ? 201 : 200).send(record);
  });
}

const KEY_ID = /^(ed25519:[A-Za-z0-9_-]{27}|eth:0x[0-9a-fA-F]{40})$/;

function checkKeyRevocation(body: unknown): { keyId: string; reason?: string } {
  const b = body as { keyId?: unknown; reason?: unknown } | null;
  if (typeof b !== 'object' || b === null || typeof b.keyId !== 'string' || !KEY_ID.test(b.keyId)) {
    throw errors.http.BAD_REQUEST.create('a key revocation is {"keyId": "ed25519:<27 base64url chars>" or "eth:0x<40 hex>", "reason"?: string}', { details: { keyId: b?.keyId ?? null } });
  }
  if (b.reason !== undefined && (typeof b.reason !== 'string' || b.reason.length > 500)) {
    throw errors.http.BAD_REQUEST.create('"reason" must be a string of at most 500 characters');
  }
  return { keyId: b.keyId, ...(typeof b.reason === 'string' ? { reason: b.reason } : {}) };
}
