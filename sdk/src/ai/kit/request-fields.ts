import type { TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { errors } from '../../errors/catalogue.js';
import type { AIRequestBody, AIUpload } from '../pipelines.js';

/** A file field of a multipart pipeline and what it must decode as. */
export interface AIFileField {
  readonly required: boolean;
  readonly media: 'image' | 'audio';
}

/** What a request's fields are once checked: values typed as the runner types them, files by field. */
export interface CheckedFields {
  readonly values: Record<string, unknown>;
  readonly files: Readonly<Record<string, AIUpload>>;
}

// go-livepeer binds multipart booleans with Go's strconv.ParseBool: these spellings and no others.
const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function invalid(field: string, message: string): Error {
  return errors.ai.REQUEST_INVALID.create(`${field}: ${message}`, { details: { field } });
}

function schemaType(schema: TSchema | undefined): string | undefined {
  return typeof schema?.['type'] === 'string' ? (schema['type'] as string) : undefined;
}

/**
 * Multipart fields arrive as strings: read each as the type the runner's
 * schema gives it. A number that is not one stays a string so the schema
 * check names the field ('width: Expected integer'), never a silent 12.5 → 12.
 */
function typedFromForm(schema: TObject, fields: Readonly<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(fields)) {
    const type = schemaType(schema.properties[name]);
    if (type === 'integer' && /^-?\d+$/.test(raw.trim())) out[name] = Number(raw.trim());
    else if (type === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) out[name] = Number(raw);
    else if (type === 'boolean' && TRUE_WORDS.has(raw.trim())) out[name] = true;
    else if (type === 'boolean' && FALSE_WORDS.has(raw.trim())) out[name] = false;
    else out[name] = raw;
  }
  return out;
}

function fieldOf(path: string): string {
  // '/messages/0/content' → 'messages[0].content'
  const parts = path.split('/').filter((p) => p !== '');
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || 'body';
}

/** The first schema error, named by field (unknown fields included: the schemas refuse additional properties). */
export function checkSchema(schema: TObject, value: Record<string, unknown>): void {
  const first = Value.Errors(schema, value).First();
  if (first === undefined) return;
  const field = fieldOf(first.path);
  const message = first.message === 'Unexpected property' ? 'unknown field' : first.message === 'Expected required property' ? 'required field missing' : first.message;
  throw invalid(field, message);
}

/**
 * Checks a body against a pipeline's field schema and file fields: the right
 * body kind, every required field and file present, types as the runner
 * declares them, nothing unknown. Returns typed values; the body sent on is
 * the caller's original, so nothing is re-serialised differently.
 */
export function checkFields(body: AIRequestBody, kind: 'json' | 'multipart', schema: TObject, fileFields: Readonly<Record<string, AIFileField>> = {}): CheckedFields {
  if (body.kind !== kind) {
    throw errors.ai.REQUEST_INVALID.create(`body: this pipeline takes ${kind === 'json' ? 'application/json' : 'multipart/form-data'}`, { details: { field: 'body' } });
  }
  if (body.kind === 'json') {
    if (body.json === null || typeof body.json !== 'object' || Array.isArray(body.json)) throw invalid('body', 'expected a JSON object');
    checkSchema(schema, body.json as Record<string, unknown>);
    return { values: { ...body.json }, files: {} };
  }
  const files: Record<string, AIUpload> = {};
  for (const file of body.files) {
    if (!(file.field in fileFields)) throw invalid(file.field, schema.properties[file.field] ? 'expected a text field, got a file' : 'unknown field');
    if (files[file.field]) throw invalid(file.field, 'sent more than once');
    files[file.field] = file;
  }
  for (const [name, spec] of Object.entries(fileFields)) {
    if (name in body.fields) throw invalid(name, 'expected a file, got a text field');
    if (spec.required && !files[name]) throw invalid(name, 'required file missing');
  }
  const values = typedFromForm(schema, body.fields);
  checkSchema(schema, values);
  return { values, files };
}
