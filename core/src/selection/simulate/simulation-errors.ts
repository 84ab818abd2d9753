import { errors } from '@lpx/sdk';

/** The simulator raises the discovery area's snapshot and algorithm codes. */
export const simulationErrors = errors.discovery;
