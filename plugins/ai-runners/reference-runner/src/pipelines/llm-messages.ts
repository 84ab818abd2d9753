import { validationItem, type ValidationItem } from '../http-errors.js';

export interface LLMMessage {
  readonly role: string;
  readonly content: string;
}

/** LLMRequest.messages: a list of LLMMessage (role and content strings). */
export function parseMessages(raw: readonly unknown[], loc: readonly (string | number)[]): { value: LLMMessage[]; errors: ValidationItem[] } {
  const items: ValidationItem[] = [];
  const messages: LLMMessage[] = [];
  raw.forEach((entry: unknown, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      items.push({ type: 'model_type', loc: [...loc, index], msg: 'Input should be a valid dictionary or instance of LLMMessage', input: entry, ctx: { class_name: 'LLMMessage' } });
      return;
    }
    const record = entry as Record<string, unknown>;
    for (const key of ['role', 'content'] as const) {
      if (record[key] === undefined) items.push(validationItem('missing', [...loc, index, key], record));
      else if (typeof record[key] !== 'string') items.push(validationItem('string_type', [...loc, index, key], record[key]));
    }
    if (typeof record.role === 'string' && typeof record.content === 'string') messages.push({ role: record.role, content: record.content });
  });
  return { value: messages, errors: items };
}
