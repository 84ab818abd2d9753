/**
 * go-livepeer's `GET /discovery` as a gateway reads it: a JSON array of
 * `{address, runners: [{url, app, version, metadata, mode, capacity,
 * capacity_used, capacity_available, gpu, price_info: {price, currency,
 * unit}}]}`. Prices are wei as JSON numbers, which may exceed 2^53: they are
 * read from the raw text, exactly. A malformed runner is refused with a coded
 * error (kept so the caller can log it) without hiding its well-formed
 * neighbours; a document that is not that shape is refused whole. A paid
 * gateway ignores runners without a price (go-livepeer's remote signer does
 * the same: eligible runners carry on-chain `price_info`), a free one ignores
 * prices. An orchestrator that answers 404 runs no Live Runner apps.
 */
import { errors, type LiveRunnerMode, type LiveRunnerPriceUnit, type LpxError } from '@lpx/sdk';
import type { Dispatcher } from 'undici';
import { liveRunnerCall, readText } from './live-runner-wire.js';

export const LIVE_RUNNER_PRICE_UNITS: readonly LiveRunnerPriceUnit[] = ['seconds', '720p-pixel-seconds', 'fixed'];

export interface LiveRunnerWirePrice {
  /** Wei per unit, a positive integer. */
  readonly price: bigint;
  readonly unit: LiveRunnerPriceUnit;
}

export interface DiscoveredRunner {
  /** The discovery entry's `address`: the orchestrator's public service URI. */
  readonly orchestrator: string;
  /** Where to reserve (`…/apps/{route}/session`) or, for single-shot runners, the base of calls (`…/apps/{route}/app` or a proxy URL). */
  readonly url: string;
  readonly app: string;
  readonly mode: LiveRunnerMode;
  readonly version?: string;
  readonly metadata?: string;
  readonly capacity: number;
  readonly capacityAvailable: number;
  /** Absent on an offchain orchestrator (free). */
  readonly price?: LiveRunnerWirePrice;
}

export interface ParsedDiscovery {
  readonly runners: readonly DiscoveredRunner[];
  /** One coded refusal per malformed or (on a paid gateway) unpriced runner. */
  readonly refused: readonly LpxError[];
}

/** Largest /discovery body read: runners are small (metadata ≤ 1 KiB each). */
export const MAX_DISCOVERY_BYTES = 4 * 1024 * 1024;

const PRICE_NUMBER = /(?<!\\)"price"\s*:\s*(-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/g;

function invalid(message: string, details: Record<string, unknown> = {}): LpxError {
  return errors.liveRunner.CLIENT_FAILED.create(message, { details });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown, field: string, where: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(`${where}: ${field} must be a non-negative integer`, { field });
  return value;
}

function parseUrl(value: unknown, where: string): string {
  if (typeof value !== 'string') throw invalid(`${where}: url must be a string`, { field: 'url' });
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`${where}: url ${JSON.stringify(value)} is not an absolute URL`, { field: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`${where}: url must be http(s), got ${url.protocol}`, { field: 'url' });
  if (url.hash !== '' || url.username !== '' || url.password !== '') throw invalid(`${where}: url must not carry a fragment or credentials`, { field: 'url' });
  return value.replace(/\/+$/, '');
}

/** `price_info`: go-livepeer advertises wei (`currency: "wei"`); the price was quoted in the raw text by parseDiscovery. */
function parsePrice(value: unknown, where: string): LiveRunnerWirePrice | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalid(`${where}: price_info must be an object`, { field: 'price_info' });
  const currency = value.currency ?? 'wei';
  if (typeof currency !== 'string' || currency.toLowerCase() !== 'wei') throw invalid(`${where}: price_info.currency must be wei, got ${JSON.stringify(currency)}`, { field: 'price_info.currency' });
  const unit = typeof value.unit === 'string' ? value.unit.trim().toLowerCase() : value.unit;
  if (!LIVE_RUNNER_PRICE_UNITS.includes(unit as LiveRunnerPriceUnit)) throw invalid(`${where}: price_info.unit must be one of ${LIVE_RUNNER_PRICE_UNITS.join(', ')}, got ${JSON.stringify(value.unit)}`, { field: 'price_info.unit' });
  const text = typeof value.price === 'string' ? value.price : undefined;
  if (text === undefined || !/^[1-9][0-9]*$/.test(text)) throw invalid(`${where}: price_info.price must be a positive integer of wei, got ${JSON.stringify(value.price)}`, { field: 'price_info.price' });
  return { price: BigInt(text), unit: unit as LiveRunnerPriceUnit };
}

