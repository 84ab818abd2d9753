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
});
