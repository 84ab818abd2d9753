export { parseMultipart } from './parse-multipart.js';
export { buildMultipart, type MultipartPartInput } from './build-multipart.js';
export { boundaryFromContentType, randomBoundary } from './boundary.js';
export { DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_PARTS, type MultipartLimits, type MultipartPart } from './multipart-types.js';
