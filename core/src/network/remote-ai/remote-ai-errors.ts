import { errors } from '@lpx/sdk';

/** The AI_WORKER area of the sdk's error catalogue, under the name this module uses. */
export const aiWorkerErrors = errors.aiWorker;
