import { errors } from '@lpx/sdk';

/** The chain area of the sdk's error catalogue, under the name chain code uses. */
export const chainErrors = errors.chain;
