export { installOpenApi, openApiDocument, registeredRoutes, documentedRoutes, OPENAPI_PATH, OTHER_METHODS_KEY, type OpenApiDocument, type OpenApiInfo } from './openapi.js';
export { openApiPath } from './route-inventory.js';
export { problemSchema, problemResponse, problemResponses, contentResponse, jsonResponse, textResponse, anyJson, PROBLEM_CONTENT_TYPE } from './problem-schema.js';
