// What the worker is sent for a validated request: go-livepeer's typed
// request struct as JSON (model always present, form fields with their
// schema types, the binary input null and its bytes handed aside).
import t from 'tap';
import type { AIPipelineRequest } from '@lpx/sdk';
import { encodeRequestData, workerJob } from '../src/index.js';

const req = (over: Partial<AIPipelineRequest> & Pick<AIPipelineRequest, 'pipeline' | 'body'>): AIPipelineRequest => ({ modelId: 'model-a', stream: false, measures: {}, ...over });

t.test('JSON pipelines: the body plus the model under its go-livepeer name', async (t) => {
  t.same(workerJob(req({ pipeline: 'text-to-image', body: { kind: 'json', json: { prompt: 'p', width: 512 } } })), { request: { prompt: 'p', width: 512, model_id: 'model-a' } });
  t.same(workerJob(req({ pipeline: 'text-to-image', modelId: 'chosen', body: { kind: 'json', json: { model_id: '' } } })).request, { model_id: 'chosen' }, 'the model the kernel chose wins');
  t.same(workerJob(req({ pipeline: 'llm', stream: true, body: { kind: 'json', json: { messages: [] } } })).request, { messages: [], model: 'model-a', stream: true }, 'llm: "model", and the stream flag');
  t.same(JSON.parse(new TextDecoder().decode(encodeRequestData('', { a: 1 }))), { input_url: '', request: { a: 1 } });
});

t.test('multipart pipelines: typed fields, the input aside, refusals naming the field', async (t) => {
  const image = { field: 'image', contentType: 'image/png', data: new Uint8Array([1, 2, 3]) };
  const i2v = workerJob(req({ pipeline: 'image-to-video', body: { kind: 'multipart', fields: { width: '1024', noise_aug_strength: '0.02', safety_check: 'T', seed: '-3' }, files: [image] } }));
  t.same(i2v.request, { width: 1024, noise_aug_strength: 0.02, safety_check: true, seed: -3, image: null, model_id: 'model-a' });
  t.equal(i2v.input, image);
  const a2t = workerJob(req({ pipeline: 'audio-to-text', body: { kind: 'multipart', fields: { return_timestamps: 'true' }, files: [{ field: 'audio', data: new Uint8Array([9]) }] } }));
  t.same(a2t.request, { return_timestamps: 'true', audio: null, model_id: 'model-a' }, 'return_timestamps is a string in the schema');
  const sam = workerJob(req({ pipeline: 'segment-anything-2', body: { kind: 'multipart', fields: { point_coords: '[[1,2]]', multimask_output: '0' }, files: [image] } }));
  t.same(sam.request, { point_coords: '[[1,2]]', multimask_output: false, image: null, model_id: 'model-a' });

  t.throws(() => workerJob(req({ pipeline: 'upscale', body: { kind: 'multipart', fields: { seed: 'x' }, files: [image] } })), { code: 'LPX_ERR_AI_REQUEST_INVALID', details: { field: 'seed' } });
  t.throws(() => workerJob(req({ pipeline: 'image-to-image', body: { kind: 'multipart', fields: { strength: '' }, files: [image] } })), { code: 'LPX_ERR_AI_REQUEST_INVALID', details: { field: 'strength' } });
  t.throws(() => workerJob(req({ pipeline: 'image-to-image', body: { kind: 'multipart', fields: { safety_check: 'yes' }, files: [image] } })), { message: /safety_check must be a boolean/ });
  t.throws(() => workerJob(req({ pipeline: 'image-to-text', body: { kind: 'multipart', fields: {}, files: [] } })), { code: 'LPX_ERR_AI_REQUEST_INVALID', details: { field: 'image' } });
});
