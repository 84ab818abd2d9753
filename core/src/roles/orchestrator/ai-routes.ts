/**
 * go-livepeer's AI routes on the orchestrator's front door
 * (`server/ai_http.go`): `POST /<pipeline>` for every pipeline plugin, in
 * go-livepeer's order and with its status codes — body decode (400),
 * Livepeer-Payment (402), Livepeer-Segment credentials incl. the capability
 * and model check and the session cap (403), the pipeline's own checks
 * (400, 413 for ai.limits), capacity for (pipeline, model) (503
 * `insufficient capacity`), the payment credited to `<capId>_<modelId>`
 * (400), balance ≥ ticket EV when priced (400 `Insufficient balance`),
 * the run as a job (500, capacity released, nothing debited), then the
 * debit of price × units and the reply. Refusals are Go's plain text.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { aiCapabilityId, errors, isLpxError, type AIPipeline, type AIPipelineRequest, type CapacityReservation, type LpxError } from '@lpx/sdk';
import type { KernelAI, OrchestratorAI } from '../../ai/kernel-ai.js';
import type { CapabilityRegistry } from '../../capabilities/index.js';
import { passBodyThrough } from '../../network/segment/request-body.js';
import { SEGMENT_HEADER, PAYMENT_HEADER, type PaidRouteDeps } from '../../network/segment/paid-request.js';
import { verifySegmentCredentials } from '../../network/segment/segment-credentials.js';
import { INSUFFICIENT_BALANCE_TEXT } from '../../network/segment/segment-route.js';
import { decodePaymentHeaderValue, priceFromInfo, type Payment } from '../../payments/index.js';
import { INSUFFICIENT_CAPACITY_TEXT, resultJson, sendAIError, writeEventStream, type ResultLinks } from './ai-reply.js';
import { readAIRequestBody } from './ai-request-body.js';

export interface AIRoutesDeps extends ResultLinks {
  readonly ai: KernelAI;
  readonly served: OrchestratorAI;
  readonly registry: CapabilityRegistry;
  /** The /segment credential and payment deps, shared with the transcode routes. */
  readonly paid: Omit<PaidRouteDeps, 'buildInfo'>;
  readonly logger: Logger;
  /** ai.batchRoutes: false answers 410 Gone (go-livepeer #4036). */
  readonly batchRoutes: boolean;
}

const ZERO_ADDRESS = new Uint8Array(20);

