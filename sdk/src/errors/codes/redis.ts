import { defineErrors } from '../lpx-error.js';

export const redisErrors = defineErrors('REDIS', {
  UNREACHABLE: { status: 503, description: 'Redis did not answer at start; the node refuses to start.' },
  BINARY_MISSING: { status: 500, description: 'No redis-server binary was found for the embedded Redis.' },
  EMBEDDED_START: { status: 500, description: 'The embedded redis-server child process did not become ready.' },
  CONNECTION_LOST: { status: 503, description: 'The connection to Redis was lost at run time; work resumes when it returns.' },
});
