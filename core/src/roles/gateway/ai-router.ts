/**
 * Routing one batch AI request: pick an orchestrator offering the model
 * within the price ceiling (warm first, as go-livepeer), pay its units at
 * the model's price through the session's mirror balance, send it over
 * go-livepeer's AI wire, re-host the media, and on failure apply
 * go-livepeer's AI retry rules (ai-failover.ts) — all before any output
 * reached the caller, so a retry never duplicates what the caller saw.
 */
import type { AIPipeline, AIPipelineRequest, AIRequestBody, RationalPrice } from '@lpx/sdk';
import { errors } from '@lpx/sdk';
import type { PersonalSigner } from '../../network/index.js';
import { aiJobCapabilities, aiManifestId, aiSegmentHeader, fetchMedia, mediaSlots, submitAIRequest, type AIStreamEvent, type FetchedMedia } from '../../network/ai/index.js';
import { Rational } from '../../payments/index.js';
import { aiFailover, aiRemoteMessage, badRequestError } from './ai-failover.js';
import type { AIJobMedia, AIJobOutput } from './ai-job.js';
import type { AISessions } from './ai-sessions.js';
import type { ChargeTenant, SegmentPayments } from './segment-payments.js';

export interface AIRouterDeps {
  /** An orchestrator offering (capability, model) within the price limits, none of `exclude`, warm ones first; throws the pool's coded reason when none is left. */
  pick(capabilityId: string, model: string, exclude: ReadonlySet<string>, maxPrice: RationalPrice | undefined, tenant: string | undefined): Promise<{ uri: string }>;
  readonly sessions: AISessions;
  readonly payments: SegmentPayments;
  readonly signer: PersonalSigner;
  chargeFor(tenant: string | undefined): ChargeTenant | undefined;
  suspend(uri: string, reason: string): void;
  /** Keeps a media file on this gateway and names the URL apps fetch it from. */
  store(media: FetchedMedia): Promise<AIJobMedia>;
  readonly submit?: typeof submitAIRequest;
  readonly requestTimeoutMs: number;
  /** Distinct orchestrators tried per request. */
  readonly maxOrchestratorAttempts: number;
  readonly onAttemptFailed?: (event: { requestId: string; uri: string; error: unknown; action: string }) => void;
  readonly onPaid?: (tickets: number, orchestrator: string) => void;
  /**
   * When no batch orchestrator offers the model or every one tried failed:
   * another way to serve it (the Live Runner fallback, ADR 0050), or
   * undefined to answer the batch error.
   */
  readonly fallback?: (route: AIRoute, cause: unknown) => Promise<AIRouted | undefined>;
}

export interface AIRoute {
  readonly requestId: string;
  readonly pipeline: AIPipeline;
  readonly request: AIPipelineRequest;
  readonly tenant?: string;
  readonly maxPrice?: RationalPrice;
  /** The job's spend ceiling in wei (ADR 0036). */
  readonly maxJobWei?: bigint;
  readonly signal: AbortSignal;
}

export type AIRouted = { readonly orchestrator: string; readonly tried: number } & (
  | { readonly kind: 'json'; readonly output: AIJobOutput }
  | { readonly kind: 'stream'; readonly events: AsyncGenerator<AIStreamEvent, void, undefined>; close(): void }
);

/** go-livepeer's maxSameSessTries: "ticketparams expired" is retried this often on one orchestrator. */
export const MAX_SAME_ORCHESTRATOR_TRIES = 3;

type Attempted = { readonly kind: 'json'; readonly output: AIJobOutput } | { readonly kind: 'stream'; readonly events: AsyncGenerator<AIStreamEvent, void, undefined>; close(): void };

/**
 * The body with the model named: an orchestrator reads the model from it
 * (go-livepeer's O dereferences model_id; an absent one fails there), so
 * the model the gateway chose orchestrators for always travels along.
 */
export function bodyWithModel(request: AIPipelineRequest): AIRequestBody {
  const field = request.pipeline === 'llm' ? 'model' : 'model_id';
  const body = request.body;
  if (body.kind === 'json') return typeof body.json[field] === 'string' ? body : { kind: 'json', json: { ...body.json, [field]: request.modelId } };
  return typeof body.fields[field] === 'string' ? body : { ...body, fields: { ...body.fields, [field]: request.modelId } };
}

