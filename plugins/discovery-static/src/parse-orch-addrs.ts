/** go-livepeer's orchestrator RPC port, added when an address names none. */
export const DEFAULT_ORCHESTRATOR_PORT = '8935';
const DEFAULT_HOST = '127.0.0.1';

export interface ParsedOrchAddrs {
  /** Normalised `scheme://host:port[/path]`, de-duplicated, in the order given. */
  readonly uris: string[];
  readonly rejected: { entry: string; reason: string }[];
}

/**
 * go-livepeer's parseOrchAddrs: split on commas, trim, fill in the host/port
 * (`:9000` → 127.0.0.1:9000, `host` → host:8935) and default to https.
 *
 * Deliberate differences, all on input go-livepeer mishandles:
 * - empty entries (a trailing comma) are skipped; go-livepeer turns them into 127.0.0.1:8935;
 * - only `http://` and `https://` count as a scheme; go-livepeer checks the prefix `http`,
 *   so a host named `httpbin.org` would lose its https default;
 * - repeated addresses collapse to one; go-livepeer would dial them twice.
 */
export function parseOrchAddrs(input: string | readonly string[]): ParsedOrchAddrs {
  const entries = (typeof input === 'string' ? [input] : input).flatMap((value) => value.split(','));
  const uris: string[] = [];
  const rejected: { entry: string; reason: string }[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    const result = normaliseOrchAddr(entry);
    if ('reason' in result) rejected.push({ entry, reason: result.reason });
    else if (!uris.includes(result.uri)) uris.push(result.uri);
  }
  return { uris, rejected };
}

export function normaliseOrchAddr(entry: string): { uri: string } | { reason: string } {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry);
  if (hasScheme && !/^https?:\/\//i.test(entry)) return { reason: 'only http:// and https:// orchestrator URLs are supported' };
  const withScheme = hasScheme ? entry : `https://${withDefaultHostPort(entry)}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { reason: 'not a valid host[:port] or URL' };
  }
  if (url.hostname === '') return { reason: 'no host' };
  if (url.search !== '' || url.hash !== '' || url.username !== '') return { reason: 'an orchestrator address carries no query, fragment or credentials' };
  // WHATWG URL drops a default port (https:443), so put it back from the input to keep what the operator wrote.
  const port = url.port || explicitDefaultPort(withScheme);
  const path = url.pathname === '/' ? '' : url.pathname;
  return { uri: `${url.protocol}//${url.hostname}${port ? `:${port}` : ''}${path}` };
}

/** go-livepeer's defaultAddr, applied only when the entry has no scheme (it is not IPv6-safe there either). */
function withDefaultHostPort(entry: string): string {
  if (entry.startsWith(':')) return `${DEFAULT_HOST}${entry}`;
  if (!entry.includes(':')) return `${entry}:${DEFAULT_ORCHESTRATOR_PORT}`;
  return entry;
}

function explicitDefaultPort(uri: string): string {
  return /^https?:\/\/(?:\[[^\]]*\]|[^/:]*):(443|80)(?:\/|$)/i.exec(uri)?.[1] ?? '';
}
