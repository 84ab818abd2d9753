import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseLossless } from 'lossless-json';
import { errors } from '@lpx/sdk';

/** A JSON number's text as written in an aiModels file: prices are read from it exactly. */
export class JsonNumberText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** One aiModels entry before validation, with its place in the list for error messages. */
export interface RawAIModelEntry {
  readonly index: number;
  readonly value: unknown;
  /** Where the list came from: `inline`, `inline string` or the file path. */
  readonly source: string;
}

/** go-livepeer's strconv.ParseBool spellings, so inline strings copied from a go-livepeer node parse the same. */
const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * `aiModels` as go-livepeer takes it: a path to a JSON array file (tried
 * first, as go-livepeer stats the value before anything else), an inline
 * array (lpx's YAML config), or `pipeline:model_id:warm[,...]`.
 */
export function readAIModelsSource(value: unknown, cwd = process.cwd()): RawAIModelEntry[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map((entry, index) => ({ index, value: entry, source: 'inline' }));
  if (typeof value !== 'string') throw errors.ai.CONFIG_INVALID.create(`aiModels: expected a file path, an array of entries or "pipeline:model_id:warm[,...]", found ${typeof value}`);
  const path = resolve(cwd, value);
  if (isFile(path)) return readFile(path);
  if (value.trim().endsWith('.json')) throw errors.ai.CONFIG_INVALID.create(`aiModels: file ${path} not found (a value ending in .json is read as a file)`);
  return parseInlineString(value);
}

function readFile(path: string): RawAIModelEntry[] {
  let parsed: unknown;
  try {
    // Numbers stay as their text so prices are never rounded through a float.
    parsed = parseLossless(readFileSync(path, 'utf8'), undefined, (text) => new JsonNumberText(text));
  } catch (cause) {
    throw errors.ai.CONFIG_INVALID.create(`aiModels file ${path}: not valid JSON: ${(cause as Error).message}`, { cause });
  }
  if (!Array.isArray(parsed)) throw errors.ai.CONFIG_INVALID.create(`aiModels file ${path}: expected a JSON array of entries`);
  return parsed.map((entry, index) => ({ index, value: entry, source: path }));
}

/** `text-to-image:stabilityai/sd-turbo:true,llm:meta-llama/Llama-3.1-8B:false` */
export function parseInlineString(value: string): RawAIModelEntry[] {
  return value.split(',').map((part, index) => {
    const fields = part.trim().split(':');
    if (fields.length < 3) {
      throw errors.ai.CONFIG_INVALID.create(`aiModels[${index}] "${part}": expected <pipeline>:<model_id>:<warm>`, { details: { index, entry: part } });
    }
    const [pipeline, modelId, warmText] = fields as [string, string, string];
    let warm: boolean;
    if (TRUE_WORDS.has(warmText)) warm = true;
    else if (FALSE_WORDS.has(warmText)) warm = false;
    else throw errors.ai.CONFIG_INVALID.create(`aiModels[${index}] "${part}": warm must be true or false, found "${warmText}"`, { details: { index, entry: part } });
    return { index, value: { pipeline, model_id: modelId, warm }, source: 'inline string' };
  });
}
