import { createServer, type AddressInfo } from 'node:net';
import { AI_PIPELINE_LIVEPEER_CAPABILITY, type AIPipelineName, type AIRequestBody, type AIRequestLimits, type AIRunnerEndpoint } from '../../ai/pipelines.js';
import { errors } from '../../errors/catalogue.js';
import type { ErrorCode } from '../../errors/lpx-error.js';
import { aiPipelinesExtensionPoint, type AIPipeline } from '../../extension-points/ai-pipelines.js';
import { checkAIResult } from '../ai/check-result.js';
import type { AIPipelineSamples } from '../ai/ai-samples.js';
import { defineConformanceSuite, type ConformanceAssert, type ConformanceCase, type ConformanceSuite } from '../conformance.js';
import type { MediaTools } from '../media/run-tool.js';

export interface AIPipelineSuiteOptions extends MediaTools {
  readonly pipeline: AIPipelineName;
  /** When given, the run cases call it: a runner double or a real ai-runner container. */
  readonly runner?: AIRunnerEndpoint;
  readonly samples: AIPipelineSamples;
  /** Limits the good sample must pass; default generous ones. */
  readonly limits?: AIRequestLimits;
}

export const AI_SUITE_LIMITS: AIRequestLimits = Object.freeze({
  maxBodyBytes: 50 * 1024 * 1024,
  maxPromptChars: 10_000,
  maxImageSide: 4096,
  maxAudioMs: 10 * 60 * 1000,
  maxTokens: 8192,
});

/** A model no runner serves: its request passes validation and the runner refuses it. */
const UNKNOWN_MODEL = 'lpx-suite/no-such-model';

async function expectCode(promise: Promise<unknown>, code: ErrorCode, what: string, assert: ConformanceAssert, mention?: string): Promise<void> {
  const error = await assert.rejects(promise, what);
  const got = (error as { code?: unknown } | undefined)?.code;
  assert.ok(code.is(error), `${what}: expected ${code.code}, got ${typeof got === 'string' ? `${got} (${(error as Error).message})` : String(error)}`);
  if (mention !== undefined) assert.ok((error as Error).message.includes(mention), `${what}: the message should name ${mention}, got "${(error as Error).message}"`);
}

function without(body: AIRequestBody, field: string): AIRequestBody {
  if (body.kind === 'json') {
    const json = { ...body.json };
    delete json[field];
    return { kind: 'json', json };
  }
  const fields = { ...body.fields };
  delete fields[field];
  return { kind: 'multipart', fields, files: body.files.filter((f) => f.field !== field) };
}

function withField(body: AIRequestBody, field: string, value: unknown): AIRequestBody {
  if (body.kind === 'json') return { kind: 'json', json: { ...body.json, [field]: value } };
  return { kind: 'multipart', fields: { ...body.fields, [field]: typeof value === 'string' ? value : JSON.stringify(value) }, files: body.files };
}

/** A loopback port that was just free: nothing listens there, so a connection is refused at once. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const junk = new Uint8Array(Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256));

/**
 * What every `ai.pipelines` implementation must do: describe itself as
 * go-livepeer does, validate requests with the right codes (missing, mistyped
 * and unknown fields, undecodable media, limits), price them in positive,
 * stable bigint units on both sides, and — with a runner — answer in the
 * pipeline's response shape with media as decodable files, stop with
 * CANCELLED when aborted and report runner failures as RUNNER_* codes.
 */
