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
  REQUEST_REFUSED: {
    status: 400,
    description: "The orchestrator (or the app behind it) refused the job with a 4xx that blames the request, without an lpx code (a go-livepeer orchestrator's or worker's text). The client gets that status and text; no other orchestrator was tried and nothing more was paid.",
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
  NOT_ENABLED: {
    status: 503,
    description: 'coreServices.gateway was called on a node without the gateway role (node.roles); nothing was sent or paid.',
  },
  SEGMENT_REFUSED: {
    status: 502,
    description: "The orchestrator answered /segment with a non-200 status before transcoding (bad payment 402, segment credentials 403, payment refused or `Insufficient balance` 400, ...); the detail has its status and go-livepeer's text (`remoteMessage`). The gateway suspends it and tries another.",
  },
  SEGMENT_TRANSCODE_FAILED: {
    status: 502,
    description: "The orchestrator's TranscodeResult carried an error (`OrchestratorBusy`, `ErrTranscoderUnavailable`, an ffmpeg error, ...) or neither data nor error (`UnknownResponse`); `remoteMessage` has its text. Nothing was debited for it.",
  },
  SEGMENT_TIMEOUT: {
    status: 504,
    description: "An orchestrator took longer than go-livepeer's budgets for a segment: max(2 s, duration / 2) until the response headers, max(8 s, 4 × duration) for the whole call.",
  },
  SEGMENT_UNVERIFIED: {
    status: 502,
    description: "The renditions an orchestrator returned failed the gateway's verification: the signature over keccak256 of their hashes does not recover to the orchestrator's address (or ticket recipient), their count differs from the profiles asked, or (when enabled) their decoded pixel count differs from the pixels charged. The orchestrator is suspended.",
  },
  RENDITION_DOWNLOAD_FAILED: {
    status: 502,
    description: 'A rendition URL from the orchestrator could not be downloaded (unreachable, non-200, larger than the limit); the orchestrator is suspended and the segment tried on another.',
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
