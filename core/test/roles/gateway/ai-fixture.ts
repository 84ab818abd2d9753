// The gateway's AI routing wired for tests: a real OrchestratorPool (fed by
// in-process GetOrchestrator answers of the orchestrator doubles), real
// ticket payments over the in-memory chain, real AI sessions, the router,
// processor and service, media kept in memory. Test pipelines stand in for
// pipeline plugins (validate + units as go-livepeer's gateway counts them).
import { randomBytes, randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import { privateKeyToAccount } from 'viem/accounts';
import { errors, type AIPipeline, type AIPipelineRequest, type JobContext, type SelectionAlgorithm } from '@lpx/sdk';
import { OrchestratorPool } from '../../../src/gateway/pool/orchestrator-pool.js';
import { PrivateKeyTicketSigner, Rational, TicketSender, toHex } from '../../../src/payments/index.js';
import { InMemoryRoundsSource, InMemorySenderInfoSource } from '../../../src/payments/testing/index.js';
import { pipelineSourceOf } from '../../../src/roles/gateway/ai-pipeline-source.js';
import { aiRouterProcessor, type AIRouteResult } from '../../../src/roles/gateway/ai-processor.js';
import type { AIRouterDeps } from '../../../src/roles/gateway/ai-router.js';
import { pickAIOrchestrator } from '../../../src/roles/gateway/ai-routing.js';
import { createAIService } from '../../../src/roles/gateway/ai-service.js';
import { AISessions } from '../../../src/roles/gateway/ai-sessions.js';
import type { RouteJobData } from '../../../src/roles/gateway/route-job.js';
import { SegmentPayments } from '../../../src/roles/gateway/segment-payments.js';
import { GoAIOrchestratorDouble, type GoAIChain, type GoAIModel } from '../../network/helpers/go-ai-orchestrator-double.js';

export const SDXL: Omit<GoAIModel, 'warm'> = { pipeline: 'text-to-image', capability: 27, modelId: 'stabilityai/sdxl-turbo', price: Rational.of(1n, 1000n) };
export const LLAMA: Omit<GoAIModel, 'warm'> = { pipeline: 'llm', capability: 33, modelId: 'meta-llama/llama-3.1-8B-Instruct', price: Rational.of(3n) };

const invalid = (message: string) => errors.ai.REQUEST_INVALID.create(message);

/** A test stand-in for the text-to-image pipeline plugin: JSON, h × w × n units, 512×512 by default as go-livepeer's gateway. */
export const textToImage: AIPipeline = {
  name: 'text-to-image',
  livepeerCapability: 27,
  bodyKind: 'json',
  defaultModel: SDXL.modelId,
  unit: 'pixel',
  async validate(body) {
    if (body.kind !== 'json') throw invalid('text-to-image takes JSON');
    const { prompt, model_id: model, width = 512, height = 512, num_images_per_prompt: n = 1 } = body.json as Record<string, unknown>;
    if (typeof prompt !== 'string' || prompt === '') throw invalid('prompt is required');
    for (const [field, v] of Object.entries({ width, height, n })) if (!Number.isSafeInteger(v) || (v as number) <= 0) throw invalid(`${field} must be a positive integer`);
    return { pipeline: 'text-to-image', modelId: typeof model === 'string' ? model : SDXL.modelId, body, stream: false, measures: { width: width as number, height: height as number, images: n as number } };
  },
  units: (r: AIPipelineRequest) => BigInt(r.measures.width!) * BigInt(r.measures.height!) * BigInt(r.measures.images!),
  run: async () => {
    throw new Error('not run on a gateway');
  },
};

/** A test stand-in for the LLM pipeline plugin: max_tokens units, streaming when asked. */
export const llm: AIPipeline = {
  name: 'llm',
  livepeerCapability: 33,
  bodyKind: 'json',
  defaultModel: LLAMA.modelId,
  unit: 'token',
  async validate(body) {
    if (body.kind !== 'json') throw invalid('llm takes JSON');
    const { messages, model, max_tokens: maxTokens = 256, stream = false } = body.json as Record<string, unknown>;
    if (!Array.isArray(messages) || messages.length === 0) throw invalid('messages is required');
    if (!Number.isSafeInteger(maxTokens) || (maxTokens as number) <= 0) throw invalid('max_tokens must be a positive integer');
    return { pipeline: 'llm', modelId: typeof model === 'string' ? model : LLAMA.modelId, body, stream: stream === true, measures: { maxTokens: maxTokens as number } };
  },
  units: (r: AIPipelineRequest) => BigInt(r.measures.maxTokens!),
  run: async () => {
    throw new Error('not run on a gateway');
  },
};

export function memoryChain(): GoAIChain {
  return { rounds: new InMemoryRoundsSource(), senderInfo: new InMemorySenderInfoSource() };
}

export async function startDouble(t: Test, chain: GoAIChain, models: readonly GoAIModel[]): Promise<GoAIOrchestratorDouble> {
  return new GoAIOrchestratorDouble(chain, models).start(t);
}

/** Picks in the order of `prefer` (then the pool's). */
export function preferring(prefer: () => readonly string[]): SelectionAlgorithm {
  const rank = (uri: string): number => {
    const i = prefer().indexOf(uri);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return { name: 'test-order', select: (candidates) => [...candidates].sort((a, b) => rank(a.uri) - rank(b.uri)) };
}

export async function startAIGateway(t: Test, chain: GoAIChain, orchestrators: readonly GoAIOrchestratorDouble[], options: { prefer?: () => readonly string[]; maxAttempts?: number; pipelines?: readonly AIPipeline[] } = {}) {
  const key = randomBytes(32);
  const signer = new PrivateKeyTicketSigner(key);
  chain.senderInfo.set(signer.address, { deposit: 10n ** 18n, withdrawRound: 0n, reserve: { fundsRemaining: 10n ** 18n, claimedInCurrentRound: 0n } });
  const account = privateKeyToAccount(toHex(key));
  const byUri = new Map(orchestrators.map((o) => [o.uri, o]));
  const pool = new OrchestratorPool({ candidates: async () => orchestrators.map((o) => ({ uri: o.uri, score: 1 })), fetchInfo: (uri) => byUri.get(uri)!.info(signer.address) });
  t.teardown(() => pool.close());
  await pool.discover();
  const payments = new SegmentPayments(new TicketSender({ signer, rounds: chain.rounds, senderInfo: chain.senderInfo }));
  const sessions = new AISessions({ openInfo: (uri, capabilities) => byUri.get(uri)!.info(signer.address, capabilities), payments });
  const algorithm = preferring(options.prefer ?? (() => orchestrators.map((o) => o.uri)));
  const media = new Map<string, Buffer>();
  const failed: { uri: string; action: string; error: unknown }[] = [];
  const router: AIRouterDeps = {
    pick: async (capabilityId, model, exclude, maxPrice) => pickAIOrchestrator(pool, { capabilityId, model, exclude, algorithm, maxPrice }),
    sessions,
    payments,
    signer: account,
    chargeFor: () => undefined,
    suspend: (uri, reason) => pool.suspend(uri, reason),
    async store(file) {
      const id = randomUUID();
      media.set(id, file.data);
      return { url: `/v1/blobs/${id}?token=t`, contentType: file.contentType, blob: { id, size: file.data.length, contentType: file.contentType, token: 't' } };
    },
    requestTimeoutMs: 5_000,
    maxOrchestratorAttempts: options.maxAttempts ?? 3,
    onAttemptFailed: ({ uri, action, error }) => failed.push({ uri, action, error }),
  };
  const pipelines = pipelineSourceOf(options.pipelines ?? [textToImage, llm]);
  const failures = new Map<string, unknown>();
  const cancels = new Map<string, AbortController>();
  const processor = aiRouterProcessor({ pipelines, router, failures, cancels });
  const queued: RouteJobData[] = [];
  const service = createAIService({
    pipelines,
    router,
    // The route job runs here at once, as a router worker would take it (BullMQ is exercised by the jobs kernel's tests).
    routes: {
      submitAndWait: (async (_capabilityId: string, data: RouteJobData, opts: { jobId?: string }) => {
        queued.push(data);
        return processor({ id: opts.jobId ?? randomUUID(), capabilityId: data.capabilityId, data, attempt: 1, progress: async () => undefined, signal: new AbortController().signal } as JobContext<RouteJobData>) as Promise<AIRouteResult>;
      }) as never,
    },
    ensureRouter: () => undefined,
    failures,
    cancels,
    waitMs: 30_000,
    readMedia: async (ref) => media.get(ref.id)!,
    models: () => [],
  });
  return { sender: signer.address, pool, payments, sessions, router, service, media, failed, queued, pipelines };
}
