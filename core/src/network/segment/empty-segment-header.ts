/**
 * The Livepeer-Segment header of a request that carries no segment (go-livepeer's
 * `genSegCreds` with a blank HLSSegment): the batch AI wire and the Live Runner
 * payments both send one. Manifest id as given, seq 0, keccak256 of no bytes,
 * the deprecated profiles field saying `invalid`, no profiles, the job's
 * capabilities when it has any, the orchestrator's auth token, and the
 * gateway's signature over Flatten.
 */
import type { LivepeerCapabilities } from '../../capabilities/index.js';
import { keccak256 } from '../../payments/index.js';
import type { PersonalSigner } from '../auth/gateway-signature.js';
import type { AuthToken } from '../wire/types.js';
import { emptySegData, encodeSegDataHeader } from './seg-data-codec.js';
import { INVALID_PROFILES_MARKER } from './segment-client-seg-data.js';
import { signSegment } from './segment-signature.js';

export interface EmptySegmentHeaderInput {
  readonly manifestId: string;
  /** Absent: none sent (go-livepeer then checks an empty set, which any orchestrator without mandatory capabilities accepts). */
  readonly capabilities?: LivepeerCapabilities;
  readonly authToken: AuthToken | undefined;
  readonly signer: PersonalSigner;
}

const EMPTY = new Uint8Array(0);

export async function emptySegmentHeader(input: EmptySegmentHeaderInput): Promise<string> {
  const hash = keccak256(EMPTY);
  const sig = await signSegment(input.signer, { manifestId: input.manifestId, seq: 0n, hash, profileNames: [] });
  return encodeSegDataHeader({
    ...emptySegData(),
    manifestId: input.manifestId,
    seq: 0n,
    hash,
    profiles: INVALID_PROFILES_MARKER,
    sig,
    duration: 0,
    ...(input.capabilities !== undefined ? { capabilities: input.capabilities } : {}),
    ...(input.authToken !== undefined ? { authToken: input.authToken } : {}),
  });
}
