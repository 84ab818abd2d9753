/**
 * Keccak-256 (the pre-NIST padding Ethereum uses) written for the ticket hot path.
 *
 * Why our own: the orchestrator hashes four short inputs per ticket (ticket hash,
 * EIP-191 digest, winning check, and sometimes a public key). General-purpose JS
 * hashers allocate per call and loop over lanes; here the 1600-bit state lives in
 * 50 local int32 variables (each 64-bit lane as lo/hi halves) for the 24 rounds,
 * which is what V8 keeps in registers. Node's OpenSSL 3.0 has SHA3 but not Keccak.
 * The round body is unrolled (generated once, then checked in); tests compare it
 * against @noble/hashes on random inputs of every length around the block size.
 */

const RATE_BYTES = 136;

/** Round constants as [lo, hi] pairs, derived from the spec's LFSR at load time. */
const ROUND_CONSTANTS = ((): Int32Array => {
  const rc = new Int32Array(48);
  let r = 1;
  for (let round = 0; round < 24; round++) {
    let lo = 0;
    let hi = 0;
    for (let j = 0; j < 7; j++) {
      const bitPosition = (1 << j) - 1;
      if (r & 1) {
        if (bitPosition < 32) lo |= 1 << bitPosition;
        else hi |= 1 << (bitPosition - 32);
      }
      r = r & 0x80 ? ((r << 1) ^ 0x71) & 0xff : (r << 1) & 0xff;
    }
    rc[2 * round] = lo;
    rc[2 * round + 1] = hi;
  }
  return rc;
})();

