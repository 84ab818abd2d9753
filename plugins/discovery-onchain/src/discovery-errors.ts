import { errors } from '@lpx/sdk';

/** The discovery area of the sdk's error catalogue. */
export const discoveryErrors = errors.discovery;
