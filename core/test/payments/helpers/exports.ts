// Re-exports for tests, plus constants the public API does not need to carry.
export * from '../../../src/payments/index.js';
export { SECP256K1_N as SECP256K1_N_FOR_TESTS } from '../../../src/payments/crypto/signature.js';
