export type ServiceUriCheck = { ok: true; uri: string } | { ok: false; reason: string };

/**
 * An orchestrator's ServiceRegistry URI as a candidate uri. go-livepeer dials
 * whatever url.Parse gives it and drops the O when the dial fails; we drop
 * anything that is not an absolute http(s) URL up front, because that can
 * never be dialled, and normalise the rest like the webhook strategy does so
 * the kernel's de-duplication by uri sees one spelling.
 */
export function normaliseServiceUri(raw: string): ServiceUriCheck {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, reason: 'empty service URI (the orchestrator is not announcing work)' };
  if (!/^https?:\/\//i.test(trimmed)) return { ok: false, reason: 'not an http(s) URL' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, reason: 'not a parseable URL' };
  }
  if (url.hostname === '') return { ok: false, reason: 'no host' };
  return { ok: true, uri: `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}` };
}
