/**
 * What a runner is, as the registry keeps it, and go-livepeer's validation of
 * the two ways one arrives: a static entry (operator config, or a hosting
 * plugin through `live-runner.registry`) and a dynamic heartbeat body. Error
 * texts follow go-livepeer's; prices are wei here (ADR 0040): a heartbeat's
 * `price_info` must say `currency: "wei"`.
 */
import { errors, type LiveRunnerGpu, type LiveRunnerMode, type LiveRunnerPrice, type LiveRunnerPriceUnit, type StaticLiveRunner } from '@lpx/sdk';

export const MAX_METADATA_BYTES = 1024;
const PRICE_UNITS: readonly LiveRunnerPriceUnit[] = ['seconds', '720p-pixel-seconds', 'fixed'];

export interface RunnerSpec {
  readonly runnerUrl: string;
  readonly app: string;
  readonly version: string;
  readonly metadata: string;
  readonly mode: LiveRunnerMode;
  readonly capacity: number;
  readonly proxy: boolean;
  readonly gpu?: LiveRunnerGpu;
  readonly price?: LiveRunnerPrice;
}

export interface StaticSpec extends RunnerSpec {
  readonly label: string;
  readonly routing: 'runner-id' | 'label';
  readonly healthUrl: string;
  readonly healthyStatusCode: number;
}

export interface HeartbeatSpec extends RunnerSpec {
  readonly runnerId: string;
  /** '' and 'ready' are eligible for discovery and sessions. */
  readonly status: string;
}

/** A refusal text; the caller wraps it in its own code (CONFIG_INVALID or HEARTBEAT_INVALID). */
class SpecFault extends Error {}

function fault(message: string): never {
  throw new SpecFault(message);
}

