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
  API_KEY_REQUIRED: {
    status: 401,
    description: 'A /v1/jobs request without `Authorization: Bearer <key>` on a gateway that has tenants (gateway.tenants); nothing was queued or paid.',
  },
  API_KEY_INVALID: {
    status: 401,
    description: 'The bearer key matches no tenant of this gateway (unknown, removed or rotated key); nothing was queued or paid.',
  },
  CAPABILITY_NOT_ALLOWED: {
    status: 403,
    description: "The tenant's `capabilities` list does not allow this capability id; nothing was queued or paid.",
  },
  BUDGET_EXHAUSTED: {
    status: 402,
    description: "The tenant has spent its budget for the current period (gateway.tenants.<name>.budget); the job was refused before any ticket was created. `retry-after` says when the period ends.",
  },
  UNKNOWN_CAPABILITY: {
    status: 404,
    description: 'The gateway knows no such capability: it is neither configured (gateway.capabilities, tenant capability lists, maxPricePerCapability) nor offered by any discovered orchestrator. No queue or worker was created.',
  },
  OPEN_ON_PUBLIC_HOST: {
    status: 500,
    description: 'The gateway role has no tenants and its HTTP edge is bound to a non-loopback host: anyone reaching it could spend the deposit. Add tenants (`lpx tenants add`) or bind http.host to 127.0.0.1 / ::1.',
  },
  TENANT_CONFIG: {
    status: 500,
    description: '`lpx tenants …` could not apply the change to the config file: an unknown or duplicate tenant name, a bad budget or price, or a file it cannot rewrite.',
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
