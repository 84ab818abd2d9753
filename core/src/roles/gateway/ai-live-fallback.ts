/**
 * The batch AI fallback to Live Runner (ADR 0050): a `POST /<pipeline>` that
 * no batch orchestrator took — none offers the model, or every one tried
 * failed — goes as one single-shot call to a Live Runner app named
 * `<pipeline>/<model_id>` (the ai-live-runner convention; any runner that
 * speaks the ai-runner API under that name will do), paid through the
 * gateway's Live Runner client, and the answer comes back in the batch
 * route's shape: the same JSON with media re-hosted on this gateway, or the
 * LLM's events.
 *
 * Money: a runner whose metadata says it covers fewer units than the request
 * needs is never picked (nothing paid); a fixed price must be within the
 * batch ceiling for this request, max price per unit × the request's units;
 * the call is paid once, and a failure after the app was reached is not
 * retried elsewhere (that would pay a second time) but answered as a coded
 * error. Apps refusing the input answer a 4xx that reaches the client as is.
 */
import { errors, isLpxError, type AIPipelineName, type RationalPrice } from '@lpx/sdk';
import type { Dispatcher } from 'undici';
import { encodeAIBody, fetchMedia, mediaSlots, parseAIEventStream, remoteText, type FetchedMedia } from '../../network/ai/index.js';
import type { DiscoveredRunner } from '../../network/live-runner/index.js';
import type { AIJobMedia } from './ai-job.js';
import { bodyWithModel, type AIRoute, type AIRouted } from './ai-router.js';
import type { LiveRunnerCeilings } from './live-runner-price.js';
import type { LiveRunnerRouter } from './live-runner-router.js';

/** The app a batch (pipeline, model) is looked up under. */
export function liveAppFor(pipeline: AIPipelineName, modelId: string): string {
  return `${pipeline}/${modelId}`;
}

/** The units a runner says one call covers (metadata `max_units`); undefined: it does not say. */
export function coveredUnits(runner: Pick<DiscoveredRunner, 'metadata'>): bigint | undefined {
  if (runner.metadata === undefined) return undefined;
  try {
    const value = (JSON.parse(runner.metadata) as { max_units?: unknown } | null)?.max_units;
    return typeof value === 'string' && /^[0-9]{1,40}$/.test(value) ? BigInt(value) : undefined;
  } catch {
    return undefined;
  }
}

/** The most a fixed-price call of `units` may cost under a per-unit ceiling, floored (never above the ceiling). */
export function perCallCeiling(maxPrice: RationalPrice | undefined, units: bigint): bigint | undefined {
  if (maxPrice === undefined || maxPrice.pricePerUnit <= 0n || maxPrice.pixelsPerUnit <= 0n) return undefined;
  return (maxPrice.pricePerUnit * units) / maxPrice.pixelsPerUnit;
}

export interface AILiveFallbackDeps {
  readonly router: Pick<LiveRunnerRouter, 'singleShot'>;
  /** Whether anyone offers the app now (refreshed discovery). */
  hasApp(app: string): Promise<boolean>;
  readonly ceilings: LiveRunnerCeilings;
  /** The tenant's per-unit ceiling (the batch reading of tenant maxPrice). */
  maxPriceOf(tenant: string | undefined): RationalPrice | undefined;
  store(media: FetchedMedia): Promise<AIJobMedia>;
  readonly requestTimeoutMs: number;
  onOutcome?(event: { readonly pipeline: string; readonly modelId: string; readonly outcome: 'served' | 'no-app' | 'refused' | 'failed'; readonly orchestrator?: string; readonly error?: unknown }): void;
}

function stricter(a: RationalPrice | undefined, b: RationalPrice | undefined): RationalPrice | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a.pricePerUnit * b.pixelsPerUnit <= b.pricePerUnit * a.pixelsPerUnit ? a : b;
}

