import { defineErrors } from '../lpx-error.js';

export const blobsErrors = defineErrors('BLOBS', {
  TOO_LARGE: { status: 413, description: 'The blob is larger than blobs.maxBlobBytes; nothing was stored.' },
  QUOTA_EXCEEDED: { status: 507, description: 'Storing the blob would exceed blobs.quotaBytes; nothing was stored.' },
  NOT_FOUND: { status: 404, description: 'No blob with this id exists (never stored, deleted or expired).' },
  INVALID_REF: { status: 400, description: 'A blob reference or id is malformed.' },
  TOKEN_MISSING: { status: 401, description: 'A blob was requested over HTTP without a token.' },
  TOKEN_EXPIRED: { status: 401, description: 'The blob token has expired; a fresh reference is needed.' },
  TOKEN_INVALID: { status: 403, description: 'The blob token does not match the blob id (wrong secret, altered or for another blob).' },
  FETCH_FAILED: { status: 502, description: 'A remote blob could not be fetched from the node that holds it.' },
  BACKEND_FAILED: { status: 502, description: 'The blob backend (disk or S3-compatible store) failed.' },
  UNAVAILABLE: { status: 503, description: 'The blob is remote and this node has no way to fetch it (no origin URL in the reference).' },
});
