/**
 * The version rule go-livepeer applies to node and runner versions
 * (`isVersionCompatible`). It uses Masterminds semver's lenient parser, which
 * accepts `v1`, `1.2`, `v1.2.3-rc.1+meta`, so we parse the same shapes here
 * rather than with npm `semver` (which rejects `1.2`).
 */

const LENIENT_SEMVER =
  /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const UINT64_MAX = (1n << 64n) - 1n;

export interface LenientVersion {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly prerelease: string;
}

export function parseLenientSemver(text: string): LenientVersion | undefined {
  const match = LENIENT_SEMVER.exec(text);
  if (!match) return undefined;
  const segments = [match[1], match[2], match[3]].map((part) => BigInt((part ?? '').replace('.', '') || '0'));
  if (segments.some((segment) => segment > UINT64_MAX)) return undefined;
  const prerelease = match[5] ?? '';
  // Numeric prerelease identifiers with a leading zero are rejected by the Go parser.
  if (prerelease.split('.').some((id) => /^[0-9]+$/.test(id) && id.length > 1 && id.startsWith('0'))) return undefined;
  const [major = 0n, minor = 0n, patch = 0n] = segments;
  return { major, minor, patch, prerelease };
}

function compareCore(a: LenientVersion, b: LenientVersion): number {
  for (const key of ['major', 'minor', 'patch'] as const) {
    if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
  }
  return 0;
}

/**
 * True when `version` satisfies `minVersion`:
 * - no minimum → compatible;
 * - empty or literal `undefined` version → incompatible;
 * - unparsable minimum → compatible (go-livepeer logs and lets it pass);
 * - unparsable version → incompatible;
 * - otherwise compare major.minor.patch only: prerelease suffixes are ignored
 *   on both sides because go-livepeer/ai-runner use them as post-release tags.
 */
export function isVersionCompatible(minVersion: string | undefined, version: string | undefined): boolean {
  if (!minVersion) return true;
  if (!version || version === 'undefined') return false;
  const min = parseLenientSemver(minVersion);
  if (!min) return true;
  const actual = parseLenientSemver(version);
  if (!actual) return false;
  return compareCore(actual, min) >= 0;
}
