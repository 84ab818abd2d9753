/**
 * Route schemas of the operator's read-only views on the node port: `/status`
 * (status-types.ts), `/events` (events-route.ts) and `/dashboard`
 * (dashboard-routes.ts). Documentation only (ADR 0058): replies are written as
 * before, the querystring stays untyped because the handler reads it itself.
 */
import { binaryResponse, eventStreamResponse, htmlResponse, jsonResponse, problemResponses, routeSchema, type JsonSchema } from '@lpx/sdk';
import { NODE_EVENT_TYPES } from './node-events.js';

const open = (description: string, properties: Record<string, JsonSchema> = {}, required: string[] = []): JsonSchema => ({
  type: 'object',
  additionalProperties: true,
  description,
  ...(required.length === 0 ? {} : { required }),
  ...(Object.keys(properties).length === 0 ? {} : { properties }),
});
const list = (description: string, items: JsonSchema): JsonSchema => ({ type: 'array', description, items });
const wei = (description: string): JsonSchema => ({ type: 'string', pattern: '^[0-9]+$', description: `${description} (wei, decimal string).` });

const nodeStatusSchema = open(
  'The node at a glance; a section is absent when the node does not run the role it describes.',
  {
    node: open('name, version, roles, host state, address (network roles), ready and the readiness checks.', {
      name: { type: 'string' },
      version: { type: 'string' },
      roles: list('The roles this node runs.', { type: 'string' }),
      state: { type: 'string', description: 'Host state: starting, ready, stopping, ...' },
      address: { type: 'string', description: "The node's Ethereum address when it has a network role." },
      ready: { type: 'boolean' },
      checks: { type: 'object', additionalProperties: { type: 'string' } },
    }),
    generatedAt: { type: 'string', format: 'date-time' },
    links: open('Other read-only endpoints: `metrics`, and `events` when this node serves the stream.'),
    plugins: list('Loaded plugins with their health (ok, revoked, or the host state) and capabilities.', open('id, version, health, detail, capabilities.')),
    capabilities: list('Capabilities with capacity, use and price.', open('id, mode, providedBy, capacity, inUse, available, price {pricePerUnit, pixelsPerUnit, unit}.')),
    jobs: open('Job outcomes since start: totals and byCapability (completed, failed, retried).'),
    gateway: open('Gateway role: ticketsSent, ticketValueSentWei, orchestratorFailures.'),
    orchestrator: open('Orchestrator or redeemer role: tickets received / credited / winning / refused, redemptions by outcome, redeemedWei.', {
      redeemedWei: wei('Value received from redeemed tickets'),
    }),
    funds: open('Deposit and reserve of this node as a ticket sender; `error` when the chain read failed.', {
      depositWei: wei('TicketBroker deposit'),
      reserveWei: wei('Reserve funds remaining'),
    }),
  },
  ['node', 'generatedAt', 'links', 'plugins', 'capabilities', 'jobs'],
);

export const statusRouteSchema = routeSchema({
  summary: 'The node at a glance: roles, plugins, capabilities, jobs, money',
  description: 'Read by the dashboard every few seconds; cheap (no Redis round trip, at most one cached chain read). Never refuses: a failed chain read is reported inside `funds`.',
  tags: ['node'],
  response: { 200: jsonResponse('The node status (core/src/observability/status/status-types.ts).', nodeStatusSchema) },
});

export const eventsRouteSchema = routeSchema({
  summary: 'Job and payment events as Server-Sent Events',
  description:
    'Each event is `event: <type>` and `data: <json>`; comment lines are heartbeats. A client that reads slower than events arrive is disconnected once its unsent output passes a bound (it reconnects; events in between are missed).',
  tags: ['node'],
  querystring: {
    type: 'object',
    properties: { types: { description: `Comma-separated event types to receive (${NODE_EVENT_TYPES.join(', ')}); unknown names are ignored; all when absent.` } },
  },
  response: { 200: eventStreamResponse('The event stream, open until the client leaves.') },
});

const dashboardPage = routeSchema({
  summary: 'The web dashboard (HTML page)',
  description: 'Served from the dashboard build on this node (no CDN); the page reads /status and follows /events.',
  tags: ['dashboard'],
  response: {
    200: htmlResponse('The dashboard page.'),
    503: {
      description: 'The dashboard is not built: an HTML page saying so to browsers (Accept: text/html), problem+json (LPX_ERR_DASHBOARD_ASSETS_MISSING) to everything else.',
      content: { ...htmlResponse('').content, ...problemResponses({ 503: '' })[503]!.content },
    },
  },
});

export const dashboardRouteSchemas = {
  page: dashboardPage,
  asset: routeSchema({
    summary: "One of the dashboard's built assets (scripts, styles, images)",
    description: 'Names carry a content hash, so the answer may be cached for good.',
    tags: ['dashboard'],
    params: { type: 'object', properties: { file: { type: 'string', description: 'An asset file name from the build (no paths).' } } },
    response: {
      200: binaryResponse('The asset, typed by its extension (JavaScript, CSS, SVG, PNG, icon, JSON).'),
      ...problemResponses({ 404: 'No such asset (LPX_ERR_HTTP_NOT_FOUND).' }),
    },
  }),
};
