/**
 * Where a webhook may go. A client names the URL, the gateway makes the
 * request: without a policy any client could make the gateway call its own
 * loopback admin ports, the LAN or the cloud metadata service (SSRF). The
 * check runs at submission (a coded 400 naming the range) and again at
 * delivery, where the addresses it approved are the only ones the socket may
 * connect to, so a DNS answer that changes in between (rebinding) cannot slip
 * through.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { errors } from '@lpx/sdk';
import { inCidrs, parseCidrs, refusedRange } from './address-ranges.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Host name → addresses; injectable so tests can answer as a rebinding DNS server would. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export interface EgressPolicyOptions {
  /** Any destination, private ranges included (gateway.webhooks.allowPrivate). */
  readonly allowPrivate?: boolean;
  /** Host names trusted whatever they resolve to: exact, or `*.suffix` for subdomains. */
  readonly allowHosts?: readonly string[];
  /** Ranges allowed although refused by default. */
  readonly allowCidrs?: readonly string[];
  readonly resolve?: HostResolver;
}

function hostMatches(host: string, pattern: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const p = pattern.toLowerCase().replace(/\.$/, '');
  return p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : h === p;
}

/** The URL's host without IPv6 brackets. */
function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

export class WebhookEgressPolicy {
  readonly #allowPrivate: boolean;
  readonly #allowHosts: readonly string[];
  readonly #allowCidrs: ReturnType<typeof parseCidrs>;
  readonly #resolve: HostResolver;

  constructor(options: EgressPolicyOptions = {}) {
    this.#allowPrivate = options.allowPrivate ?? false;
    this.#allowHosts = options.allowHosts ?? [];
    try {
      this.#allowCidrs = parseCidrs(options.allowCidrs ?? []);
    } catch (error) {
      throw errors.config.INVALID.create(`gateway.webhooks.allowCidrs: ${(error as Error).message}`);
    }
    this.#resolve = options.resolve ?? systemResolver;
  }

  /** Syntax only: an absolute http(s) URL, normalised (numeric IPv4 forms such as 2130706433 or 0x7f.1 become dotted). */
  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw errors.gateway.WEBHOOK_INVALID_URL.create(`webhook ${JSON.stringify(raw)} is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw errors.gateway.WEBHOOK_INVALID_URL.create(`webhook ${JSON.stringify(raw)} is not http(s)`);
    return url;
  }

  /**
   * The submission check: the normalised URL, or a coded 400 saying why not.
   * A name the operator trusts is not looked up here (it may resolve only
   * inside the delivery network); delivery resolves it.
   */
  async check(raw: string): Promise<string> {
    const url = this.parse(raw);
    if (!this.#trusts(hostOf(url))) await this.destinations(url);
    return url.toString();
  }

  #trusts(host: string): boolean {
    return this.#allowPrivate || (isIP(host) === 0 && this.#allowHosts.some((pattern) => hostMatches(host, pattern)));
  }

  /**
   * The addresses a delivery to `url` may connect to, every one checked. A
   * name with any refused answer is refused as a whole: an attacker's DNS
   * would otherwise mix a public and a private answer and let the resolver pick.
   */
  async destinations(url: URL): Promise<readonly ResolvedAddress[]> {
    const host = hostOf(url);
    const literal = isIP(host);
    const trusted = this.#trusts(host);
    let answers: readonly ResolvedAddress[];
    if (literal !== 0) answers = [{ address: host, family: literal === 6 ? 6 : 4 }];
    else {
      try {
        answers = await this.#resolve(host);
      } catch (error) {
        throw errors.gateway.WEBHOOK_UNRESOLVABLE.create(`webhook host ${JSON.stringify(host)} does not resolve (${(error as { code?: string }).code ?? (error as Error).message})`);
      }
      if (answers.length === 0) throw errors.gateway.WEBHOOK_UNRESOLVABLE.create(`webhook host ${JSON.stringify(host)} has no addresses`);
    }
    if (trusted) return answers;
    for (const { address } of answers) {
      const range = refusedRange(address);
      if (range === undefined || inCidrs(address, this.#allowCidrs)) continue;
      const where = literal !== 0 ? `webhook address ${address}` : `webhook host ${JSON.stringify(host)} resolves to ${address}, which`;
      throw errors.gateway.WEBHOOK_DESTINATION_REFUSED.create(
        `${where} is ${range}; the gateway's egress policy refuses it (operators: gateway.webhooks.allowCidrs / allowHosts / allowPrivate)`,
        { details: { host, address, range } },
      );
    }
    return answers;
  }
}
