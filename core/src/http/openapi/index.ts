export { installOpenApi, openApiDocument, registeredRoutes, registeredRouteSchemas, documentedRoutes, OPENAPI_PATH, OTHER_METHODS_KEY, type OpenApiDocument, type OpenApiInfo } from './openapi.js';
export { openApiPath, type RegisteredRoute } from './route-inventory.js';
export { missingRouteDocs, routeDocGaps, type RouteDocGap, type ConformanceOptions } from './route-conformance.js';
export { problemSchema, problemResponse, problemResponses, contentResponse, jsonResponse, textResponse, binaryResponse, htmlResponse, eventStreamResponse, emptyResponse, anyJson, routeSchema, PROBLEM_CONTENT_TYPE } from './problem-schema.js';