export function httpUrl(raw: unknown, field: string): URL {
  if (typeof raw !== 'string' || raw === '') fault(`invalid ${field}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fault(`invalid ${field}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') fault(`invalid ${field}`);
  return url;
}

export function checkMetadata(metadata: string): void {
  if (Buffer.byteLength(metadata, 'utf8') > MAX_METADATA_BYTES) fault(`metadata must be at most ${MAX_METADATA_BYTES} bytes`);
  // A JS string read from JSON is always valid UTF-16; lone surrogates would not survive UTF-8, and U+FFFD marks bytes that did not decode.
  if (/[\uD800-\uDFFF]/u.test(metadata.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) fault('metadata must be valid UTF-8');
  if (metadata.includes('\uFFFD')) fault('metadata must not contain Unicode replacement character U+FFFD');
}

function mode(raw: unknown): LiveRunnerMode {
  if (raw === undefined || raw === '' || raw === 'persistent') return 'persistent';
  if (raw === 'single-shot' || raw === 'single_shot') return 'single-shot';
  return fault('mode must be "persistent" or "single-shot"');
}

function capacity(raw: unknown): number {
  if (raw === undefined) return 1;
  if (typeof raw !== 'number' || !Number.isInteger(raw)) fault('capacity must be an integer');
  if (raw < 0) fault('capacity must be >= 0');
  return raw === 0 ? 1 : raw;
}

function gpu(raw: unknown): LiveRunnerGpu | undefined {
  if (raw === undefined || raw === null) return undefined;
  // go-livepeer: an integer is a local device index.
  if (typeof raw === 'number' && Number.isInteger(raw)) return { id: String(raw) };
  if (typeof raw !== 'object') fault('gpu must be an object or a device index');
  const g = raw as Record<string, unknown>;
  const vram = g['vram_mb'] ?? g['vramMb'];
  return {
    id: String(g['id'] ?? ''),
    ...(typeof g['name'] === 'string' ? { name: g['name'] } : {}),
    ...(typeof vram === 'number' ? { vramMb: vram } : {}),
  };
}

/** Wei per unit: a positive integer (decimal string, or a safe JSON integer). */
export function weiPrice(raw: { price?: unknown; unit?: unknown; currency?: unknown }): LiveRunnerPrice {
  const price = typeof raw.price === 'number' && Number.isSafeInteger(raw.price) ? String(raw.price) : raw.price;
  if (typeof price !== 'string' || !/^[1-9][0-9]*$/.test(price)) fault('price_info.price must be a positive integer (wei)');
  const unit = raw.unit === undefined || raw.unit === '' ? 'seconds' : raw.unit;
  if (!PRICE_UNITS.includes(unit as LiveRunnerPriceUnit)) fault('price_info.unit must be seconds, 720p-pixel-seconds, or fixed');
  return { price, unit: unit as LiveRunnerPriceUnit };
}

function common(raw: Record<string, unknown>, paid: boolean, price: unknown): RunnerSpec {
  const runnerUrl = httpUrl(raw['runnerUrl'], 'runner_url').toString().replace(/\/$/, '');
  const app = raw['app'];
  if (typeof app !== 'string' || app === '' || app.trim() !== app) fault('app is required and must be trimmed');
  const metadata = raw['metadata'] ?? '';
  if (typeof metadata !== 'string') fault('metadata must be a string');
  checkMetadata(metadata);
  const version = raw['version'] ?? '';
  if (typeof version !== 'string') fault('version must be a string');
  let parsedPrice: LiveRunnerPrice | undefined;
  if (paid) {
    if (price === undefined || price === null) fault('price_info.price is required');
    parsedPrice = weiPrice(price as Record<string, unknown>);
  }
  const g = gpu(raw['gpu']);
  return {
    runnerUrl,
    app,
    version,
    metadata,
    mode: mode(raw['mode']),
    capacity: capacity(raw['capacity']),
    proxy: raw['proxy'] === true,
    ...(g !== undefined ? { gpu: g } : {}),
    ...(parsedPrice !== undefined ? { price: parsedPrice } : {}),
  };
}

/** Validates one static entry; throws CONFIG_INVALID naming `runners[index]`. */
export function staticSpec(entry: StaticLiveRunner, index: number, paid: boolean): StaticSpec {
  try {
    const label = entry.label;
    if (typeof label !== 'string' || label === '' || label.trim() !== label) fault('label is required and must be trimmed');
    const routing = entry.routing ?? 'runner-id';
    if (routing !== 'runner-id' && routing !== 'label') fault('routing must be "runner-id" or "label"');
    if (routing === 'label' && label.includes('/')) fault('label cannot contain / when routing is "label"');
    const base = common(entry as unknown as Record<string, unknown>, paid, entry.price);
    if (typeof entry.healthUrl !== 'string' || entry.healthUrl === '') fault('health_url is required');
    const healthUrl = entry.healthUrl.startsWith('/') ? `${base.runnerUrl}${entry.healthUrl}` : httpUrl(entry.healthUrl, 'health_url').toString();
    const code = entry.healthyStatusCode ?? 200;
    if (!Number.isInteger(code) || code < 100 || code > 599) fault('healthy_status_code must be a valid HTTP status code');
    return { ...base, label, routing, healthUrl, healthyStatusCode: code };
  } catch (error) {
    if (error instanceof SpecFault) throw errors.liveRunner.CONFIG_INVALID.create(`runners[${index}]: ${error.message}`, { details: { index, label: entry.label } });
    throw error;
  }
}

/** Validates a heartbeat body (go-livepeer's JSON field names); throws HEARTBEAT_INVALID. */
export function heartbeatSpec(body: unknown, runnerId: string, paid: boolean): HeartbeatSpec {
  try {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) fault('the heartbeat body must be a JSON object');
    const raw = body as Record<string, unknown>;
    const status = raw['status'] ?? '';
    if (typeof status !== 'string' || status.trim() !== status || status.toLowerCase() !== status) fault('status must be lowercase and trimmed');
    const priceInfo = raw['price_info'] as Record<string, unknown> | undefined;
    if (paid && priceInfo !== undefined && priceInfo !== null && (priceInfo['currency'] ?? 'wei') !== 'wei') {
      fault('price_info.currency must be wei on lpx (it has no USD/ETH price feed)');
    }
    const base = common({ ...raw, runnerUrl: raw['runner_url'] }, paid, priceInfo);
    return { ...base, runnerId, status };
  } catch (error) {
    if (error instanceof SpecFault) throw errors.liveRunner.HEARTBEAT_INVALID.create(error.message, { details: { runnerId } });
    throw error;
  }
}

/** A static config entry in go-livepeer's snake_case (plugin config) as the sdk's StaticLiveRunner. */
export function fromGoStaticEntry(raw: Record<string, unknown>): StaticLiveRunner {
  const price = raw['price_info'] as Record<string, unknown> | undefined;
  return {
    label: raw['label'] as string,
    ...(raw['routing'] !== undefined ? { routing: raw['routing'] as 'label' } : {}),
    runnerUrl: raw['runner_url'] as string,
    healthUrl: raw['health_url'] as string,
    ...(raw['healthy_status_code'] !== undefined ? { healthyStatusCode: raw['healthy_status_code'] as number } : {}),
    app: raw['app'] as string,
    ...(raw['version'] !== undefined ? { version: raw['version'] as string } : {}),
    ...(raw['metadata'] !== undefined ? { metadata: raw['metadata'] as string } : {}),
    mode: (raw['mode'] as 'persistent') ?? 'persistent',
    capacity: (raw['capacity'] as number) ?? 1,
    ...(raw['proxy'] !== undefined ? { proxy: raw['proxy'] as boolean } : {}),
    ...(raw['gpu'] !== undefined ? { gpu: raw['gpu'] as never } : {}),
    ...(price !== undefined ? { price: { price: String(price['price']), unit: (price['unit'] as 'seconds') ?? 'seconds' } } : {}),
  };
}
