import { isLpxError } from '@lpx/sdk';
import type { Io } from './io.js';

export { processIo, type Io } from './io.js';

/** Humans get `error LPX_ERR_X: message`; machines (--json) get the same as one JSON object. */
export function reportError(io: Io, error: unknown, json: boolean): number {
  const code = isLpxError(error) ? error.code : 'LPX_ERR_INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  if (json) io.out(JSON.stringify({ ok: false, error: { code, message } }));
  else io.err(`error ${code}: ${message}`);
  return isLpxError(error) ? 1 : 2;
}

/** A left-aligned text table for list commands. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
