/**
 * How a grant's patterns match what a plugin reaches for. Shared by the
 * registry's static checks (a BYOC app's external URL, its image) and the
 * kernel's enforcement at run time, so both say yes to exactly the same.
 */

/** A host grant: `host`, `host:port`, `*.suffix` or `*.suffix:port`; IPv6 literals in brackets (`[::1]:8080`). */
interface HostGrant {
  readonly host: string;
  readonly wildcard: boolean;
  readonly port?: number;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443 };

function parseHostGrant(pattern: string): HostGrant {
  const lower = pattern.trim().toLowerCase();
  const portMatch = /^(.*?):(\d{1,5})$/.exec(lower);
  // A bare IPv6 literal (no brackets) has colons but no port.
  const hasPort = portMatch !== null && (!portMatch[1]!.includes(':') || portMatch[1]!.startsWith('['));
  const hostPart = hasPort ? portMatch[1]! : lower;
  const wildcard = hostPart.startsWith('*.');
  return { host: wildcard ? hostPart.slice(1) : hostPart, wildcard, ...(hasPort ? { port: Number(portMatch[2]) } : {}) };
}

/** The port a URL reaches: its own, else its scheme's default. */
export function urlPort(url: URL): number | undefined {
  return url.port !== '' ? Number(url.port) : DEFAULT_PORTS[url.protocol];
}

/**
 * Whether `url` is covered by one of `patterns`. `*.example.com` covers every
 * subdomain (any depth) but not `example.com` itself; a pattern without a port
 * covers every port. Host names compare case-insensitively.
 */
export function hostGranted(patterns: readonly string[], url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const port = urlPort(url);
  return patterns.some((pattern) => {
    const grant = parseHostGrant(pattern);
    if (grant.port !== undefined && grant.port !== port) return false;
    return grant.wildcard ? host.endsWith(grant.host) && host.length > grant.host.length : host === grant.host;
  });
}

/** `name` → `name:latest`, as Docker reads a ref without tag or digest. */
export function normalizeImageRef(ref: string): string {
  const lastSlash = ref.lastIndexOf('/');
  const tail = ref.slice(lastSlash + 1);
  return tail.includes(':') || tail.includes('@') ? ref : `${ref}:latest`;
}

/**
 * Whether an image ref matches one of the patterns: `*` matches any run of
 * characters (`acme/*`, `acme/app:*`); a pattern without a tag matches every
 * tag of that name.
 */
export function imageGranted(patterns: readonly string[], ref: string): boolean {
  const image = normalizeImageRef(ref);
  return patterns.some((pattern) => {
    const tail = pattern.slice(pattern.lastIndexOf('/') + 1);
    const anyTag = !tail.includes(':') && !tail.includes('@') && !tail.includes('*');
    const source = (anyTag ? `${pattern}:*` : pattern).split('*').map(escapeRegExp).join('.*');
    return new RegExp(`^${source}$`).test(image);
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
