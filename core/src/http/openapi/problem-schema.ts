/**
 * Route-schema pieces shared by every documented route: they live in the SDK
 * (sdk/src/services/route-schema.ts) so the kernel's routes and the plugins'
 * describe refusals with the one problem+json schema
 * (core/src/http/problem-json.ts) and responses the same way.
 */
export {
  PROBLEM_CONTENT_TYPE,
  problemSchema,
  problemResponse,
  problemResponses,
  contentResponse,
  jsonResponse,
  textResponse,
  binaryResponse,
  htmlResponse,
  eventStreamResponse,
  emptyResponse,
  anyJson,
  routeSchema,
  type ContentResponse,
} from '@lpx/sdk';
