/**
 * What the gateway signs for a segment, and what the orchestrator signs for
 * its renditions (go-livepeer `SegTranscodingMetadata.Flatten` and the
 * TranscodeData sig). Both are EIP-191 personal signatures over a keccak256
 * digest, so the `message` here is that 32-byte digest.
 */
import { errors } from '@lpx/sdk';
// The payments modules one by one, not their barrel (wire codecs, protobufjs): the transcode kernel loads this file on every node (ADR 0063).
import { bigIntToMinimalBytes } from '../../payments/encoding/bytes.js';
import { keccak256 } from '../../payments/crypto/keccak256.js';
import { personalSign, type PersonalSigner } from '../auth/gateway-signature.js';

export interface SegmentSignatureInput {
  /** The exact manifest id bytes (a string is taken as UTF-8). */
  readonly manifestId: Uint8Array | string;
  readonly seq: bigint;
  readonly hash: Uint8Array;
  /** Resolved profile names, in job order (see resolveTranscodeProfiles). */
  readonly profileNames: readonly string[];
}

/** go-livepeer's BytesToHash: keep the last 32 bytes, left-pad shorter input. */
export function toHash32(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 32) return bytes.slice(bytes.length - 32);
  const out = new Uint8Array(32);
  out.set(bytes, 32 - bytes.length);
  return out;
}

/** keccak256(name)[0:4] per profile, as one lowercase hex string (8 characters each). */
export function profileIdsHex(names: readonly string[]): string {
  return names.map((name) => Buffer.from(keccak256(Buffer.from(name, 'utf8')).subarray(0, 4)).toString('hex')).join('');
}

/** The Flatten bytes: manifestId ‖ pad32(|seq|) ‖ hash32 ‖ ASCII hex of the profile ids. */
export function flattenSegment(input: SegmentSignatureInput): Uint8Array {
  const manifest = typeof input.manifestId === 'string' ? Buffer.from(input.manifestId, 'utf8') : input.manifestId;
  // Go's big.Int.Bytes() drops the sign, so a negative seq signs as its magnitude.
  const seq = bigIntToMinimalBytes(input.seq < 0n ? -input.seq : input.seq);
  const profiles = Buffer.from(profileIdsHex(input.profileNames), 'latin1');
  const out = new Uint8Array(manifest.length + 32 + 32 + profiles.length);
  out.set(manifest, 0);
  out.set(seq, manifest.length + 32 - seq.length);
  out.set(toHash32(input.hash), manifest.length + 32);
  out.set(profiles, manifest.length + 64);
  return out;
}

/** The 32-byte message a gateway personal-signs for a segment. */
export function segmentSignatureMessage(input: SegmentSignatureInput): Uint8Array {
  return keccak256(flattenSegment(input));
}

export async function signSegment(signer: PersonalSigner, input: SegmentSignatureInput): Promise<Uint8Array> {
  return personalSign(signer, segmentSignatureMessage(input));
}

/** The 32-byte message an orchestrator personal-signs for its renditions, in profile order. */
export function renditionSignatureMessage(renditions: readonly Uint8Array[]): Uint8Array {
  return renditionHashesSignatureMessage(renditions.map((data) => keccak256(data)));
}

/**
 * The same message from the renditions' keccak256 hashes, in profile order:
 * transcode workers hash what they store, so the orchestrator signs without
 * fetching the bytes back.
 */
export function renditionHashesSignatureMessage(hashes: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(32 * hashes.length);
  hashes.forEach((hash, i) => {
    if (hash.length !== 32) throw errors.transcode.RESULT_INVALID.create(`rendition hash ${i} has ${hash.length} bytes, not 32`);
    joined.set(hash, 32 * i);
  });
  return keccak256(joined);
}
