import t from 'tap';
import {
  AI_CAPABILITY_IDS,
  DEFAULT_CAPABILITY_IDS,
  LEGACY_CAPABILITY_IDS,
  LIVEPEER_CAPABILITIES,
  OPTIONAL_CAPABILITY_IDS,
  SOFTWARE_TRANSCODE_CAPABILITY_IDS,
  bitstringOf,
  canonicalIdForLivepeer,
  livepeerCapabilityByKey,
  livepeerCapabilityByName,
  livepeerCapabilityInfo,
  livepeerCapabilityToPipeline,
  livepeerIdsFor,
  livepeerMappingFor,
  pipelineToLivepeerCapability,
} from '../../src/capabilities/index.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

t.test('the table holds every enum id 0..37 at its own index', async (t) => {
  t.equal(LIVEPEER_CAPABILITIES.length, 38);
  for (const id of range(0, 37)) t.equal(livepeerCapabilityInfo(id)?.id, id, `id ${id}`);
  t.equal(livepeerCapabilityInfo(38), undefined);
  t.equal(livepeerCapabilityInfo(-1), undefined);
  t.equal(livepeerCapabilityInfo(1.5), undefined);
});

t.test('every id round-trips through key, display name and canonical id', async (t) => {
  for (const info of LIVEPEER_CAPABILITIES) {
    t.equal(livepeerCapabilityByKey(info.key)?.id, info.id, `key ${info.key}`);
    if (info.name === undefined) {
      t.equal(info.id, 13, 'only SceneClassification has no display name');
      t.equal(canonicalIdForLivepeer(info.id), undefined);
      t.same(livepeerCapabilityToPipeline(info.id), undefined);
      continue;
    }
    t.equal(livepeerCapabilityByName(info.name)?.id, info.id, `name ${info.name}`);
    const canonical = canonicalIdForLivepeer(info.id, info.kind === 'byoc' ? 'my-app' : undefined);
    t.ok(canonical, `id ${info.id} has a canonical id`);
    t.ok(livepeerIdsFor(canonical ?? '').includes(info.id) || info.kind === 'transcode', `${canonical} maps back to ${info.id}`);
  }
});

t.test('set membership matches go-livepeer', async (t) => {
  t.same(DEFAULT_CAPABILITY_IDS, [...range(0, 12), 14, 26]);
  t.same(OPTIONAL_CAPABILITY_IDS, [15, 16, 17, 18, ...range(21, 25), ...range(27, 32), 34, 36]);
  t.same(LEGACY_CAPABILITY_IDS, range(0, 11));
  t.same(AI_CAPABILITY_IDS, range(27, 36));
  // The Default set's word 0 is a known constant (0x4005FFF).
  t.same(bitstringOf(DEFAULT_CAPABILITY_IDS), [0x4005fffn]);
  t.same(SOFTWARE_TRANSCODE_CAPABILITY_IDS, [...range(0, 12), 14, 17, ...range(21, 26)]);
});

t.test('display names that pipelines are matched against', async (t) => {
  t.equal(livepeerCapabilityInfo(33)?.name, 'Llm');
  t.equal(livepeerCapabilityInfo(37)?.name, 'byoc');
  t.equal(livepeerCapabilityInfo(10)?.name, 'H264 Constrained, Contained High profile');
});

t.test('pipeline ↔ capability follows go-livepeer, quirks included', async (t) => {
  const pipelines = ['text-to-image', 'image-to-image', 'image-to-video', 'upscale', 'audio-to-text', 'segment-anything-2', 'llm', 'image-to-text', 'live-video-to-video', 'text-to-speech'];
  pipelines.forEach((pipeline, index) => {
    t.equal(pipelineToLivepeerCapability(pipeline), 27 + index, pipeline);
    t.equal(livepeerCapabilityToPipeline(27 + index), pipeline);
  });
  t.equal(pipelineToLivepeerCapability('byoc'), undefined, 'byoc does not resolve: its name is lower-case');
  t.equal(livepeerCapabilityToPipeline(37), 'byoc');
  t.equal(pipelineToLivepeerCapability('h.264'), 0, 'non-AI names resolve too');
  t.equal(pipelineToLivepeerCapability('Text-to-image'), 27, 'only the first letter is upper-cased');
  t.equal(pipelineToLivepeerCapability('text_to_image'), undefined);
  t.equal(pipelineToLivepeerCapability(''), undefined);
  t.equal(pipelineToLivepeerCapability('invalid'), undefined, 'negative ids are not searched');
  t.equal(livepeerCapabilityToPipeline(13), undefined);
  t.equal(livepeerCapabilityToPipeline(99), undefined);
});

t.test('canonical ids ↔ enum ids', async (t) => {
  t.same(livepeerMappingFor('video/transcode'), { kind: 'transcode', ids: SOFTWARE_TRANSCODE_CAPABILITY_IDS });
  t.same(livepeerMappingFor('ai/llm'), { kind: 'ai', id: 33, pipeline: 'llm' });
  t.same(livepeerMappingFor('byoc/my-app'), { kind: 'byoc', id: 37, name: 'my-app' });
  t.equal(livepeerMappingFor('ai/h.264'), undefined, 'a pipeline lookup hit outside 27..36 is not an AI pipeline');
  t.equal(livepeerMappingFor('ai/my-custom-model'), undefined);
  t.equal(livepeerMappingFor('video/other'), undefined);
  t.equal(livepeerMappingFor('nodomain'), undefined);
  t.same(livepeerIdsFor('ai/text-to-speech'), [36]);
  t.same(livepeerIdsFor('custom/thing'), []);
  for (const id of range(0, 26).filter((id) => id !== 13)) t.equal(canonicalIdForLivepeer(id), 'video/transcode');
  for (const id of range(27, 36)) t.equal(livepeerMappingFor(canonicalIdForLivepeer(id) ?? '')?.kind, 'ai');
  t.equal(canonicalIdForLivepeer(37, 'my-app'), 'byoc/my-app');
  t.equal(canonicalIdForLivepeer(37), undefined, 'BYOC needs its name');
  t.equal(canonicalIdForLivepeer(37, 'MyApp'), undefined, 'a name that is not a valid id segment has no canonical id');
  t.equal(canonicalIdForLivepeer(38), undefined);
});
