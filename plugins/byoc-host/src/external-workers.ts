import { BYOC_APP_NAME_PATTERN, errors, type ByocAppSpec, type LoggerService, type OrchestratorWireService } from '@lpx/sdk';
import type { FastifyPluginAsync, FastifyReply } from '@lpx/sdk';
import { capabilityDeclaration } from './app-plan.js';
import { registerCapabilitySchema, unregisterCapabilitySchema } from './route-schemas.js';
import type { HostedApps, HostedEntry } from './hosted-apps.js';

const INT64_MAX = (1n << 63n) - 1n;
const NAME = new RegExp(BYOC_APP_NAME_PATTERN);

/** go-livepeer's ExternalCapability JSON (core/external_capabilities.go). */
interface ExternalCapability {
  readonly name: string;
  readonly description: string;
  readonly url: string;
  readonly capacity: number;
  readonly pricePerUnit: bigint;
  readonly priceScaling: bigint;
  readonly token: string;
}

function invalid(what: string): Error {
  return errors.byoc.REGISTER_INVALID.create(`Error registering capability: ${what}`);
}

function int64(value: unknown, field: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid(`${field} must be an integer`);
  const big = BigInt(value);
  if (big < 0n || big > INT64_MAX) throw invalid(`${field} out of range`);
  return big;
}

/**
 * Reads a registration body. go-livepeer converts non-wei currencies through
 * a price feed; lpx has none on this path, so only wei (empty, `wei`, `WEI`)
 * is taken and anything else refused rather than mispriced.
 */
export function parseExternalCapability(body: string): ExternalCapability {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (error) {
    throw invalid(`body is not JSON: ${(error as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid('body must be a JSON object');
  const o = raw as Record<string, unknown>;
  const str = (field: string): string => {
    const value = o[field] ?? '';
    if (typeof value !== 'string') throw invalid(`${field} must be a string`);
    return value;
  };
  const name = str('name');
  if (!NAME.test(name)) throw invalid(`name ${JSON.stringify(name)} must match ${BYOC_APP_NAME_PATTERN}`);
  const url = str('url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(`url ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid(`url ${url} must be http or https`);
  const capacity = o['capacity'] ?? 0;
  if (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity < 1 || capacity > 10_000) throw invalid('capacity must be an integer from 1 to 10000');
  const currency = str('currency');
  if (currency !== '' && currency.toUpperCase() !== 'WEI') throw invalid(`currency ${currency} is not supported (prices are taken in wei)`);
  const priceScaling = int64(o['price_scaling'], 'price_scaling');
  return {
    name,
    description: str('description'),
    url: url.replace(/\/+$/, ''),
    capacity,
    pricePerUnit: int64(o['price_per_unit'], 'price_per_unit'),
    // go-livepeer: a scaling of 0 counts as 1.
    priceScaling: priceScaling === 0n ? 1n : priceScaling,
    token: str('token'),
  };
}

/** The hosted entry of a registered worker: pluginId `external`, billed per second as go-livepeer does. */
export function externalEntry(cap: ExternalCapability): HostedEntry {
  const spec: ByocAppSpec = {
    name: cap.name,
    description: cap.description === '' ? cap.name : cap.description,
    mode: 'request-response',
    price: { unit: 'second', pricePerUnit: cap.pricePerUnit.toString(), pixelsPerUnit: cap.priceScaling.toString() },
    capacity: cap.capacity,
    external: { url: cap.url },
  };
  const declaration = capabilityDeclaration(spec, spec.price, cap.capacity)!;
  return {
    name: cap.name,
    capabilityId: declaration.id,
    pluginId: 'external',
    version: '0.0.0',
    spec,
    price: spec.price,
    capacity: cap.capacity,
    url: cap.url,
    healthUrl: cap.url,
    healthyStatus: 200,
    ready: true,
    gpus: [],
    declaration,
    ...(cap.token !== '' ? { token: cap.token } : {}),
    external: true,
  };
}

function plain(reply: FastifyReply, status: number, text: string): FastifyReply {
  // go-livepeer sets application/json on these replies even though the body is plain text.
  return reply.code(status).header('content-type', 'application/json').send(text);
}

/**
 * go-livepeer's `POST /capability/register` and `/capability/unregister` on
 * the orchestrator's front door: raw `Authorization: <orchestrator secret>`
 * (no Bearer), 400 `invalid authorization` on a wrong one, 200 `ok`. A name
 * a partner plugin hosts cannot be taken over by a worker.
 */
export function mountExternalWorkers(wire: OrchestratorWireService, apps: HostedApps, options: { readonly maxCapabilities: number; readonly logger: LoggerService }): void {
  const routes: FastifyPluginAsync = async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const authorized = (authorization: string | string[] | undefined): boolean =>
      wire.secretConfigured && wire.secretMatches(Array.isArray(authorization) ? authorization[0] : authorization);

    scope.post('/capability/register', { schema: registerCapabilitySchema }, async (request, reply) => {
      if (!authorized(request.headers.authorization)) return plain(reply, 400, 'invalid authorization\n');
      try {
        const cap = parseExternalCapability(typeof request.body === 'string' ? request.body : '');
        const existing = apps.get(cap.name);
        if (existing !== undefined && !existing.external) throw invalid(`${cap.name} is hosted by plugin ${existing.pluginId}`);
        if (existing === undefined && apps.list().filter((a) => (a as HostedEntry).external).length >= options.maxCapabilities) {
          throw invalid(`this node takes at most ${options.maxCapabilities} external capabilities`);
        }
        apps.put(externalEntry(cap));
        options.logger.info({ app: cap.name, url: cap.url, capacity: cap.capacity, token: cap.token !== '' }, `registered external capability ${cap.name}`);
        return plain(reply, 200, 'ok');
      } catch (error) {
        return plain(reply, 400, error instanceof Error ? error.message : String(error));
      }
    });

    scope.post('/capability/unregister', { schema: unregisterCapabilitySchema }, async (request, reply) => {
      if (!authorized(request.headers.authorization)) return plain(reply, 400, 'invalid authorization\n');
      const name = typeof request.body === 'string' ? request.body.trim() : '';
      const existing = apps.get(name);
      if (existing === undefined || !existing.external) return plain(reply, 400, `Error removing capability: capability not found: ${name}\n`);
      apps.remove(name, 'unregistered by the worker');
      return plain(reply, 200, 'ok');
    });
  };
  wire.register(routes);
}
