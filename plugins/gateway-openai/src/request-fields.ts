/**
 * Reading OpenAI request bodies with errors that name the parameter (OpenAI's
 * `param`): a wrong type or range is LPX_ERR_AI_REQUEST_INVALID, a parameter
 * we understand but cannot honour is LPX_ERR_AI_OPENAI_UNSUPPORTED, and a
 * parameter we do not know at all is refused too (OpenAI refuses unknown
 * arguments as well), so nothing an app asks for is silently dropped.
 */
import { errors, type LpxError } from '@lpx/sdk';

export type Body = Readonly<Record<string, unknown>>;

export function invalid(param: string, message: string): LpxError {
  return errors.ai.REQUEST_INVALID.create(`${param}: ${message}`, { details: { param } });
}

export function unsupported(param: string, message: string): LpxError {
  return errors.ai.OPENAI_UNSUPPORTED.create(`${param}: ${message}`, { details: { param } });
}

export function objectBody(body: unknown): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw errors.ai.REQUEST_INVALID.create('the body must be a JSON object (Content-Type: application/json)');
  }
  return body as Body;
}

/** Refuses parameters outside `known`; `known` lists every one the endpoint reads or ignores on purpose. */
export function refuseUnknown(body: Body, known: ReadonlySet<string>): void {
  for (const key of Object.keys(body)) {
    if (!known.has(key)) throw invalid(key, 'unknown parameter');
  }
}

function present(body: Body, param: string): boolean {
  return body[param] !== undefined && body[param] !== null;
}

export function requiredString(body: Body, param: string): string {
  const value = body[param];
  if (typeof value !== 'string' || value.length === 0) throw invalid(param, present(body, param) ? 'must be a non-empty string' : 'is required');
  return value;
}

export function optionalString(body: Body, param: string): string | undefined {
  if (!present(body, param)) return undefined;
  const value = body[param];
  if (typeof value !== 'string') throw invalid(param, 'must be a string');
  return value;
}

export function optionalBoolean(body: Body, param: string): boolean | undefined {
  if (!present(body, param)) return undefined;
  const value = body[param];
  if (typeof value !== 'boolean') throw invalid(param, 'must be true or false');
  return value;
}

export interface NumberRange {
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
}

export function optionalNumber(body: Body, param: string, range: NumberRange): number | undefined {
  if (!present(body, param)) return undefined;
  const value = body[param];
  if (typeof value !== 'number' || !Number.isFinite(value) || (range.integer === true && !Number.isInteger(value))) {
    throw invalid(param, `must be ${range.integer === true ? 'an integer' : 'a number'}`);
  }
  if (value < range.min || value > range.max) throw invalid(param, `must be from ${range.min} to ${range.max}, got ${value}`);
  return value;
}

export function optionalEnum<T extends string>(body: Body, param: string, values: readonly T[]): T | undefined {
  const value = optionalString(body, param);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw invalid(param, `must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

/**
 * A parameter we take only at the value that means "nothing special":
 * anything else asks for behaviour the pipeline does not have.
 */
export function onlyDefault(body: Body, param: string, isDefault: (value: unknown) => boolean, why: string): void {
  if (present(body, param) && !isDefault(body[param])) throw unsupported(param, why);
}