function permute(st: Int32Array): void {
  let s0 = st[0]!, s1 = st[1]!, s2 = st[2]!, s3 = st[3]!, s4 = st[4]!, s5 = st[5]!, s6 = st[6]!, s7 = st[7]!, s8 = st[8]!, s9 = st[9]!;
  let s10 = st[10]!, s11 = st[11]!, s12 = st[12]!, s13 = st[13]!, s14 = st[14]!, s15 = st[15]!, s16 = st[16]!, s17 = st[17]!, s18 = st[18]!, s19 = st[19]!;
  let s20 = st[20]!, s21 = st[21]!, s22 = st[22]!, s23 = st[23]!, s24 = st[24]!, s25 = st[25]!, s26 = st[26]!, s27 = st[27]!, s28 = st[28]!, s29 = st[29]!;
  let s30 = st[30]!, s31 = st[31]!, s32 = st[32]!, s33 = st[33]!, s34 = st[34]!, s35 = st[35]!, s36 = st[36]!, s37 = st[37]!, s38 = st[38]!, s39 = st[39]!;
  let s40 = st[40]!, s41 = st[41]!, s42 = st[42]!, s43 = st[43]!, s44 = st[44]!, s45 = st[45]!, s46 = st[46]!, s47 = st[47]!, s48 = st[48]!, s49 = st[49]!;
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, b7 = 0, b8 = 0, b9 = 0;
  let b10 = 0, b11 = 0, b12 = 0, b13 = 0, b14 = 0, b15 = 0, b16 = 0, b17 = 0, b18 = 0, b19 = 0;
  let b20 = 0, b21 = 0, b22 = 0, b23 = 0, b24 = 0, b25 = 0, b26 = 0, b27 = 0, b28 = 0, b29 = 0;
  let b30 = 0, b31 = 0, b32 = 0, b33 = 0, b34 = 0, b35 = 0, b36 = 0, b37 = 0, b38 = 0, b39 = 0;
  let b40 = 0, b41 = 0, b42 = 0, b43 = 0, b44 = 0, b45 = 0, b46 = 0, b47 = 0, b48 = 0, b49 = 0;
  let c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0, c8 = 0, c9 = 0;
  let d0 = 0, d1 = 0, d2 = 0, d3 = 0, d4 = 0, d5 = 0, d6 = 0, d7 = 0, d8 = 0, d9 = 0;
  for (let round = 0; round < 48; round += 2) {
    c0 = s0 ^ s10 ^ s20 ^ s30 ^ s40; c1 = s1 ^ s11 ^ s21 ^ s31 ^ s41;
    c2 = s2 ^ s12 ^ s22 ^ s32 ^ s42; c3 = s3 ^ s13 ^ s23 ^ s33 ^ s43;
    c4 = s4 ^ s14 ^ s24 ^ s34 ^ s44; c5 = s5 ^ s15 ^ s25 ^ s35 ^ s45;
    c6 = s6 ^ s16 ^ s26 ^ s36 ^ s46; c7 = s7 ^ s17 ^ s27 ^ s37 ^ s47;
    c8 = s8 ^ s18 ^ s28 ^ s38 ^ s48; c9 = s9 ^ s19 ^ s29 ^ s39 ^ s49;
    d0 = c8 ^ ((c2 << 1) | (c3 >>> 31)); d1 = c9 ^ ((c3 << 1) | (c2 >>> 31));
    d2 = c0 ^ ((c4 << 1) | (c5 >>> 31)); d3 = c1 ^ ((c5 << 1) | (c4 >>> 31));
    d4 = c2 ^ ((c6 << 1) | (c7 >>> 31)); d5 = c3 ^ ((c7 << 1) | (c6 >>> 31));
    d6 = c4 ^ ((c8 << 1) | (c9 >>> 31)); d7 = c5 ^ ((c9 << 1) | (c8 >>> 31));
    d8 = c6 ^ ((c0 << 1) | (c1 >>> 31)); d9 = c7 ^ ((c1 << 1) | (c0 >>> 31));
    s0 ^= d0; s1 ^= d1; s2 ^= d2; s3 ^= d3; s4 ^= d4; s5 ^= d5; s6 ^= d6; s7 ^= d7; s8 ^= d8; s9 ^= d9;
    s10 ^= d0; s11 ^= d1; s12 ^= d2; s13 ^= d3; s14 ^= d4; s15 ^= d5; s16 ^= d6; s17 ^= d7; s18 ^= d8; s19 ^= d9;
    s20 ^= d0; s21 ^= d1; s22 ^= d2; s23 ^= d3; s24 ^= d4; s25 ^= d5; s26 ^= d6; s27 ^= d7; s28 ^= d8; s29 ^= d9;
    s30 ^= d0; s31 ^= d1; s32 ^= d2; s33 ^= d3; s34 ^= d4; s35 ^= d5; s36 ^= d6; s37 ^= d7; s38 ^= d8; s39 ^= d9;
    s40 ^= d0; s41 ^= d1; s42 ^= d2; s43 ^= d3; s44 ^= d4; s45 ^= d5; s46 ^= d6; s47 ^= d7; s48 ^= d8; s49 ^= d9;
    b0 = s0; b1 = s1;
    b32 = (s11 << 4) | (s10 >>> 28); b33 = (s10 << 4) | (s11 >>> 28);
    b14 = (s20 << 3) | (s21 >>> 29); b15 = (s21 << 3) | (s20 >>> 29);
    b46 = (s31 << 9) | (s30 >>> 23); b47 = (s30 << 9) | (s31 >>> 23);
    b28 = (s40 << 18) | (s41 >>> 14); b29 = (s41 << 18) | (s40 >>> 14);
    b20 = (s2 << 1) | (s3 >>> 31); b21 = (s3 << 1) | (s2 >>> 31);
    b2 = (s13 << 12) | (s12 >>> 20); b3 = (s12 << 12) | (s13 >>> 20);
    b34 = (s22 << 10) | (s23 >>> 22); b35 = (s23 << 10) | (s22 >>> 22);
    b16 = (s33 << 13) | (s32 >>> 19); b17 = (s32 << 13) | (s33 >>> 19);
    b48 = (s42 << 2) | (s43 >>> 30); b49 = (s43 << 2) | (s42 >>> 30);
    b40 = (s5 << 30) | (s4 >>> 2); b41 = (s4 << 30) | (s5 >>> 2);
    b22 = (s14 << 6) | (s15 >>> 26); b23 = (s15 << 6) | (s14 >>> 26);
    b4 = (s25 << 11) | (s24 >>> 21); b5 = (s24 << 11) | (s25 >>> 21);
    b36 = (s34 << 15) | (s35 >>> 17); b37 = (s35 << 15) | (s34 >>> 17);
    b18 = (s45 << 29) | (s44 >>> 3); b19 = (s44 << 29) | (s45 >>> 3);
    b10 = (s6 << 28) | (s7 >>> 4); b11 = (s7 << 28) | (s6 >>> 4);
    b42 = (s17 << 23) | (s16 >>> 9); b43 = (s16 << 23) | (s17 >>> 9);
    b24 = (s26 << 25) | (s27 >>> 7); b25 = (s27 << 25) | (s26 >>> 7);
    b6 = (s36 << 21) | (s37 >>> 11); b7 = (s37 << 21) | (s36 >>> 11);
    b38 = (s47 << 24) | (s46 >>> 8); b39 = (s46 << 24) | (s47 >>> 8);
    b30 = (s8 << 27) | (s9 >>> 5); b31 = (s9 << 27) | (s8 >>> 5);
    b12 = (s18 << 20) | (s19 >>> 12); b13 = (s19 << 20) | (s18 >>> 12);
    b44 = (s29 << 7) | (s28 >>> 25); b45 = (s28 << 7) | (s29 >>> 25);
    b26 = (s38 << 8) | (s39 >>> 24); b27 = (s39 << 8) | (s38 >>> 24);
    b8 = (s48 << 14) | (s49 >>> 18); b9 = (s49 << 14) | (s48 >>> 18);
    s0 = b0 ^ (~b2 & b4); s1 = b1 ^ (~b3 & b5);
    s2 = b2 ^ (~b4 & b6); s3 = b3 ^ (~b5 & b7);
    s4 = b4 ^ (~b6 & b8); s5 = b5 ^ (~b7 & b9);
    s6 = b6 ^ (~b8 & b0); s7 = b7 ^ (~b9 & b1);
    s8 = b8 ^ (~b0 & b2); s9 = b9 ^ (~b1 & b3);
    s10 = b10 ^ (~b12 & b14); s11 = b11 ^ (~b13 & b15);
    s12 = b12 ^ (~b14 & b16); s13 = b13 ^ (~b15 & b17);
    s14 = b14 ^ (~b16 & b18); s15 = b15 ^ (~b17 & b19);
    s16 = b16 ^ (~b18 & b10); s17 = b17 ^ (~b19 & b11);
    s18 = b18 ^ (~b10 & b12); s19 = b19 ^ (~b11 & b13);
    s20 = b20 ^ (~b22 & b24); s21 = b21 ^ (~b23 & b25);
    s22 = b22 ^ (~b24 & b26); s23 = b23 ^ (~b25 & b27);
    s24 = b24 ^ (~b26 & b28); s25 = b25 ^ (~b27 & b29);
    s26 = b26 ^ (~b28 & b20); s27 = b27 ^ (~b29 & b21);
    s28 = b28 ^ (~b20 & b22); s29 = b29 ^ (~b21 & b23);
    s30 = b30 ^ (~b32 & b34); s31 = b31 ^ (~b33 & b35);
    s32 = b32 ^ (~b34 & b36); s33 = b33 ^ (~b35 & b37);
    s34 = b34 ^ (~b36 & b38); s35 = b35 ^ (~b37 & b39);
    s36 = b36 ^ (~b38 & b30); s37 = b37 ^ (~b39 & b31);
    s38 = b38 ^ (~b30 & b32); s39 = b39 ^ (~b31 & b33);
    s40 = b40 ^ (~b42 & b44); s41 = b41 ^ (~b43 & b45);
    s42 = b42 ^ (~b44 & b46); s43 = b43 ^ (~b45 & b47);
    s44 = b44 ^ (~b46 & b48); s45 = b45 ^ (~b47 & b49);
    s46 = b46 ^ (~b48 & b40); s47 = b47 ^ (~b49 & b41);
    s48 = b48 ^ (~b40 & b42); s49 = b49 ^ (~b41 & b43);
    s0 ^= ROUND_CONSTANTS[round]!;
    s1 ^= ROUND_CONSTANTS[round + 1]!;
  }
  st[0] = s0; st[1] = s1; st[2] = s2; st[3] = s3; st[4] = s4; st[5] = s5; st[6] = s6; st[7] = s7; st[8] = s8; st[9] = s9;
  st[10] = s10; st[11] = s11; st[12] = s12; st[13] = s13; st[14] = s14; st[15] = s15; st[16] = s16; st[17] = s17; st[18] = s18; st[19] = s19;
  st[20] = s20; st[21] = s21; st[22] = s22; st[23] = s23; st[24] = s24; st[25] = s25; st[26] = s26; st[27] = s27; st[28] = s28; st[29] = s29;
  st[30] = s30; st[31] = s31; st[32] = s32; st[33] = s33; st[34] = s34; st[35] = s35; st[36] = s36; st[37] = s37; st[38] = s38; st[39] = s39;
  st[40] = s40; st[41] = s41; st[42] = s42; st[43] = s43; st[44] = s44; st[45] = s45; st[46] = s46; st[47] = s47; st[48] = s48; st[49] = s49;
}

