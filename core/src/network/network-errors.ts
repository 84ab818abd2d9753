import { errors } from '@lpx/sdk';

/** The network area of the sdk's error catalogue, under the name network code uses. */
export const networkErrors = errors.network;
