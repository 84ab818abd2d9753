import { defineErrors } from '../lpx-error.js';

// The gateway role: the orchestrator pool, routing, and the client job API.
export const gatewayErrors = defineErrors('GATEWAY', {
  NO_ORCHESTRATORS: {
    status: 503,
    description: 'No orchestrator in the pool can take the job: none answered discovery, none offers the capability (and model), or all are suspended or already tried.',
  },
  PRICE_TOO_HIGH: {
    status: 503,
    description: 'Orchestrators offer the capability, but every one of them asks more than the configured max price (gateway.maxPrice / maxPricePerCapability).',
  },
  PRICE_INCREASED: {
    status: 502,
    description: "An orchestrator's refreshed price is more than twice the price the session started with; go-livepeer's gateway refuses to pay it (\"Orchestrator price has more than doubled\").",
  },
  WEBHOOK_INVALID_URL: {
    status: 400,
    description: 'The `?webhook=` / `Lpx-Webhook` value is not an absolute http(s) URL; nothing was queued.',
  },
  WEBHOOK_UNRESOLVABLE: {
    status: 400,
    description: "The webhook's host name does not resolve (checked when the job is submitted); nothing was queued.",
  },
  WEBHOOK_DESTINATION_REFUSED: {
    status: 400,
    description: "The webhook's host is, or resolves to, an address the gateway's egress policy refuses: loopback, private (RFC 1918), link-local (incl. cloud metadata 169.254.169.254), CGNAT, unique-local, multicast, reserved, or an IPv4-mapped form of those. The detail names the range. Operators allow destinations with gateway.webhooks.allowPrivate / allowHosts / allowCidrs (ADR 0019).",
  },
  WEBHOOK_SECRET: {
    status: 500,
    description: "The gateway could not read or create its webhook signing secret (`<node.dataDir>/gateway-webhook-secret`); set gateway.webhooks.secret or fix the file's permissions (ADR 0019).",
  },
});
