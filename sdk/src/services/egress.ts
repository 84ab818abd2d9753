/**
 * Outbound HTTP for a plugin, through the kernel (`coreServices.egress`,
 * plugin-scoped): refused with LPX_ERR_PLUGIN_PERMISSION_DENIED unless the
 * plugin's manifest declares `network` and its `grants.network.hosts` cover
 * the URL's host. Code loaded in-process is not sandboxed, so this is the
 * path registry plugins must use and the path the kernel audits; see
 * docs/adr/0036-permissions-enforced.md for what is and is not enforced.
 */
export interface EgressService {
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
  /** Throws the refusal `fetch` would give, naming the host and the permission. */
  check(url: string | URL): void;
  allowed(url: string | URL): boolean;
}
