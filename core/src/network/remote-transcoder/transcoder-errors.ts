import { errors } from '@lpx/sdk';

/** The transcoder area of the sdk's error catalogue, under the name this module uses. */
export const transcoderErrors = errors.transcoder;
