import type { SelectionCandidate, SelectionContext } from '@lpx/sdk';
import { simulationErrors } from './simulation-errors.js';

type Price = NonNullable<SelectionCandidate['price']>;

/**
 * A recorded discovery result: what the gateway knew of each orchestrator at
 * one moment. Prices are integer strings (wei can exceed 2^53).
 */
export interface SelectionSnapshot {
  readonly capabilityId: string;
  readonly model?: string;
  readonly maxPrice?: Price;
  readonly candidates: readonly SelectionCandidate[];
}

/** Validates a parsed snapshot JSON; every problem names its path. */
export function parseSnapshot(json: unknown, source = 'snapshot'): SelectionSnapshot {
  const root = object(json, source);
  const capabilityId = root.capabilityId ?? 'video/transcode';
  if (typeof capabilityId !== 'string') throw invalid(source, 'capabilityId', 'a string', capabilityId);
  if (root.model !== undefined && typeof root.model !== 'string') throw invalid(source, 'model', 'a string', root.model);
  if (!Array.isArray(root.candidates)) throw invalid(source, 'candidates', 'an array', root.candidates);
  const candidates = root.candidates.map((entry, i) => parseCandidate(entry, source, `candidates[${i}]`));
  const uris = new Set<string>();
  for (const [i, c] of candidates.entries()) {
    if (uris.has(c.uri)) throw invalid(source, `candidates[${i}].uri`, 'a uri not listed before', c.uri);
    uris.add(c.uri);
  }
  return {
    capabilityId,
    ...(typeof root.model === 'string' ? { model: root.model } : {}),
    ...(root.maxPrice === undefined ? {} : { maxPrice: parsePrice(root.maxPrice, source, 'maxPrice') }),
    candidates,
  };
}

export function snapshotContext(snapshot: SelectionSnapshot, random: () => number): SelectionContext {
  return {
    capabilityId: snapshot.capabilityId,
    ...(snapshot.model === undefined ? {} : { model: snapshot.model }),
    ...(snapshot.maxPrice === undefined ? {} : { maxPrice: snapshot.maxPrice }),
    random,
  };
}

function parseCandidate(value: unknown, source: string, path: string): SelectionCandidate {
  const entry = object(value, source, path);
  if (typeof entry.uri !== 'string' || !/^https?:\/\/[^/]+/.test(entry.uri)) throw invalid(source, `${path}.uri`, 'an http(s) url', entry.uri);
  const candidate: { -readonly [K in keyof SelectionCandidate]: SelectionCandidate[K] } = { uri: entry.uri };
  if (entry.address !== undefined) {
    if (typeof entry.address !== 'string') throw invalid(source, `${path}.address`, 'a string', entry.address);
    candidate.address = entry.address;
  }
  if (entry.stake !== undefined) {
    if (!isDigits(entry.stake)) throw invalid(source, `${path}.stake`, 'a non-negative integer (wei) as a string or number', entry.stake);
    candidate.stake = String(entry.stake);
  }
  if (entry.price !== undefined) candidate.price = parsePrice(entry.price, source, `${path}.price`);
  for (const key of ['latencyMs', 'performance'] as const) {
    if (entry[key] === undefined) continue;
    if (typeof entry[key] !== 'number' || !Number.isFinite(entry[key]) || entry[key] < 0) throw invalid(source, `${path}.${key}`, 'a non-negative number', entry[key]);
    candidate[key] = entry[key];
  }
  return candidate;
}

function parsePrice(value: unknown, source: string, path: string): Price {
  const price = object(value, source, path);
  if (!isDigits(price.pricePerUnit)) throw invalid(source, `${path}.pricePerUnit`, 'a non-negative integer (wei)', price.pricePerUnit);
  if (!isDigits(price.pixelsPerUnit ?? 1) || BigInt(String(price.pixelsPerUnit ?? 1)) === 0n) {
    throw invalid(source, `${path}.pixelsPerUnit`, 'a positive integer', price.pixelsPerUnit);
  }
  return { pricePerUnit: BigInt(String(price.pricePerUnit)), pixelsPerUnit: BigInt(String(price.pixelsPerUnit ?? 1)) };
}

/** Integers only: a float price or stake would silently lose wei. */
function isDigits(value: unknown): value is string | number {
  return (typeof value === 'string' && /^\d+$/.test(value)) || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0);
}

function object(value: unknown, source: string, path = '(root)'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(source, path, 'an object', value);
  return value as Record<string, unknown>;
}

function invalid(source: string, path: string, expected: string, found: unknown) {
  const shown = found === undefined ? 'nothing' : JSON.stringify(found)?.slice(0, 60);
  return simulationErrors.SNAPSHOT_INVALID.create(`${source}: ${path}: expected ${expected}, found ${shown}`, { details: { path } });
}