async function attempt(deps: AIRouterDeps, uri: string, route: AIRoute): Promise<Attempted> {
  const { pipeline, request, signal } = route;
  const capability = pipeline.livepeerCapability;
  const manifestId = aiManifestId(capability, request.modelId);
  const session = await deps.sessions.session(uri, manifestId, aiJobCapabilities(capability, request.modelId));
  const units = pipeline.units(request, 'gateway');
  // go-livepeer's estimateAIFee: units × price, no margin; the orchestrator debits the same units.
  const payment = await deps.payments.prepareUnits(session, units, Rational.ONE, deps.chargeFor(route.tenant), route.maxJobWei);
  let segmentHeader: string;
  try {
    segmentHeader = await aiSegmentHeader({ livepeerCapability: capability, modelId: request.modelId, authToken: session.info.authToken, signer: deps.signer });
  } catch (error) {
    payment.abort();
    throw error;
  }
  // As go-livepeer: the credit counts as spent once the request goes out, whatever comes back.
  payment.sent();
  if (payment.numTickets > 0) deps.onPaid?.(payment.numTickets, uri);
  const serviceUri = session.info.transcoder;
  const response = await (deps.submit ?? submitAIRequest)({
    serviceUri,
    pipeline: pipeline.name,
    body: bodyWithModel(request),
    segmentHeader,
    paymentHeader: payment.header,
    timeoutMs: deps.requestTimeoutMs,
    signal,
  });
  payment.settle(units);
  if (response.kind === 'stream') {
    if (!request.stream) {
      response.close();
      throw errors.ai.RESULT_INVALID.create(`${uri} answered a ${pipeline.name} request with an event stream nobody asked for`);
    }
    return response;
  }
  if (response.json === null || typeof response.json !== 'object') throw errors.ai.RESULT_INVALID.create(`${uri} answered ${pipeline.name} with JSON that is not an object`);
  const json = structuredClone(response.json);
  const media: AIJobMedia[] = [];
  for (const slot of mediaSlots(pipeline.name, json)) {
    const fetched = await fetchMedia(slot.url, { baseUri: serviceUri, timeoutMs: deps.requestTimeoutMs, signal });
    const stored = await deps.store(fetched);
    slot.set(stored.url);
    media.push(stored);
  }
  return { kind: 'json', output: { json, media, modelId: request.modelId } };
}

function cancelled(route: AIRoute, cause?: unknown): Error {
  return errors.ai.CANCELLED.create(`the ${route.pipeline.name} request ${route.requestId} was cancelled`, cause !== undefined ? { cause } : {});
}

/** The pool found nobody at all: say which, in AI terms when the model is what nobody has. */
function noneLeft(route: AIRoute, error: unknown): unknown {
  const offering = (error as { details?: { offering?: unknown } } | undefined)?.details?.offering;
  if (errors.gateway.NO_ORCHESTRATORS.is(error) && offering === 0) {
    return errors.ai.MODEL_UNKNOWN.create(`no orchestrator in this gateway's pool offers ${route.pipeline.name} with model ${route.request.modelId}`, {
      cause: error as Error,
      details: { pipeline: route.pipeline.name, modelId: route.request.modelId },
    });
  }
  return error;
}

/** Pick refusals that mean no batch orchestrator can take the model (others, like a spent budget, stop). */
const NOBODY_CODES: ReadonlySet<string> = new Set([errors.gateway.NO_ORCHESTRATORS.code, errors.ai.MODEL_UNKNOWN.code, errors.gateway.PRICE_TOO_HIGH.code]);

export async function routeAI(deps: AIRouterDeps, route: AIRoute): Promise<AIRouted> {
  const capabilityId = `ai/${route.pipeline.name}`;
  const manifestId = aiManifestId(route.pipeline.livepeerCapability, route.request.modelId);
  const exclude = new Set<string>();
  const sameTries = new Map<string, number>();
  let lastError: unknown;
  let tried = 0;
  let target: string | undefined;
  while (!route.signal.aborted) {
    if (target === undefined) {
      if (tried >= deps.maxOrchestratorAttempts) break;
      try {
        target = (await deps.pick(capabilityId, route.request.modelId, exclude, route.maxPrice, route.tenant)).uri;
      } catch (error) {
        // After a failed attempt, "none left" says less than why the last one failed.
        lastError ??= noneLeft(route, error);
        break;
      }
      tried++;
    }
    const uri = target;
    sameTries.set(uri, (sameTries.get(uri) ?? 0) + 1);
    try {
      const done = await attempt(deps, uri, route);
      return { ...done, orchestrator: uri, tried };
    } catch (error) {
      if (route.signal.aborted) throw cancelled(route, error);
      lastError = error;
      let action = aiFailover(error);
      if (action === 'same-again' && sameTries.get(uri)! >= MAX_SAME_ORCHESTRATOR_TRIES) action = 'try-another';
      deps.onAttemptFailed?.({ requestId: route.requestId, uri, error, action });
      if (action === 'stop') throw error;
      // Whatever went wrong, the next request to it starts from a fresh GetOrchestrator.
      if (action !== 'try-another') deps.sessions.drop(uri, manifestId);
      if (action === 'bad-request') throw badRequestError(error);
      if (action === 'same-again') continue;
      if (action === 'suspend-and-try-another') deps.suspend(uri, aiRemoteMessage(error).trim() || `${route.pipeline.name} failed`);
      exclude.add(uri);
      target = undefined;
    }
  }
  if (route.signal.aborted) throw cancelled(route);
  if (deps.fallback !== undefined && (tried > 0 || NOBODY_CODES.has((lastError as { code?: string } | undefined)?.code ?? ''))) {
    const served = await deps.fallback(route, lastError);
    if (served !== undefined) return served;
  }
  if (tried === 0 && lastError !== undefined) throw lastError;
  const reason = lastError instanceof Error ? lastError.message : String(lastError ?? 'no orchestrator');
  // go-livepeer's answer when every try failed: 503 "no orchestrators available".
  throw errors.gateway.NO_ORCHESTRATORS.create(`no orchestrator completed the ${route.pipeline.name} request (model ${route.request.modelId}) after ${tried} tries: ${reason}`, {
    ...(lastError !== undefined ? { cause: lastError as Error } : {}),
    details: { pipeline: route.pipeline.name, modelId: route.request.modelId, tried, excluded: [...exclude], remoteMessage: lastError === undefined ? '' : aiRemoteMessage(lastError) },
  });
}