// The hashing is synchronous, so one scratch state per process is safe to reuse.
const scratch = new Int32Array(50);
const lastBlock = new Uint8Array(RATE_BYTES);

function absorb(st: Int32Array, data: Uint8Array, offset: number): void {
  for (let w = 0; w < 34; w++) {
    const o = offset + 4 * w;
    st[w] = st[w]! ^ (data[o]! | (data[o + 1]! << 8) | (data[o + 2]! << 16) | (data[o + 3]! << 24));
  }
  permute(st);
}

export function keccak256(data: Uint8Array): Uint8Array {
  const st = scratch;
  st.fill(0);
  let offset = 0;
  for (; data.length - offset >= RATE_BYTES; offset += RATE_BYTES) absorb(st, data, offset);
  lastBlock.fill(0);
  lastBlock.set(data.subarray(offset));
  lastBlock[data.length - offset] = 0x01;
  lastBlock[RATE_BYTES - 1] = lastBlock[RATE_BYTES - 1]! | 0x80;
  absorb(st, lastBlock, 0);
  const out = new Uint8Array(32);
  for (let w = 0; w < 8; w++) {
    const v = st[w]!;
    out[4 * w] = v & 0xff;
    out[4 * w + 1] = (v >>> 8) & 0xff;
    out[4 * w + 2] = (v >>> 16) & 0xff;
    out[4 * w + 3] = (v >>> 24) & 0xff;
  }
  return out;
}
