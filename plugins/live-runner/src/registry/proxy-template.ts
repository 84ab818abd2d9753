/**
 * go-livepeer's `-liveRunnerProxyUrl`: an absolute http(s) URL with exactly
 * one `{proxy}`, which must be the final path segment (default
 * `{serviceUri}/run/{proxy}`). lpx serves path templates on its own door;
 * a host template (`https://{proxy}.apps.example.com`) needs host-based
 * routing on the door and is refused for now (ADR 0040).
 */
import { errors } from '@lpx/sdk';

export interface ProxyTemplate {
  /** The public URL of a proxy id. */
  url(proxyId: string): string;
  /** The door path the ids live under, with a trailing slash (`/run/`). */
  readonly pathPrefix: string;
}

const PLACEHOLDER = '{proxy}';

export function parseProxyTemplate(raw: string | undefined, serviceUri: () => string | undefined): ProxyTemplate {
  if (raw === undefined || raw === '') {
    return {
      url: (proxyId) => `${serviceUri() ?? ''}/run/${proxyId}`,
      pathPrefix: '/run/',
    };
  }
  const invalid = (why: string) => errors.liveRunner.CONFIG_INVALID.create(`proxyUrl ${raw}: ${why}`, { details: { key: 'proxyUrl' } });
  if (raw.split(PLACEHOLDER).length !== 2) throw invalid('live runner proxy url must contain exactly one {proxy} placeholder');
  let parsed: URL;
  try {
    parsed = new URL(raw.replace(PLACEHOLDER, 'proxy-placeholder'));
  } catch {
    throw invalid('live runner proxy url must be an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid('live runner proxy url scheme must be http or https');
  if (parsed.hostname.includes('proxy-placeholder')) throw invalid('host templates are not served by lpx yet; put {proxy} in the final path segment');
  const segments = parsed.pathname.split('/');
  if (segments.at(-1) !== 'proxy-placeholder') throw invalid('live runner proxy url path placeholder must be the final path segment');
  const pathPrefix = `${segments.slice(0, -1).join('/')}/`;
  return { url: (proxyId) => raw.replace(PLACEHOLDER, proxyId), pathPrefix };
}
