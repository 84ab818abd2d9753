/**
 * Which addresses a webhook may reach by default: only global unicast. The
 * range table is ipaddr.js's (IANA special-purpose registries), not ours, so
 * loopback, RFC 1918, link-local (cloud metadata 169.254.169.254), CGNAT,
 * unique-local, multicast, documentation and reserved blocks are all named.
 */
import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** What each ipaddr.js range name means to an operator reading a refusal. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'unspecified ("this network", 0.0.0.0/8 or ::)',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local (169.254.0.0/16 incl. cloud metadata, fe80::/10)',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT (100.64.0.0/10)',
  private: 'private (RFC 1918)',
  reserved: 'reserved / documentation',
  uniqueLocal: 'unique-local (fc00::/7)',
  benchmarking: 'benchmarking',
  rfc6052: 'NAT64 (64:ff9b::/96, IPv4 inside)',
  rfc6145: 'IPv4-translated IPv6',
  '6to4': '6to4 (2002::/16, IPv4 inside)',
  teredo: 'Teredo (2001::/32)',
};

function parse(address: string): Address | undefined {
  const plain = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIP(plain) === 0) return undefined;
  return ipaddr.parse(plain);
}

/**
 * Why `address` is not a plain public destination, or undefined when it is.
 * IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) forms are
 * judged by the IPv4 address inside them, which is where a socket would go.
 */
export function refusedRange(address: string): string | undefined {
  let ip = parse(address);
  if (ip === undefined) return 'not an IP address';
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) ip = v6.toIPv4Address();
    else if (v6.parts.slice(0, 6).every((part) => part === 0) && v6.range() === 'unicast') {
      return 'IPv4-compatible IPv6 (::/96, deprecated)';
    }
  }
  const range = ip.range();
  if (range === 'unicast') return undefined;
  return RANGE_NAMES[range] ?? range;
}

/** A parsed CIDR list; throws on a malformed entry so config mistakes show at start. */
export function parseCidrs(cidrs: readonly string[]): ReadonlyArray<[Address, number]> {
  return cidrs.map((cidr) => {
    try {
      return ipaddr.parseCIDR(cidr);
    } catch {
      throw new Error(`${JSON.stringify(cidr)} is not a CIDR range (e.g. 10.0.0.0/8, ::1/128)`);
    }
  });
}

export function inCidrs(address: string, cidrs: ReadonlyArray<[Address, number]>): boolean {
  const ip = parse(address);
  if (ip === undefined) return false;
  // Compare like with like: a mapped IPv6 address is matched against IPv4 ranges too.
  const forms: Address[] = [ip];
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) forms.push((ip as ipaddr.IPv6).toIPv4Address());
  if (ip.kind() === 'ipv4') forms.push((ip as ipaddr.IPv4).toIPv4MappedAddress());
  return cidrs.some(([range, bits]) => forms.some((form) => form.kind() === range.kind() && form.match(range, bits)));
}
