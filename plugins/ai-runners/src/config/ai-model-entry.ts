import { AI_PIPELINES, errors, isAIPipelineName, type AIPipelineName, type LpxError } from '@lpx/sdk';
import { JsonNumberText, type RawAIModelEntry } from './ai-models-source.js';
import { fromConfigNumber, isInteger, parseExactRational, reduce, type ExactRational } from './exact-price.js';

/** One validated aiModels entry (go-livepeer's AIModelConfig), prices in wei. */
export interface AIModelEntry {
  readonly index: number;
  readonly pipeline: AIPipelineName;
  readonly modelId: string;
  readonly warm: boolean;
  /** External runner: never a managed container. */
  readonly url?: string;
  readonly token?: string;
  /** Managed: identical container slots. External: the endpoint's advertised capacity. */
  readonly capacity: number;
  /** Container env; JSON booleans already turned into "true"/"false". */
  readonly optimizationFlags: Readonly<Record<string, string>>;
  /** `default` or a gateway's 0x address. */
  readonly gateway: string;
  /** Wei per `pixelsPerUnit` units; absent: the node's base price applies. */
  readonly price?: { readonly pricePerUnit: ExactRational; readonly pixelsPerUnit: bigint };
}

const KNOWN_FIELDS = new Set(['pipeline', 'model_id', 'warm', 'url', 'token', 'capacity', 'optimization_flags', 'gateway', 'price_per_unit', 'pixels_per_unit', 'currency']);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GATEWAY_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const WEI_PER_ETH = 10n ** 18n;

/** Parses a number field from a file (exact text), YAML (a number) or a string. */
function readRational(value: unknown): ExactRational | { readonly error: string } {
  if (value instanceof JsonNumberText) return parseExactRational(value.text) ?? { error: `${value.text} is not a number` };
  if (typeof value === 'number') return fromConfigNumber(value);
  if (typeof value === 'string') return parseExactRational(value) ?? { error: `"${value}" is not a number (integers, decimals or num/den)` };
  return { error: `expected a number, found ${value === null ? 'null' : typeof value}` };
}

