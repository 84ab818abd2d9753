import { defineErrors } from '@lpx/sdk';

/**
 * The DISCOVERY codes the simulator raises, identical to sdk/src/errors/codes/discovery.ts.
 * Switch to `errors.discovery` once that file is in the sdk catalogue.
 */
export const simulationErrors = defineErrors('DISCOVERY', {
  SNAPSHOT_INVALID: { status: 400, description: 'A recorded discovery snapshot (for the selection simulator) is not valid JSON or a candidate field is malformed.' },
  UNKNOWN_ALGORITHM: { status: 400, description: 'No built-in selection algorithm has the requested name.' },
});
