import { errors } from '../../errors/catalogue.js';
import type { AIRequestLimits } from '../pipelines.js';

/** LIMIT_EXCEEDED naming the field and the limit, so an app knows what to shorten. */
export function checkLimit(field: string, value: number, limit: keyof AIRequestLimits, limits: AIRequestLimits): void {
  const max = limits[limit];
  if (value > max) {
    throw errors.ai.LIMIT_EXCEEDED.create(`${field}: ${value} is over the ${limit} limit of ${max}`, { details: { field, limit, value, max } });
  }
}

/** What a body weighs on the wire: file bytes plus field bytes (JSON: the serialised body). */
export function bodyBytes(body: { kind: 'json'; json: unknown } | { kind: 'multipart'; fields: Readonly<Record<string, string>>; files: readonly { data: Uint8Array }[] }): number {
  if (body.kind === 'json') return Buffer.byteLength(JSON.stringify(body.json) ?? '', 'utf8');
  let total = 0;
  for (const [name, value] of Object.entries(body.fields)) total += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value, 'utf8');
  for (const file of body.files) total += file.data.byteLength;
  return total;
}