export function parseAIModelEntry(raw: RawAIModelEntry): AIModelEntry {
  const { index, value } = raw;
  const label = describeEntry(raw);
  const fail = (message: string): LpxError => errors.ai.CONFIG_INVALID.create(`${label}: ${message}`, { details: { index, source: raw.source } });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail('expected an object');
  const entry = value as Record<string, unknown>;
  const unknown = Object.keys(entry).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) throw fail(`unknown field ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${[...KNOWN_FIELDS].join(', ')})`);

  const pipeline = entry.pipeline;
  if (typeof pipeline !== 'string' || pipeline === '') throw fail('pipeline is required');
  if (!isAIPipelineName(pipeline)) throw fail(`unknown pipeline "${pipeline}" (lpx runs ${AI_PIPELINES.join(', ')})`);
  const modelId = entry.model_id;
  if (typeof modelId !== 'string' || modelId.trim() === '') throw fail('model_id is required');
  const warm = entry.warm ?? false;
  if (typeof warm !== 'boolean') throw fail(`warm must be true or false, found ${JSON.stringify(warm)}`);

  const url = optionalString(entry.url, 'url', fail);
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw fail(`url "${url}" is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw fail(`url "${url}" must be http or https`);
  }
  const token = optionalString(entry.token, 'token', fail);
  if (token !== undefined && url === undefined) throw fail('token is only used with url (an external runner)');

  const capacity = readCapacity(entry.capacity, url !== undefined, fail);
  const optimizationFlags = readFlags(entry.optimization_flags, fail);
  const gateway = optionalString(entry.gateway, 'gateway', fail) ?? 'default';
  if (gateway !== 'default' && !GATEWAY_ADDRESS.test(gateway)) throw fail(`gateway must be "default" or a 0x address, found "${gateway}"`);
  const price = readPrice(entry, fail);
  return {
    index,
    pipeline,
    modelId,
    warm,
    ...(url !== undefined ? { url: url.replace(/\/+$/, '') } : {}),
    ...(token !== undefined ? { token } : {}),
    capacity,
    optimizationFlags,
    gateway,
    ...(price ? { price } : {}),
  };
}

/** `aiModels[2] (text-to-image stabilityai/sd-turbo)`: what operators see in every refusal. */
export function describeEntry(raw: RawAIModelEntry): string {
  const v = raw.value as Record<string, unknown> | null;
  const name = v && typeof v === 'object' && typeof v.pipeline === 'string' ? ` (${v.pipeline}${typeof v.model_id === 'string' ? ` ${v.model_id}` : ''})` : '';
  return `aiModels[${raw.index}]${name}${raw.source === 'inline' ? '' : ` in ${raw.source}`}`;
}

function optionalString(value: unknown, field: string, fail: (m: string) => LpxError): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw fail(`${field} must be a string`);
  return value;
}

function readCapacity(value: unknown, external: boolean, fail: (m: string) => LpxError): number {
  if (value === undefined) return 1;
  const rational = readRational(value);
  if ('error' in rational || !isInteger(rational) || rational.num < 0n || rational.num > 1_000_000n) {
    throw fail(`capacity must be a whole number ≥ 0, found ${String(value)}`);
  }
  const n = Number(rational.num);
  // go-livepeer cannot tell 0 from absent (both mean 1); an explicit 0 on an external runner advertises nothing.
  if (n === 0 && external) throw fail('capacity 0 with url: the external runner would never be used (omit it for 1)');
  return n === 0 ? 1 : n;
}

function readFlags(value: unknown, fail: (m: string) => LpxError): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw fail('optimization_flags must be an object of env names to strings or booleans');
  const out: Record<string, string> = {};
  for (const [key, flag] of Object.entries(value as Record<string, unknown>)) {
    if (!ENV_NAME.test(key)) throw fail(`optimization_flags: "${key}" is not an environment variable name`);
    if (key === 'PIPELINE' || key === 'MODEL_ID') throw fail(`optimization_flags: "${key}" is set by the node`);
    if (typeof flag === 'boolean') out[key] = flag ? 'true' : 'false';
    else if (typeof flag === 'string') out[key] = flag;
    else throw fail(`optimization_flags.${key} must be a string or a boolean (go-livepeer refuses numbers too)`);
  }
  return out;
}

function readPrice(entry: Record<string, unknown>, fail: (m: string) => LpxError): AIModelEntry['price'] {
  const currencyRaw = entry.currency ?? 'wei';
  if (typeof currencyRaw !== 'string') throw fail('currency must be a string');
  const currency = currencyRaw.toLowerCase();
  if (currency !== 'wei' && currency !== 'eth') throw fail(`currency "${currencyRaw}" needs a price feed lpx does not have: use wei or eth`);
  let pixelsPerUnit = 1n;
  if (entry.pixels_per_unit !== undefined) {
    const pixels = readRational(entry.pixels_per_unit);
    if ('error' in pixels) throw fail(`pixels_per_unit: ${pixels.error}`);
    if (!isInteger(pixels) || pixels.num <= 0n) throw fail(`pixels_per_unit must be a whole number > 0, found ${String(entry.pixels_per_unit)}`);
    pixelsPerUnit = pixels.num;
  }
  if (entry.price_per_unit === undefined) {
    if (entry.pixels_per_unit !== undefined || entry.currency !== undefined) throw fail('pixels_per_unit and currency need price_per_unit');
    return undefined;
  }
  const price = readRational(entry.price_per_unit);
  if ('error' in price) throw fail(`price_per_unit: ${price.error}`);
  if (price.num < 0n) throw fail(`price_per_unit must be ≥ 0, found ${String(entry.price_per_unit)}`);
  const wei = currency === 'eth' ? reduce(price.num * WEI_PER_ETH, price.den) : price;
  return { pricePerUnit: wei, pixelsPerUnit };
}
