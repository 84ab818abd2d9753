import { errors, type ErrorCode, type LpxError } from '@lpx/sdk';

/** The PAYMENTS area of the sdk catalogue, under a local name. */
export const paymentErrors = errors.payments;

/**
 * A refusal of a ticket or payment. `reason` is the low-cardinality label for the
 * refusal counter; `fatal` mirrors go-livepeer's FatalReceiveErr (the rest of the
 * payment is abandoned) as opposed to errors after which later tickets are still
 * checked for wins.
 */
export function refusal(
  code: ErrorCode,
  message: string,
  reason: string,
  fatal: boolean,
  details: Record<string, unknown> = {},
): LpxError {
  return code.create(message, { details: { ...details, reason, fatal } });
}

export function refusalReason(error: LpxError): string | undefined {
  const reason = error.details?.['reason'];
  return typeof reason === 'string' ? reason : undefined;
}

export function isFatalRefusal(error: LpxError): boolean {
  return error.details?.['fatal'] === true;
}
