import type { LpxError } from '@lpx/sdk';

/** The error `fn` throws or rejects with; fails loudly if it does not. */
export async function catchError(fn: () => unknown): Promise<LpxError> {
  try {
    await fn();
  } catch (error) {
    return error as LpxError;
  }
  throw new Error('expected an error, but none was thrown');
}
