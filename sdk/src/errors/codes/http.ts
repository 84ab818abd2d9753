import { defineErrors } from '../lpx-error.js';

export const httpErrors = defineErrors('HTTP', {
  BAD_REQUEST: { status: 400, description: 'The request body or parameters failed validation.' },
  NOT_FOUND: { status: 404, description: 'No route matches.' },
  INTERNAL: { status: 500, description: 'An unexpected error; the log has the cause.' },
  LISTEN: { status: 500, description: 'The HTTP or gRPC edge could not bind its port.' },
});