function parseMode(value: unknown, where: string): LiveRunnerMode {
  if (value === undefined || value === null || value === '' || value === 'persistent') return 'persistent';
  if (value === 'single-shot' || value === 'single_shot') return 'single-shot';
  throw invalid(`${where}: mode must be persistent or single-shot, got ${JSON.stringify(value)}`, { field: 'mode' });
}

function parseRunner(raw: unknown, orchestrator: string, where: string): DiscoveredRunner {
  if (!isRecord(raw)) throw invalid(`${where} is not an object`);
  const url = parseUrl(raw.url, where);
  if (typeof raw.app !== 'string' || raw.app === '' || raw.app.trim() !== raw.app) throw invalid(`${where}: app must be a non-empty trimmed string`, { field: 'app' });
  const mode = parseMode(raw.mode, where);
  const capacity = count(raw.capacity, 'capacity', where);
  const used = count(raw.capacity_used, 'capacity_used', where);
  const available = raw.capacity_available === undefined ? Math.max(0, capacity - used) : count(raw.capacity_available, 'capacity_available', where);
  const price = parsePrice(raw.price_info, where);
  if (raw.version !== undefined && typeof raw.version !== 'string') throw invalid(`${where}: version must be a string`, { field: 'version' });
  if (raw.metadata !== undefined && typeof raw.metadata !== 'string') throw invalid(`${where}: metadata must be a string`, { field: 'metadata' });
  return {
    orchestrator,
    url,
    app: raw.app,
    mode,
    capacity,
    capacityAvailable: available,
    ...(typeof raw.version === 'string' && raw.version !== '' ? { version: raw.version } : {}),
    ...(typeof raw.metadata === 'string' && raw.metadata !== '' ? { metadata: raw.metadata } : {}),
    ...(price !== undefined ? { price } : {}),
  };
}

/** Parses a /discovery body; `paid`: this gateway pays (unpriced runners are refused), else prices are dropped. */
export function parseDiscovery(text: string, options: { readonly paid: boolean; readonly source?: string }): ParsedDiscovery {
  const source = options.source ?? 'discovery';
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(PRICE_NUMBER, '"price":"$1"')) as unknown;
  } catch (cause) {
    throw errors.liveRunner.CLIENT_FAILED.create(`${source}: /discovery is not JSON: ${(cause as Error).message}`, { cause });
  }
  if (!Array.isArray(doc)) throw invalid(`${source}: /discovery must be a JSON array of {address, runners}`);
  const runners: DiscoveredRunner[] = [];
  const refused: LpxError[] = [];
  doc.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.address !== 'string' || !(entry.runners === undefined || entry.runners === null || Array.isArray(entry.runners))) {
      refused.push(invalid(`${source}: entry ${i} must be {address: string, runners: array}`, { entry: i }));
      return;
    }
    const address = entry.address.replace(/\/+$/, '');
    ((entry.runners as unknown[] | null | undefined) ?? []).forEach((raw, j) => {
      const where = `${source}: entry ${i} runner ${j}`;
      try {
        const runner = parseRunner(raw, address, where);
        if (options.paid && runner.price === undefined) throw invalid(`${where} (${runner.app}) has no price_info; a paid gateway does not use unpriced runners`, { field: 'price_info' });
        if (!options.paid && runner.price !== undefined) {
          const { price: _ignored, ...free } = runner;
          runners.push(free);
        } else runners.push(runner);
      } catch (error) {
        refused.push(error as LpxError);
      }
    });
  });
  return { runners, refused };
}

export interface FetchDiscoveryOptions {
  readonly paid: boolean;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
}

/** GET {serviceUri}/discovery; 404 (no Live Runner support) is an empty list. */
export async function fetchDiscovery(serviceUri: string, options: FetchDiscoveryOptions): Promise<ParsedDiscovery> {
  const url = `${serviceUri.replace(/\/+$/, '')}/discovery`;
  const response = await liveRunnerCall(url, { method: 'GET', headers: {} }, options);
  if (response.statusCode === 404) {
    await response.body.dump().catch(() => undefined);
    return { runners: [], refused: [] };
  }
  if (response.statusCode !== 200) {
    await response.body.dump().catch(() => undefined);
    throw errors.liveRunner.CLIENT_FAILED.create(`${url} answered ${response.statusCode}`, { details: { status: response.statusCode } });
  }
  const text = await readText(response.body, MAX_DISCOVERY_BYTES, url);
  return parseDiscovery(text, { paid: options.paid, source: url });
}
