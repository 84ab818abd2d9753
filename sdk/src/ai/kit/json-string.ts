import { errors } from '../../errors/catalogue.js';

/**
 * Fields the runner takes as JSON inside a string (`loras`, `metadata`,
 * segment-anything-2's `point_coords`...): checked here so a typo is a 400
 * naming the field, not a runner 500. Empty means unset, as the runner reads it.
 */
export function checkJsonString(field: string, value: unknown, shape: 'object' | 'array'): void {
  if (value === undefined || value === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(value));
  } catch {
    throw errors.ai.REQUEST_INVALID.create(`${field}: not valid JSON`, { details: { field } });
  }
  const ok = shape === 'array' ? Array.isArray(parsed) : parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  if (!ok) throw errors.ai.REQUEST_INVALID.create(`${field}: expected a JSON ${shape}`, { details: { field } });
}
