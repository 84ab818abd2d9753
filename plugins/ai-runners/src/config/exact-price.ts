/**
 * Prices are money: go-livepeer reads aiModels prices as big rationals from
 * the JSON number's text (`big.Rat.SetString`), never as floats. This reads
 * the same forms (`12`, `0.5`, `1.5e-3`, `3/2`) into a reduced fraction of
 * bigints. Numbers that already went through a float (YAML/inline config)
 * are accepted only when their shortest decimal form is short enough to be
 * what the operator wrote (see `fromConfigNumber`).
 */
export interface ExactRational {
  readonly num: bigint;
  readonly den: bigint;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$|^([+-]?)\.(\d+)(?:[eE]([+-]?\d+))?$/;
const FRACTION = /^([+-]?\d+)\/(\d+)$/;
/** An exponent this large is a typo, not a price; refusing it keeps 10n ** exp bounded. */
const MAX_EXPONENT = 100;
/** Doubles keep 15 significant decimal digits exactly: beyond that the written value may already be lost. */
const MAX_FLOAT_DIGITS = 15;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function reduce(num: bigint, den: bigint): ExactRational {
  if (den === 0n) throw new RangeError('zero denominator');
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den < 0n ? -den : den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

/** Parses the text of a JSON number or a price string; undefined when it is not one. */
export function parseExactRational(text: string): ExactRational | undefined {
  const trimmed = text.trim();
  const fraction = FRACTION.exec(trimmed);
  if (fraction) {
    const den = BigInt(fraction[2]!);
    return den === 0n ? undefined : reduce(BigInt(fraction[1]!), den);
  }
  const m = DECIMAL.exec(trimmed);
  if (!m) return undefined;
  const sign = (m[1] ?? m[5]) === '-' ? -1n : 1n;
  const whole = m[2] ?? '0';
  const frac = m[3] ?? m[6] ?? '';
  const exponent = Number(m[4] ?? m[7] ?? '0');
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > MAX_EXPONENT) return undefined;
  let num = sign * BigInt(whole + frac);
  let den = 10n ** BigInt(frac.length);
  if (exponent > 0) num *= 10n ** BigInt(exponent);
  else if (exponent < 0) den *= 10n ** BigInt(-exponent);
  return reduce(num, den);
}

/**
 * A number that came from YAML or JSON.parse. Its shortest decimal form is
 * exactly what was written whenever the operator wrote at most 15 significant
 * digits; longer ones cannot be trusted and must be quoted.
 */
export function fromConfigNumber(value: number): ExactRational | { readonly error: string } {
  if (!Number.isFinite(value)) return { error: `${value} is not a finite number` };
  if (Number.isSafeInteger(value)) return { num: BigInt(value), den: 1n };
  const text = String(value);
  const digits = text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
  if (digits.length > MAX_FLOAT_DIGITS) return { error: `${text} has more digits than a float keeps exactly: write it as a string` };
  const parsed = parseExactRational(text);
  return parsed ?? { error: `${text} is not a number` };
}

export function isInteger(value: ExactRational): boolean {
  return value.den === 1n;
}

export function formatRational(value: ExactRational): string {
  return value.den === 1n ? value.num.toString() : `${value.num}/${value.den}`;
}
