import { errors } from '@lpx/sdk';

/** The SEGMENT area of the sdk's error catalogue, under the name segment code uses. */
export const segmentErrors = errors.segment;
