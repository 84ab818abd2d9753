import { RunnerValidationError, validationItem, type ValidationItem } from './http-errors.js';

/**
 * A route's parameters as the runner declares them (pydantic models for JSON
 * routes, FastAPI Form/File parameters for multipart ones), coerced the way
 * pydantic's lax mode does so clients see the same 422s.
 */
export type FieldType = 'str' | 'int' | 'float' | 'bool' | 'file' | 'list';

export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** Absent = required. */
  readonly default?: string | number | boolean | null;
  /** For 'list': checks the items (pydantic's nested model errors, with their locations). */
  readonly items?: (input: readonly unknown[], loc: readonly (string | number)[]) => { value: readonly unknown[]; errors: ValidationItem[] };
}

export interface UploadedFile {
  readonly filename: string;
  readonly contentType: string;
  readonly data: Uint8Array;
}

export type FieldValue = string | number | boolean | null | UploadedFile | readonly unknown[];
export type FieldValues = Readonly<Record<string, FieldValue>>;

const TRUE_WORDS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);
const NUMBER_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

type Coerced = { ok: true; value: FieldValue } | { ok: false; item: ValidationItem; more?: readonly ValidationItem[] };

function fail(type: Parameters<typeof validationItem>[0], loc: (string | number)[], input: unknown): Coerced {
  return { ok: false, item: validationItem(type, loc, input) };
}

/** One value (a JSON value, or a form string) to the field's type. */
export function coerce(spec: FieldSpec, input: unknown, loc: (string | number)[]): Coerced {
  switch (spec.type) {
    case 'str':
      return typeof input === 'string' ? { ok: true, value: input } : fail('string_type', loc, input);
    case 'int': {
      if (typeof input === 'boolean') return { ok: true, value: input ? 1 : 0 };
      if (typeof input === 'number') return Number.isInteger(input) ? { ok: true, value: input } : fail('int_from_float', loc, input);
      if (typeof input === 'string') {
        const text = input.trim();
        if (/^[+-]?\d+$/.test(text)) return { ok: true, value: Number(text) };
        return fail('int_parsing', loc, input);
      }
      return fail('int_type', loc, input);
    }
    case 'float': {
      if (typeof input === 'number') return { ok: true, value: input };
      if (typeof input === 'boolean') return { ok: true, value: input ? 1 : 0 };
      if (typeof input === 'string') {
        const text = input.trim();
        return NUMBER_TEXT.test(text) ? { ok: true, value: Number(text) } : fail('float_parsing', loc, input);
      }
      return fail('float_type', loc, input);
    }
    case 'bool': {
      if (typeof input === 'boolean') return { ok: true, value: input };
      if (input === 0 || input === 1) return { ok: true, value: input === 1 };
      if (typeof input === 'string') {
        const word = input.trim().toLowerCase();
        if (TRUE_WORDS.has(word)) return { ok: true, value: true };
        if (FALSE_WORDS.has(word)) return { ok: true, value: false };
        return fail('bool_parsing', loc, input);
      }
      return fail('bool_type', loc, input);
    }
    case 'file':
      return { ok: true, value: input as UploadedFile };
    case 'list': {
      if (!Array.isArray(input)) return fail('list_type', loc, input);
      if (!spec.items) return { ok: true, value: input };
      const checked = spec.items(input, loc);
      return checked.errors.length > 0 ? { ok: false, item: checked.errors[0]!, more: checked.errors.slice(1) } : { ok: true, value: checked.value };
    }
  }
}

/** A JSON route's body (the pydantic model is the whole body, as in the runner). */
export function parseJsonFields(specs: readonly FieldSpec[], body: unknown): Record<string, FieldValue> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RunnerValidationError([validationItem('model_attributes_type', ['body'], body)]);
  }
  const record = body as Record<string, unknown>;
  const items: ValidationItem[] = [];
  const values: Record<string, FieldValue> = {};
  for (const spec of specs) {
    const raw = record[spec.name];
    // An explicit null for a field that defaults to null (seed) is "not given".
    if (raw === undefined || (raw === null && spec.default === null)) {
      if (spec.default === undefined) items.push(validationItem('missing', ['body', spec.name], record));
      else values[spec.name] = spec.default;
      continue;
    }
    const result = coerce(spec, raw, ['body', spec.name]);
    if (result.ok) values[spec.name] = result.value;
    else items.push(result.item, ...(result.more ?? []));
  }
  if (items.length > 0) throw new RunnerValidationError(items);
  return values;
}

/**
 * A multipart route's form. As in FastAPI, an empty text value counts as not
 * sent (so a required one is `missing`), and a text value where a file is
 * expected is refused.
 */
export async function parseFormFields(specs: readonly FieldSpec[], form: FormData): Promise<Record<string, FieldValue>> {
  const items: ValidationItem[] = [];
  const values: Record<string, FieldValue> = {};
  for (const spec of specs) {
    const raw = form.get(spec.name);
    const loc = ['body', spec.name];
    if (raw === null || raw === '') {
      if (spec.default === undefined) items.push(validationItem('missing', loc, null));
      else values[spec.name] = spec.default;
      continue;
    }
    if (spec.type === 'file') {
      if (typeof raw === 'string') {
        items.push({ type: 'value_error', loc, msg: "Value error, Expected UploadFile, received: <class 'str'>", input: raw, ctx: { error: {} } });
      } else {
        values[spec.name] = { filename: raw.name ?? '', contentType: raw.type, data: new Uint8Array(await raw.arrayBuffer()) };
      }
      continue;
    }
    if (typeof raw !== 'string') {
      // A file where text is expected: pydantic sees an UploadFile object.
      items.push(validationItem('string_type', loc, raw.name ?? ''));
      continue;
    }
    const result = coerce(spec, raw, loc);
    if (result.ok) values[spec.name] = result.value;
    else items.push(result.item);
  }
  if (items.length > 0) throw new RunnerValidationError(items);
  return values;
}