async function readAll(body: Dispatcher.ResponseData['body'], max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).byteLength;
    if (size > max) throw errors.ai.RESULT_INVALID.create(`the Live Runner app's answer is over ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A non-200 from the app, coded: its own code when it sent one, else by status. */
function appRefusal(status: number, text: string, code: string | undefined, where: string): Error {
  const message = `${where} answered ${status}: ${remoteText(text)}`;
  const details = { status, remoteMessage: text };
  const known = code !== undefined ? Object.values(errors.ai).find((c) => c.code === code) : undefined;
  if (known !== undefined && status < 500) return known.create(message, { details });
  if (status === 413) return errors.ai.LIMIT_EXCEEDED.create(message, { details });
  if (status < 500) return errors.ai.REQUEST_INVALID.create(message, { details });
  if (status === 503) return errors.ai.NO_CAPACITY.create(message, { details });
  return errors.ai.RUNNER_FAILED.create(message, { details });
}

/**
 * Routes `route` through a Live Runner app; undefined when no orchestrator
 * offers the app (the caller keeps its own error).
 */
export async function routeViaLiveRunner(deps: AILiveFallbackDeps, route: AIRoute): Promise<AIRouted | undefined> {
  const { pipeline, request } = route;
  const app = liveAppFor(pipeline.name, request.modelId);
  const report = (outcome: 'served' | 'no-app' | 'refused' | 'failed', extra: { orchestrator?: string; error?: unknown } = {}) =>
    deps.onOutcome?.({ pipeline: pipeline.name, modelId: request.modelId, outcome, ...extra });
  if (!(await deps.hasApp(app))) {
    report('no-app');
    return undefined;
  }
  const units = pipeline.units(request, 'gateway');
  const encoded = encodeAIBody(bodyWithModel(request));
  const perCall = perCallCeiling(stricter(route.maxPrice, deps.maxPriceOf(route.tenant)), units);
  let call;
  try {
    call = await deps.router.singleShot({
      app,
      tenant: route.tenant,
      // Fixed prices are per call: the batch ceiling for this request's units, the gateway's own fixed ceiling too.
      ceilings: { gateway: deps.ceilings, ...(perCall !== undefined ? { request: perCall } : {}) },
      accept: (runner) => {
        const covered = coveredUnits(runner);
        return covered === undefined || covered >= units;
      },
      call: { method: 'POST', path: `/${pipeline.name}`, headers: { 'content-type': encoded.contentType }, body: encoded.body },
    });
  } catch (error) {
    if (errors.liveRunner.RUNNER_UNKNOWN.is(error)) {
      // The app left between the look and the pick.
      report('no-app');
      return undefined;
    }
    if (errors.gateway.NO_ORCHESTRATORS.is(error)) {
      // Every runner of the app covers fewer units than this request needs: nothing was paid.
      const refused = errors.ai.UNITS_NOT_COVERED.create(`no Live Runner app ${app} covers the ${units} ${pipeline.unit} units this request needs`, { cause: error as Error, details: { app, units: units.toString() } });
      report('refused', { error: refused });
      throw refused;
    }
    report('failed', { error });
    throw error;
  }
  const where = `the Live Runner app ${app} on ${call.orchestrator}`;
  try {
    const { response } = call;
    if (response.statusCode !== 200) {
      const text = (await readAll(response.body, 64 * 1024).catch(() => Buffer.alloc(0))).toString('utf8');
      const header = response.headers['lpx-error-code'];
      const failure = appRefusal(response.statusCode, text, Array.isArray(header) ? header[0] : header, where);
      report(response.statusCode < 500 ? 'refused' : 'failed', { orchestrator: call.orchestrator, error: failure });
      throw failure;
    }
    const type = String(response.headers['content-type'] ?? '');
    if (type.startsWith('text/event-stream')) {
      if (!request.stream) throw errors.ai.RESULT_INVALID.create(`${where} streamed a ${pipeline.name} answer nobody asked for`);
      report('served', { orchestrator: call.orchestrator });
      const done = call.done;
      const events = (async function* () {
        try {
          yield* parseAIEventStream(response.body);
        } finally {
          await done();
        }
      })();
      return { kind: 'stream', events, close: () => void events.return(undefined), orchestrator: call.orchestrator, tried: 1 };
    }
    let json: unknown;
    try {
      json = JSON.parse((await readAll(response.body, 512 * 1024 * 1024)).toString('utf8'));
    } catch (error) {
      throw isLpxError(error) ? error : errors.ai.RESULT_INVALID.create(`${where} answered JSON that does not parse`, { cause: error as Error });
    }
    if (json === null || typeof json !== 'object') throw errors.ai.RESULT_INVALID.create(`${where} answered JSON that is not an object`);
    const media: AIJobMedia[] = [];
    for (const slot of mediaSlots(pipeline.name, json)) {
      const fetched = await fetchMedia(slot.url, { baseUri: call.orchestrator, timeoutMs: deps.requestTimeoutMs, signal: route.signal });
      const stored = await deps.store(fetched);
      slot.set(stored.url);
      media.push(stored);
    }
    await call.done();
    report('served', { orchestrator: call.orchestrator });
    return { kind: 'json', output: { json, media, modelId: request.modelId }, orchestrator: call.orchestrator, tried: 1 };
  } catch (error) {
    await call.done().catch(() => undefined);
    throw error;
  }
}
