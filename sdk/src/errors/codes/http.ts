import { defineErrors } from '../lpx-error.js';

export const httpErrors = defineErrors('HTTP', {
  BAD_REQUEST: { status: 400, description: 'The request body or parameters failed validation.' },
  NOT_FOUND: { status: 404, description: 'No route matches.' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'The path exists but not for this method; the Allow header lists the methods it takes.' },
  BODY_INVALID: { status: 400, description: 'The body cannot be read as its Content-Type says: malformed or empty JSON, or a length that does not match Content-Length.' },
  BODY_TOO_LARGE: { status: 413, description: 'The body is bigger than the limit for this route (http.bodyLimitBytes by default).' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'This route does not take bodies of the given Content-Type.' },
  URL_INVALID: { status: 400, description: 'The request URL cannot be decoded (a bad percent-escape, for example).' },
  HEADERS_TOO_LARGE: { status: 431, description: 'The request headers are bigger than the server accepts.' },
  REQUEST_REFUSED: { status: 400, description: "Another 4xx from the HTTP layer or a plugin's own (non-lpx) error; the problem's status and detail say which." },
  INTERNAL: { status: 500, description: 'An unexpected error; the log has the cause.' },
  ROOT_ROUTE_RESERVED: { status: 500, description: 'A plugin asked for a root route on a path the kernel serves: on the HTTP edge /v1 (except the OpenAI API namespaces /v1/models, /v1/chat, /v1/completions, /v1/embeddings, /v1/images, /v1/audio, /v1/moderations, /v1/responses, left to plugins), /plugins, /healthz, /readyz, /metrics, /status, /dashboard; on the orchestrator wire /segment, /payment, /process, /capability, /v1 and the net.Orchestrator gRPC service.' },
  LISTEN: { status: 500, description: 'The HTTP or gRPC edge could not bind its port.' },
});
