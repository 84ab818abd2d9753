/**
 * Route schemas of go-livepeer's external-capability routes on the
 * orchestrator's front door (docs/adr/0058, plugin route schemas). The body
 * is read as text and checked by the route, so it is documented, never
 * validated; answers are go-livepeer's texts (labelled application/json, as
 * go-livepeer labels them).
 */
import { contentResponse, routeSchema } from '@lpx/sdk';

const tags = ['byoc-host'] as const;
const text = (description: string) => contentResponse(description, 'application/json', { type: 'string', description: 'Plain text, labelled application/json as go-livepeer does.' });
const auth = { type: 'object', properties: { authorization: { description: 'The orchestrator secret, raw (no Bearer).' } } } as const;

export const registerCapabilitySchema = routeSchema({
  summary: 'Register an external BYOC worker as a capability (go-livepeer /capability/register)',
  tags: [...tags],
  headers: auth,
  requestBody: {
    content: {
      'application/json': {
        type: 'object',
        additionalProperties: true,
        required: ['name', 'url'],
        properties: {
          name: { type: 'string', description: 'The capability (app) name.' },
          url: { type: 'string', description: "The worker's base URL." },
          description: { type: 'string' },
          capacity: { type: 'integer', minimum: 1 },
          price_per_unit: { type: 'integer', minimum: 0 },
          price_scaling: { type: 'integer', minimum: 1 },
          currency: { type: 'string' },
          token: { type: 'string', description: 'Sent back to the worker with every request, when set.' },
        },
      },
    },
  },
  response: { 200: text('`ok`.'), 400: text('`invalid authorization`, a malformed registration, a name a plugin hosts, or too many external capabilities.') },
});

export const unregisterCapabilitySchema = routeSchema({
  summary: 'Remove an external BYOC capability (go-livepeer /capability/unregister)',
  tags: [...tags],
  headers: auth,
  requestBody: { content: { 'text/plain': { type: 'string', description: 'The capability name.' } } },
  response: { 200: text('`ok`.'), 400: text('`invalid authorization`, or no such external capability.') },
});
