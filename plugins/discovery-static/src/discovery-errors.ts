import { defineErrors } from '@lpx/sdk';

/**
 * The DISCOVERY codes this plugin raises, identical to sdk/src/errors/codes/discovery.ts.
 * Switch to `errors.discovery` once that file is in the sdk catalogue.
 */
export const discoveryErrors = defineErrors('DISCOVERY', {
  INVALID_ADDRESS: {
    status: 400,
    description: 'An orchestrator address (orchAddr entry or webhook `address`) is not an http(s) host[:port] URL; the entry is skipped and the rest are used.',
  },
});
