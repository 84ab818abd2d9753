/**
 * A signer holding its key in this process can personal-sign bytes synchronously.
 * Callers that find this method skip viem's hex encoding and one promise per
 * signature: on the gateway's ticket path that overhead is as large as the
 * native sign itself. The bytes are the same as `signMessage({ message: { raw } })`.
 */
export interface PersonalBytesSigner {
  /** 65-byte R ‖ S ‖ V (V = 27/28, low-S) EIP-191 signature over `message`. */
  signPersonalBytes(message: Uint8Array): Uint8Array;
}

export function personalBytesSignerOf(signer: object): PersonalBytesSigner | undefined {
  const candidate = signer as Partial<PersonalBytesSigner>;
  return typeof candidate.signPersonalBytes === 'function' ? (candidate as PersonalBytesSigner) : undefined;
}
