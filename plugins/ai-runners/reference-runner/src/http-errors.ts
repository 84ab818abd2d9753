/**
 * The ai-runner's error bodies. Handlers answer `{detail:{msg}}` (FastAPI's
 * HTTPError model in the runner); request validation answers 422 with a list
 * of pydantic-style items; unknown routes answer FastAPI's `{detail:"Not Found"}`.
 * Callers written against the real runner branch on these shapes, so they are
 * kept exactly.
 */

export interface ValidationItem {
  readonly type: string;
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly input: unknown;
  readonly ctx?: Readonly<Record<string, unknown>>;
}

export function httpErrorBody(msg: string): { detail: { msg: string } } {
  return { detail: { msg } };
}

/** An answer with the runner's `{detail:{msg}}` body and a status. */
export class RunnerHttpError extends Error {
  constructor(
    readonly status: number,
    msg: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(msg);
    this.name = 'RunnerHttpError';
  }
}

/** 422: the request did not match the route's parameters (FastAPI's RequestValidationError). */
export class RunnerValidationError extends Error {
  constructor(readonly items: readonly ValidationItem[]) {
    super(items.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; '));
    this.name = 'RunnerValidationError';
  }
}

/** pydantic's messages for the error types the runner's parameters can raise. */
export const VALIDATION_MESSAGES = {
  missing: 'Field required',
  int_parsing: 'Input should be a valid integer, unable to parse string as an integer',
  int_from_float: 'Input should be a valid integer, got a number with a fractional part',
  int_type: 'Input should be a valid integer',
  float_parsing: 'Input should be a valid number, unable to parse string as a number',
  float_type: 'Input should be a valid number',
  bool_parsing: 'Input should be a valid boolean, unable to interpret input',
  bool_type: 'Input should be a valid boolean',
  string_type: 'Input should be a valid string',
  list_type: 'Input should be a valid list',
  model_attributes_type: 'Input should be a valid dictionary or object to extract fields from',
  json_invalid: 'JSON decode error',
} as const;

export type ValidationType = keyof typeof VALIDATION_MESSAGES;

export function validationItem(type: ValidationType, loc: readonly (string | number)[], input: unknown, ctx?: Record<string, unknown>): ValidationItem {
  return { type, loc, msg: VALIDATION_MESSAGES[type], input, ...(ctx ? { ctx } : {}) };
}
