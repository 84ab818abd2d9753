import t from 'tap';
import type { AIPipeline } from '../../src/index.js';
import { defineAIPipeline, runnerResponses, Type } from '../../src/ai/kit/index.js';
import { aiPipelineSamples, aiPipelineSuite, runConformanceSuite, startAIRunnerDouble } from '../../src/testing/index.js';

const fields = Type.Object({ prompt: Type.String(), model_id: Type.Optional(Type.String()), width: Type.Optional(Type.Integer()), height: Type.Optional(Type.Integer()), num_inference_steps: Type.Optional(Type.Integer()), safety_check: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

/** A text-to-image pipeline with deliberate faults, to show the suite notices them. */
function faulty(fault: 'loose-schema' | 'float-units' | 'wrong-capability' | 'data-urls-left'): AIPipeline {
  const base = defineAIPipeline({
    name: 'text-to-image',
    bodyKind: 'json',
    defaultModel: 'stabilityai/sdxl-turbo',
    unit: 'pixel',
    fields: fault === 'loose-schema' ? Type.Object({ prompt: Type.String() }, { additionalProperties: true }) : fields,
    textFields: ['prompt'],
    refine: ({ values }) => ({ measures: { width: (values['width'] as number) ?? 512, height: (values['height'] as number) ?? 512, images: 1 } }),
    units: (m) => BigInt(m['width']!) * BigInt(m['height']!),
    response: runnerResponses.image,
    toResult: (json: { images: { url: string }[] }) => ({ kind: 'json', json, files: [] }),
  });
  if (fault === 'float-units') return { ...base, units: () => 1.5 as unknown as bigint };
  if (fault === 'wrong-capability') return { ...base, livepeerCapability: 99 };
  return base;
}

t.test('the suite fails pipelines that break the contract, naming the case', async (t) => {
  const runner = await startAIRunnerDouble();
  t.teardown(() => runner.close());
  const samples = await aiPipelineSamples('text-to-image');
  const failed = async (fault: Parameters<typeof faulty>[0]) =>
    (await runConformanceSuite(aiPipelineSuite({ pipeline: 'text-to-image', runner: runner.endpoint, samples }), () => faulty(fault))).failed.map((f) => f.name);
  t.ok((await failed('loose-schema')).includes('refuses an unknown field, naming it'));
  t.ok((await failed('float-units')).includes('prices in positive, stable bigint units on both sides'));
  t.ok((await failed('wrong-capability')).includes('describes itself as go-livepeer does'));
  const dataUrls = await failed('data-urls-left');
  t.ok(dataUrls.includes('runs on the runner: the response shape, media as decodable files'), 'media left as data URLs in the JSON');
});