export function aiPipelineSuite(options: AIPipelineSuiteOptions): ConformanceSuite<AIPipeline> {
  const { pipeline: name, samples } = options;
  const limits = options.limits ?? AI_SUITE_LIMITS;
  const valid = samples.valid;
  const modelField = name === 'llm' ? 'model' : 'model_id';
  const cases: ConformanceCase<AIPipeline>[] = [
    {
      name: 'describes itself as go-livepeer does',
      run(p, assert) {
        assert.equal(p.name, name, 'name');
        assert.equal(p.livepeerCapability, AI_PIPELINE_LIVEPEER_CAPABILITY[name], 'livepeerCapability');
        assert.equal(p.bodyKind, valid.kind, 'bodyKind');
        assert.ok(typeof p.defaultModel === 'string' && p.defaultModel.length > 0, 'defaultModel');
        assert.ok(typeof p.unit === 'string' && p.unit.length > 0, 'unit');
      },
    },
    {
      name: 'accepts the valid sample and names its model',
      async run(p, assert) {
        const request = await p.validate(valid, limits);
        assert.equal(request.pipeline, name, 'request.pipeline');
        const named = valid.kind === 'json' ? valid.json[modelField] : valid.fields[modelField];
        assert.equal(request.modelId, typeof named === 'string' && named !== '' ? named : p.defaultModel, 'modelId: the one named, else the default');
        for (const [key, value] of Object.entries(request.measures)) assert.ok(Number.isFinite(value), `measures.${key} is a finite number`);
      },
    },
    {
      name: 'refuses an unknown field, naming it',
      run: (p, assert) => expectCode(p.validate(withField(valid, 'lpx_suite_unknown', 'x'), limits), errors.ai.REQUEST_INVALID, 'unknown field', assert, 'lpx_suite_unknown'),
    },
    {
      name: 'refuses the other body kind',
      async run(p, assert) {
        const other: AIRequestBody = valid.kind === 'json' ? { kind: 'multipart', fields: {}, files: [] } : { kind: 'json', json: {} };
        await expectCode(p.validate(other, limits), errors.ai.REQUEST_INVALID, 'wrong body kind', assert);
      },
    },
    ...samples.required.map((field): ConformanceCase<AIPipeline> => ({
      name: `refuses a request without ${field}`,
      run: (p, assert) => expectCode(p.validate(without(valid, field), limits), errors.ai.REQUEST_INVALID, `missing ${field}`, assert, field),
    })),
    ...Object.entries(samples.wrongType).map(([field, value]): ConformanceCase<AIPipeline> => ({
      name: `refuses a mistyped ${field}`,
      run: (p, assert) => expectCode(p.validate(withField(valid, field, value), limits), errors.ai.REQUEST_INVALID, `${field} = ${JSON.stringify(value)}`, assert, field),
    })),
    ...(valid.kind === 'multipart' ? valid.files : []).map((file): ConformanceCase<AIPipeline> => ({
      name: `refuses an undecodable ${file.field}`,
      run: (p, assert) =>
        expectCode(
          p.validate(valid.kind === 'multipart' ? { ...valid, files: valid.files.map((f) => (f.field === file.field ? { ...f, data: junk } : f)) } : valid, limits),
          errors.ai.REQUEST_INVALID,
          `junk bytes as ${file.field}`,
          assert,
          file.field,
        ),
    })),
    ...samples.overLimits.map((limit): ConformanceCase<AIPipeline> => ({
      name: `refuses a request over ${limit}`,
      run: (p, assert) => expectCode(p.validate(valid, { ...limits, [limit]: 1 }), errors.ai.LIMIT_EXCEEDED, `${limit} = 1`, assert),
    })),
    {
      name: 'prices in positive, stable bigint units on both sides',
      async run(p, assert) {
        const first = await p.validate(valid, limits);
        const again = await p.validate(valid, limits);
        for (const side of ['gateway', 'orchestrator'] as const) {
          const units = p.units(first, side);
          assert.equal(typeof units, 'bigint', `${side} units are a bigint`);
          assert.ok(units > 0n, `${side} units are positive, got ${String(units)}`);
          assert.equal(p.units(again, side), units, `${side} units are the same for the same request`);
          if (samples.units) assert.equal(units, samples.units[side], `${side} units of the sample`);
        }
      },
    },
    {
      name: 'an unreachable runner is RUNNER_UNAVAILABLE',
      async run(p, assert) {
        const request = await p.validate(valid, limits);
        await expectCode(p.run(request, { baseUrl: await closedPortUrl() }, new AbortController().signal), errors.ai.RUNNER_UNAVAILABLE, 'refused connection', assert);
      },
    },
    {
      name: 'an aborted signal is CANCELLED before any call',
      async run(p, assert) {
        const request = await p.validate(valid, limits);
        const controller = new AbortController();
        controller.abort();
        await expectCode(p.run(request, options.runner ?? { baseUrl: await closedPortUrl() }, controller.signal), errors.ai.CANCELLED, 'pre-aborted signal', assert);
      },
    },
  ];
  const runner = options.runner;
  if (runner) {
    cases.push(
      {
        name: 'runs on the runner: the response shape, media as decodable files',
        async run(p, assert) {
          const request = await p.validate(valid, limits);
          const result = await p.run(request, runner, new AbortController().signal);
          await checkAIResult(request, result, options, assert);
        },
      },
      {
        name: 'an abort mid-request is CANCELLED',
        async run(p, assert) {
          const request = await p.validate(valid, limits);
          const controller = new AbortController();
          const running = p.run(request, runner, controller.signal);
          // The request is on its way (the body is being sent); no runner answers within one turn of the event loop.
          setImmediate(() => controller.abort());
          await expectCode(running, errors.ai.CANCELLED, 'abort after the call started', assert);
        },
      },
      {
        name: 'a runner refusing the request is RUNNER_FAILED with its message',
        async run(p, assert) {
          const request = await p.validate(withField(valid, modelField, UNKNOWN_MODEL), limits);
          const error = await assert.rejects(p.run(request, runner, new AbortController().signal), 'a model the runner does not serve');
          assert.ok(errors.ai.RUNNER_FAILED.is(error), `expected ${errors.ai.RUNNER_FAILED.code}, got ${String((error as { code?: unknown }).code)}: ${(error as Error).message}`);
          assert.ok(typeof (error as { details?: { runnerMessage?: unknown } }).details?.runnerMessage === 'string', 'details.runnerMessage carries the runner\'s words');
        },
      },
    );
  }
  return defineConformanceSuite({ extensionPoint: aiPipelinesExtensionPoint.id, cases });
}
