import { errors } from '@lpx/sdk';

/** The gateway area of the sdk's error catalogue, under the name pool code uses. */
export const gatewayErrors = errors.gateway;
