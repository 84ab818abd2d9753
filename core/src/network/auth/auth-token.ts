/**
 * Session auth tokens as go-livepeer orchestrators issue them: an 8-hex-char
 * session id, an expiry (Unix seconds, 30 minutes out) and
 * HMAC-SHA256(secret, sessionId ‖ minimal big-endian expiry). The gateway
 * echoes the token untouched, so only this node ever needs to re-derive it;
 * the secret is random per process, as in go-livepeer, so tokens die with the
 * process (gateways then simply refresh through GetOrchestrator).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { bigIntToMinimalBytes } from '../../payments/index.js';
import type { AuthToken } from '../wire/types.js';

export const AUTH_TOKEN_VALIDITY_SECONDS = 30n * 60n;

export type AuthTokenFault = 'missing' | 'invalid' | 'expired';

export interface AuthTokenIssuerOptions {
  /** 32 bytes; random per process when omitted (the normal case). */
  readonly secret?: Uint8Array;
  readonly validitySeconds?: bigint;
  /** Milliseconds since the epoch; tests pin it. */
  readonly now?: () => number;
  readonly randomBytes?: (size: number) => Uint8Array;
}

export class AuthTokenIssuer {
  readonly #secret: Uint8Array;
  readonly #validity: bigint;
  readonly #now: () => number;
  readonly #random: (size: number) => Uint8Array;

  constructor(options: AuthTokenIssuerOptions = {}) {
    this.#secret = options.secret ?? randomBytes(32);
    if (this.#secret.length !== 32) throw new RangeError('the auth token secret is 32 bytes');
    this.#validity = options.validitySeconds ?? AUTH_TOKEN_VALIDITY_SECONDS;
    this.#now = options.now ?? Date.now;
    this.#random = options.randomBytes ?? ((size) => randomBytes(size));
  }

  /** A fresh session with its token. */
  issue(): AuthToken {
    const sessionId = Buffer.from(this.#random(4)).toString('hex');
    return this.tokenFor(sessionId, this.#nowSeconds() + this.#validity);
  }

  /** A current token for a session id chosen by the caller (go-livepeer's runner challenge: the manifest id). */
  issueFor(sessionId: string): AuthToken {
    return this.tokenFor(sessionId, this.#nowSeconds() + this.#validity);
  }

  tokenFor(sessionId: string, expiration: bigint): AuthToken {
    // Go's big.Int.Bytes() drops the sign; mirror it so any echoed value hashes the same.
    const expiry = bigIntToMinimalBytes(expiration < 0n ? -expiration : expiration);
    const token = createHmac('sha256', this.#secret).update(Buffer.from(sessionId, 'utf8')).update(expiry).digest();
    return { token: new Uint8Array(token), sessionId, expiration };
  }

  /** Why `token` is not one of ours and current, or undefined when it is. */
  check(token: AuthToken | undefined): AuthTokenFault | undefined {
    if (token === undefined) return 'missing';
    const expected = this.tokenFor(token.sessionId, token.expiration).token;
    if (token.token.length !== expected.length || !timingSafeEqual(token.token, expected)) return 'invalid';
    if (token.expiration < this.#nowSeconds()) return 'expired';
    return undefined;
  }

  #nowSeconds(): bigint {
    return BigInt(Math.floor(this.#now() / 1000));
  }
}
