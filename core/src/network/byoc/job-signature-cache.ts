/**
 * Job-request signatures by signed bytes. go-livepeer's JobRequest signature
 * covers only `request ‖ parameters` (not the id, capability or timeout), so a
 * gateway sending the same request and parameters again signs the same bytes;
 * both secp256k1 backends sign deterministically (RFC 6979), so a fresh signature
 * would be these same 65 bytes. The cache therefore changes nothing on the wire.
 *
 * Bounded LRU by entry count; a request‖parameters longer than `maxKeyChars`
 * is signed each time, so large requests cannot pin memory.
 */
export const DEFAULT_JOB_SIGNATURE_CACHE_ENTRIES = 1024;
export const DEFAULT_JOB_SIGNATURE_CACHE_KEY_CHARS = 4096;

export class JobSignatureCache {
  // A Map iterates in insertion order: re-inserting on a hit keeps the oldest first.
  private readonly entries = new Map<string, Uint8Array>();

  constructor(
    readonly maxEntries = DEFAULT_JOB_SIGNATURE_CACHE_ENTRIES,
    readonly maxKeyChars = DEFAULT_JOB_SIGNATURE_CACHE_KEY_CHARS,
  ) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError('a job signature cache holds at least one entry');
  }

  get size(): number {
    return this.entries.size;
  }

  /** The key: signer address and the exact signed text (the address keeps a rotated key from reusing a signature). */
  static key(signerAddress: string, request: string, parameters: string): string {
    return `${signerAddress.toLowerCase()}\n${request}${parameters}`;
  }

  /** The cached signature for `key`, or the one `sign` makes (remembered once it resolves). */
  async getOrSign(key: string, sign: () => Promise<Uint8Array>): Promise<Uint8Array> {
    if (key.length > this.maxKeyChars) return sign();
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.slice();
    }
    const sig = await sign();
    this.entries.set(key, sig.slice());
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return sig;
  }

  clear(): void {
    this.entries.clear();
  }
}
