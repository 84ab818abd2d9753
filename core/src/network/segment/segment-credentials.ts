/**
 * go-livepeer's `verifySegCreds`: the checks an orchestrator runs on the
 * Livepeer-Segment header before it touches the payment or the body, in its
 * order, each refusal carrying go-livepeer's text (gateways log it, and the
 * routes answer 403 with it). Note the real order: go-livepeer builds the
 * profiles before it checks the duration.
 */
import type { LpxError } from '@lpx/sdk';
import { emptyLivepeerCapabilities, livepeerCompatibleWith, type LivepeerCapabilities, type LivepeerCapabilitiesInput } from '../../capabilities/index.js';
import { addressKey, SignatureVerifier, type Address } from '../../payments/index.js';
import type { AuthTokenFault, AuthTokenIssuer } from '../auth/auth-token.js';
import type { AuthToken } from '../wire/types.js';
import { decodeSegDataHeader } from './seg-data-codec.js';
import type { DecodedSegData, VideoProfile } from './seg-data-types.js';
import { segmentErrors } from './segment-errors.js';
import { segmentSignatureMessage, toHash32 } from './segment-signature.js';
import { resolveTranscodeProfiles } from './transcode-profiles.js';

/** go-livepeer's common.MaxDuration. */
export const MAX_SEGMENT_DURATION_MS = 5 * 60 * 1000;
/** What go-livepeer assumes when a gateway sends duration 0. */
export const DEFAULT_SEGMENT_DURATION_MS = 2_000;

export const SEGMENT_CREDENTIAL_TEXT = {
  duration: 'invalid duration',
  sig: 'ErrSegSig',
  capabilities: 'incompatible capabilities',
  authMissing: 'missing auth token',
  authInvalid: 'invalid auth token',
  authExpired: 'expired auth token',
  capped: 'OrchestratorCapped',
} as const;

export interface SegmentCredentialDeps {
  /** payment.sender; go-livepeer uses the zero address when the payment names none. */
  readonly sender: Address | undefined;
  readonly authTokens: AuthTokenIssuer;
  /** This node's advertised capabilities, read per request so capacity changes show. */
  readonly orchestratorCapabilities: () => LivepeerCapabilitiesInput;
  /** False when a new session would exceed the node's session limit. */
  readonly hasCapacity: (sessionId: string) => boolean;
  /**
   * Offchain nodes have no chain identity to check against: go-livepeer's
   * VerifySig returns true without an Ethereum client, so gateways on
   * offchain nodes may send no sender at all.
   */
  readonly skipSignatureCheck?: boolean;
  readonly verifier?: SignatureVerifier;
}

export interface SegmentCredentials {
  readonly segData: DecodedSegData;
  /** The transcode profiles, names resolved (what the signature covered). */
  readonly profiles: readonly VideoProfile[];
  /** Milliseconds; 0 on the wire becomes 2,000. */
  readonly durationMs: number;
  /** The job's capabilities; empty for gateways that send none. */
  readonly capabilities: LivepeerCapabilities;
  /** SegData.hash as go-livepeer reads it (BytesToHash: 32 bytes). */
  readonly hash: Uint8Array;
  readonly authToken: AuthToken;
  /** auth_token.session_id: the balance key of /segment. */
  readonly sessionId: string;
  /** SegData.manifestId: the balance key of /payment. */
  readonly manifestId: string;
}

const ZERO_ADDRESS = new Uint8Array(20);
const sharedVerifier = new SignatureVerifier();

const AUTH_FAULTS: Record<AuthTokenFault, () => LpxError> = {
  missing: () => segmentErrors.AUTH_TOKEN_MISSING.create(SEGMENT_CREDENTIAL_TEXT.authMissing),
  invalid: () => segmentErrors.AUTH_TOKEN_INVALID.create(SEGMENT_CREDENTIAL_TEXT.authInvalid),
  expired: () => segmentErrors.AUTH_TOKEN_EXPIRED.create(SEGMENT_CREDENTIAL_TEXT.authExpired),
};

/** Decodes and checks a Livepeer-Segment header; throws a SEGMENT LpxError whose message is go-livepeer's text. */
export function verifySegmentCredentials(header: string, deps: SegmentCredentialDeps): SegmentCredentials {
  const segData = decodeSegDataHeader(header);
  const profiles = resolveTranscodeProfiles(segData);

  if (segData.duration < 0 || segData.duration > MAX_SEGMENT_DURATION_MS) {
    throw segmentErrors.INVALID_DURATION.create(SEGMENT_CREDENTIAL_TEXT.duration, { details: { durationMs: segData.duration } });
  }
  const durationMs = segData.duration === 0 ? DEFAULT_SEGMENT_DURATION_MS : segData.duration;
  const hash = toHash32(segData.hash);

  if (deps.skipSignatureCheck !== true) {
    const sender = deps.sender ?? ZERO_ADDRESS;
    const message = segmentSignatureMessage({ manifestId: segData.manifestIdBytes, seq: segData.seq, hash, profileNames: profiles.map((p) => p.name) });
    const fault = (deps.verifier ?? sharedVerifier).verify(sender, addressKey(sender), message, segData.sig);
    if (fault !== undefined) throw segmentErrors.SIG_INVALID.create(SEGMENT_CREDENTIAL_TEXT.sig, { details: { fault } });
  }

  // Old gateways send no capabilities; go-livepeer then checks an empty set,
  // which passes unless this node has mandatory capabilities.
  const capabilities = segData.capabilities ?? emptyLivepeerCapabilities();
  if (!livepeerCompatibleWith(capabilities, deps.orchestratorCapabilities())) {
    throw segmentErrors.INCOMPATIBLE_CAPABILITIES.create(SEGMENT_CREDENTIAL_TEXT.capabilities);
  }

  const authFault = deps.authTokens.check(segData.authToken);
  if (authFault !== undefined) throw AUTH_FAULTS[authFault]();
  const authToken = segData.authToken!;

  if (!deps.hasCapacity(authToken.sessionId)) {
    throw segmentErrors.ORCHESTRATOR_CAPPED.create(SEGMENT_CREDENTIAL_TEXT.capped, { details: { sessionId: authToken.sessionId } });
  }

  return { segData, profiles, durationMs, capabilities, hash, authToken, sessionId: authToken.sessionId, manifestId: segData.manifestId };
}
