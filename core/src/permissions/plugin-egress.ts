/**
 * coreServices.egress: a plugin's outbound HTTP through the kernel, allowed
 * only to hosts its `network` grant names (docs/adr/0036-permissions-enforced.md).
 * Redirects are followed here, each hop checked again, so a granted host
 * cannot bounce the request to one that is not; credentials are dropped when
 * a redirect leaves the origin, as browsers do.
 */
import { hostGranted } from '@lpx/registry';
import { errors, type EgressService } from '@lpx/sdk';
import type { PluginPermissions } from './plugin-permissions.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** As fetch's own limit. */
const MAX_REDIRECTS = 20;

export function pluginEgress(permissions: PluginPermissions, fetchImpl: typeof fetch = fetch): EgressService {
  const check = (target: string | URL): URL => {
    let url: URL;
    try {
      url = new URL(target);
    } catch (cause) {
      throw errors.plugin.PERMISSION_DENIED.create(`plugin ${permissions.pluginId} may not fetch ${String(target)}: not an absolute URL`, { cause, details: { plugin: permissions.pluginId, permission: 'network', url: String(target) } });
    }
    const where = `${url.hostname}${url.port === '' ? '' : `:${url.port}`}`;
    const details = { url: url.href, host: where };
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw permissions.deny('network', `fetch ${url.protocol} URLs (only http and https go through egress)`, { details });
    permissions.require('network', `reach ${where}`, { grant: 'grants.network.hosts', details });
    const hosts = permissions.grants.network?.hosts ?? [];
    if (!hostGranted(hosts, url)) throw permissions.deny('network', `reach ${where}`, { grant: 'grants.network.hosts', details: { ...details, hosts } });
    return url;
  };

  return {
    check(url) {
      check(url);
    },
    allowed(url) {
      try {
        check(url);
        return true;
      } catch {
        return false;
      }
    },
    async fetch(input, init = {}) {
      let url = check(input);
      const mode = init.redirect ?? 'follow';
      let method = (init.method ?? 'GET').toUpperCase();
      let body = init.body;
      const headers = new Headers(init.headers);
      for (let hop = 0; ; hop++) {
        const response = await fetchImpl(url, { ...init, method, headers, body: body ?? null, redirect: 'manual' });
        const location = response.headers.get('location');
        if (mode === 'manual' || !REDIRECTS.has(response.status) || location === null) return response;
        await response.body?.cancel();
        // As fetch itself answers redirect: 'error'.
        if (mode === 'error') throw new TypeError(`egress: ${url.href} redirected to ${location} and the request asked for redirect: "error"`);
        if (hop >= MAX_REDIRECTS) throw new TypeError(`egress: more than ${MAX_REDIRECTS} redirects from ${String(input)}`);
        const next = check(new URL(location, url));
        // fetch's rules: 303 becomes GET, and so does a POST answered 301/302; 307/308 resend the body.
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
          for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(name);
        } else if (body instanceof ReadableStream) {
          throw new TypeError(`egress: cannot resend a streamed body to ${next.href} after a ${response.status} redirect`);
        }
        if (next.origin !== url.origin) {
          headers.delete('authorization');
          headers.delete('cookie');
          headers.delete('proxy-authorization');
        }
        url = next;
      }
    },
  };
}
