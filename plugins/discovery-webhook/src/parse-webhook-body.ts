import type { OrchestratorCandidate } from '@lpx/sdk';
import { discoveryErrors } from './discovery-errors.js';

export interface ParsedWebhookBody {
  readonly candidates: OrchestratorCandidate[];
  /** Entries go-livepeer would also skip (logged, not fatal). */
  readonly skipped: { address: string; reason: string }[];
}

/**
 * go-livepeer's deserializeWebhookJSON: the body must be a JSON array of
 * `{address, score}`; a wrongly typed field fails the whole body (Go's json
 * decoder reports it), while an empty or unparseable address only skips its
 * entry. A missing score is 0 — untrusted. Extra fields are ignored.
 */
export function parseWebhookBody(body: string): ParsedWebhookBody {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw discoveryErrors.WEBHOOK_BODY.create(`discovery webhook body is not JSON: ${(error as Error).message}`, { details: { body: body.slice(0, 200) } });
  }
  if (!Array.isArray(json)) throw discoveryErrors.WEBHOOK_BODY.create(`discovery webhook body must be a JSON array of {address, score}, got ${describe(json)}`);
  const candidates: OrchestratorCandidate[] = [];
  const skipped: { address: string; reason: string }[] = [];
  const seen = new Set<string>();
  json.forEach((entry: unknown, index) => {
    if (entry === null) return; // Go decodes null into a zero value: an empty address, skipped.
    if (typeof entry !== 'object' || Array.isArray(entry)) throw bodyError(index, `must be an object, got ${describe(entry)}`);
    const { address = null, score = null } = entry as { address?: unknown; score?: unknown };
    if (address !== null && typeof address !== 'string') throw bodyError(index, `address must be a string, got ${describe(address)}`);
    if (score !== null && (typeof score !== 'number' || !Number.isFinite(score))) throw bodyError(index, `score must be a number, got ${describe(score)}`);
    if (address === null || address === '') return;
    const uri = normaliseAddress(address);
    if (uri === undefined) return void skipped.push({ address, reason: 'not an http(s) URL' });
    if (seen.has(uri)) return;
    seen.add(uri);
    candidates.push({ uri, score: score ?? 0 });
  });
  return { candidates, skipped };
}

function normaliseAddress(address: string): string | undefined {
  if (!/^https?:\/\//i.test(address)) return undefined;
  try {
    const url = new URL(address);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return undefined;
  }
}

function bodyError(index: number, problem: string) {
  return discoveryErrors.WEBHOOK_BODY.create(`discovery webhook entry [${index}] ${problem}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : typeof value;
}
