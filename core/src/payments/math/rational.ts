/**
 * Exact rational numbers over bigint, the money type of the payments code
 * (go-livepeer uses big.Rat for the same values). Always reduced, with a
 * positive denominator, so equal values have equal fields and `toString` is
 * canonical. There is deliberately no conversion to or from floating point.
 */

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}

export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  static of(num: bigint, den: bigint = 1n): Rational {
    if (den === 0n) throw new RangeError('rational with zero denominator');
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (den === 1n) return new Rational(num, 1n);
    const g = gcd(num, den);
    return g === 1n ? new Rational(num, den) : new Rational(num / g, den / g);
  }

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);

  /** Parses `"n"` or `"n/d"` (the form `toString` writes). */
  static parse(text: string): Rational {
    const match = /^(-?\d+)(?:\/(\d+))?$/.exec(text.trim());
    if (!match) throw new RangeError(`not a rational: ${text}`);
    return Rational.of(BigInt(match[1]!), match[2] === undefined ? 1n : BigInt(match[2]));
  }

  add(other: Rational): Rational {
    if (this.den === other.den) return Rational.of(this.num + other.num, this.den);
    return Rational.of(this.num * other.den + other.num * this.den, this.den * other.den);
  }

  sub(other: Rational): Rational {
    return this.add(other.neg());
  }

  mul(other: Rational): Rational {
    return Rational.of(this.num * other.num, this.den * other.den);
  }

  mulInt(value: bigint): Rational {
    return Rational.of(this.num * value, this.den);
  }

  div(other: Rational): Rational {
    if (other.num === 0n) throw new RangeError('division by zero');
    return Rational.of(this.num * other.den, this.den * other.num);
  }

  neg(): Rational {
    return new Rational(-this.num, this.den);
  }

  inv(): Rational {
    return Rational.of(this.den, this.num);
  }

  cmp(other: Rational): -1 | 0 | 1 {
    const l = this.num * other.den;
    const r = other.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }

  eq(other: Rational): boolean {
    return this.num === other.num && this.den === other.den;
  }

  lt(other: Rational): boolean {
    return this.cmp(other) < 0;
  }

  lte(other: Rational): boolean {
    return this.cmp(other) <= 0;
  }

  gt(other: Rational): boolean {
    return this.cmp(other) > 0;
  }

  gte(other: Rational): boolean {
    return this.cmp(other) >= 0;
  }

  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }

  isZero(): boolean {
    return this.num === 0n;
  }

  isInteger(): boolean {
    return this.den === 1n;
  }

  /** Rounds toward negative infinity. */
  floor(): bigint {
    const q = this.num / this.den;
    return this.num < 0n && q * this.den !== this.num ? q - 1n : q;
  }

  /** Rounds toward positive infinity. */
  ceil(): bigint {
    const q = this.num / this.den;
    return this.num > 0n && q * this.den !== this.num ? q + 1n : q;
  }

  /** Rounds toward zero (what Go's big.Int.Quo and int conversion do). */
  trunc(): bigint {
    return this.num / this.den;
  }

  /** `"n/d"`, or `"n"` for integers. */
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }

  /**
   * Decimal string with `digits` places, the last one rounded to nearest with
   * halves away from zero (Go's big.Rat.FloatString, which go-livepeer's error
   * texts use). For logs and messages only, never for arithmetic.
   */
  toFixed(digits: number): string {
    const scale = 10n ** BigInt(digits);
    const negative = this.num < 0n;
    const absNum = negative ? -this.num : this.num;
    let scaled = (absNum * scale) / this.den;
    const remainder = (absNum * scale) % this.den;
    if (remainder * 2n >= this.den) scaled += 1n;
    const intPart = scaled / scale;
    const sign = negative && scaled !== 0n ? '-' : '';
    if (digits === 0) return `${sign}${intPart}`;
    return `${sign}${intPart}.${(scaled % scale).toString().padStart(digits, '0')}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