function header(request: FastifyRequest, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function refuse(reply: FastifyReply, error: LpxError, status = error.status): FastifyReply {
  return sendAIError(reply, status, error.message, error.code);
}

async function serveAI(pipeline: AIPipeline, request: FastifyRequest, reply: FastifyReply, deps: AIRoutesDeps): Promise<FastifyReply> {
  const { paid, registry } = deps;
  let body;
  try {
    body = await readAIRequestBody(request, pipeline, deps.ai.limits.maxBodyBytes);
  } catch (error) {
    if (isLpxError(error)) return refuse(reply, error, errors.ai.LIMIT_EXCEEDED.is(error) ? 413 : 400);
    throw error;
  }

  let payment: Payment;
  try {
    // An empty header is an empty payment: free work on offchain nodes.
    payment = decodePaymentHeaderValue(header(request, PAYMENT_HEADER));
  } catch (error) {
    return sendAIError(reply, 402, (error as Error).message);
  }
  const sender = payment.sender ?? ZERO_ADDRESS;
  try {
    verifySegmentCredentials(header(request, SEGMENT_HEADER), {
      sender,
      authTokens: paid.authTokens,
      orchestratorCapabilities: paid.orchestratorCapabilities,
      hasCapacity: paid.hasCapacity,
      skipSignatureCheck: paid.payments === undefined,
      ...(paid.verifier !== undefined ? { verifier: paid.verifier } : {}),
    });
  } catch (error) {
    if (!isLpxError(error)) throw error;
    return sendAIError(reply, 403, error.message, error.code);
  }

  let validated: AIPipelineRequest;
  let units: bigint;
  try {
    validated = await pipeline.validate(body, deps.ai.limits);
    units = pipeline.units(validated, 'orchestrator');
    if (typeof units !== 'bigint' || units < 0n) throw errors.ai.REQUEST_INVALID.create(`the ${pipeline.name} pipeline computed no billing units`);
  } catch (error) {
    if (!isLpxError(error)) return sendAIError(reply, 400, (error as Error).message, errors.ai.REQUEST_INVALID.code);
    return refuse(reply, error, errors.ai.LIMIT_EXCEEDED.is(error) ? 413 : 400);
  }

  const capabilityId = aiCapabilityId(pipeline.name);
  const modelId = validated.modelId;
  const models = registry.get(capabilityId)?.constraints.models ?? {};
  if (!(modelId in models)) return sendAIError(reply, 503, INSUFFICIENT_CAPACITY_TEXT, errors.ai.MODEL_UNKNOWN.code);
  if (registry.available(capabilityId, modelId) < 1) return sendAIError(reply, 503, INSUFFICIENT_CAPACITY_TEXT, errors.ai.NO_CAPACITY.code);
  const reservation: CapacityReservation = registry.reserve(capabilityId, modelId);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    registry.release(reservation);
  };

  try {
    // go-livepeer credits every AI payment to one balance per (capability, model).
    const manifestId = `${pipeline.livepeerCapability}_${modelId}`;
    const payments = paid.payments;
    if (payments !== undefined) {
      try {
        await payments.processor.processPayment(payment, manifestId);
      } catch (error) {
        return sendAIError(reply, 400, (error as Error).message, isLpxError(error) ? error.code : undefined);
      }
      if ((payment.expectedPrice?.pricePerUnit ?? 0n) > 0n) {
        const balance = await payments.processor.balance(sender, manifestId);
        if (balance === undefined || balance.lt(payments.recipient.ev)) {
          payments.processor.countRefusal('insufficient_balance');
          return sendAIError(reply, 400, INSUFFICIENT_BALANCE_TEXT);
        }
        try {
          // A zero-denominator price would fail the debit after the work; refuse it before.
          priceFromInfo(payment.expectedPrice);
        } catch (error) {
          return sendAIError(reply, 400, (error as Error).message);
        }
      }
    }

    const controller = new AbortController();
    // The response closing before it finished is the caller going away (the request stream closes when its body is read).
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    let outcome;
    try {
      outcome = await deps.served.run({ requestId: randomBytes(16).toString('hex'), request: validated, signal: controller.signal });
    } catch (error) {
      deps.logger.warn({ err: error, pipeline: pipeline.name, model: modelId }, 'AI request failed; nothing debited');
      if (errors.ai.NO_CAPACITY.is(error)) return sendAIError(reply, 503, INSUFFICIENT_CAPACITY_TEXT, error.code);
      return sendAIError(reply, 500, (error as Error).message, isLpxError(error) ? error.code : errors.ai.RUNNER_FAILED.code);
    }

    // Like go-livepeer: charge once the work is done (a stream once it has started), at the price the payment named.
    const debit = async () => {
      if (payments !== undefined && payment.expectedPrice !== undefined && units > 0n) await payments.processor.debit(sender, manifestId, units, payment.expectedPrice);
      deps.ai.charged(pipeline.name, modelId, units);
    };
    if (outcome.kind === 'stream') {
      await debit();
      await writeEventStream(reply, outcome.events, (error) => deps.logger.warn({ err: error, pipeline: pipeline.name, model: modelId }, 'AI stream broke off'));
      return reply;
    }
    const json = await resultJson(pipeline.name, outcome.json, outcome.files, request.headers.authorization, deps);
    await debit();
    return reply.code(200).header('content-type', 'application/json').send(JSON.stringify(json));
  } finally {
    release();
  }
}

/** Mounts `POST /<pipeline>` for every pipeline plugin, each in a scope that hands the body through unparsed (read after the checks above). */
export function registerAIRoutes(app: FastifyInstance, deps: AIRoutesDeps): void {
  const bodyLimit = deps.ai.limits.maxBodyBytes;
  app.register(async (scope) => {
    passBodyThrough(scope);
    for (const pipeline of deps.ai.pipelines.list()) {
      if (!deps.ai.declared.includes(aiCapabilityId(pipeline.name))) continue;
      // Fastify's own limit answers 413 with problem+json; ours a byte later answers go-livepeer's way.
      if (!deps.batchRoutes) {
        // go-livepeer #4036: the batch routes answer 410 Gone; the work is reached as Live Runner apps.
        scope.post(`/${pipeline.name}`, (_request, reply) => sendAIError(reply, 410, 'batch AI routes are retired on this orchestrator: use its Live Runner apps (GET /discovery)'));
        continue;
      }
      scope.post(`/${pipeline.name}`, { bodyLimit: bodyLimit + 1 }, (request, reply) => serveAI(pipeline, request, reply, deps));
    }
  });
}
