import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureAudio, measureImage } from '../../ai/kit/measure-media.js';
import type { AIPipelineRequest, AIPipelineResult, AIResultFile } from '../../ai/pipelines.js';
import type { ConformanceAssert } from '../conformance.js';
import type { MediaTools } from '../media/run-tool.js';
import { probeMedia } from '../media/probe-media.js';

type Json = Record<string, unknown>;

function fileNamed(files: readonly AIResultFile[], name: unknown, where: string, assert: ConformanceAssert): AIResultFile {
  assert.ok(typeof name === 'string', `${where} must name a result file`);
  const file = files.find((f) => f.name === name);
  assert.ok(file !== undefined, `${where} names ${String(name)}, which is not among the result files [${files.map((f) => f.name).join(', ')}]`);
  return file!;
}

async function checkVideo(file: AIResultFile, request: AIPipelineRequest, tools: MediaTools, assert: ConformanceAssert): Promise<void> {
  assert.equal(file.contentType, 'video/mp4', `${file.name}: content type`);
  const dir = await mkdtemp(join(tmpdir(), 'lpx-ai-suite-'));
  try {
    await writeFile(join(dir, 'video.mp4'), file.data);
    const probed = await probeMedia(join(dir, 'video.mp4'), tools);
    assert.ok(probed.video !== undefined && probed.video.frames > 0, `${file.name}: ffprobe finds no video frames`);
    assert.equal(probed.video!.width, request.measures['width'], `${file.name}: width as requested`);
    assert.equal(probed.video!.height, request.measures['height'], `${file.name}: height as requested`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Checks a result the way an app would read it: go-livepeer's response shape
 * for the pipeline, media as files whose names the JSON carries, each file
 * decoding as what it claims to be, no data URL left in the JSON.
 */
export async function checkAIResult(request: AIPipelineRequest, result: AIPipelineResult, tools: MediaTools, assert: ConformanceAssert): Promise<void> {
  if (result.kind === 'stream') {
    assert.ok(request.stream, 'only a streaming request is answered with a stream');
    let events = 0;
    for await (const event of result.events) {
      assert.ok(Array.isArray(event['choices']), 'each streamed event carries choices');
      events += 1;
    }
    assert.ok(events > 0, 'the stream has at least one event');
    return;
  }
  const json = result.json as Json;
  assert.ok(json !== null && typeof json === 'object', 'the result JSON is an object');
  assert.ok(!JSON.stringify(json).includes('data:'), 'no data URL left in the JSON: media are files');
  for (const file of result.files) assert.ok(file.data.byteLength > 0, `${file.name} is not empty`);
  switch (request.pipeline) {
    case 'text-to-image':
    case 'image-to-image':
    case 'upscale': {
      const images = json['images'] as Json[];
      assert.ok(Array.isArray(images) && images.length > 0, 'images: a non-empty list');
      if (request.pipeline === 'text-to-image') assert.equal(images.length, request.measures['images'], 'one image per num_images_per_prompt');
      for (const [i, entry] of images.entries()) {
        const file = fileNamed(result.files, entry['url'], `images[${i}].url`, assert);
        assert.ok(file.contentType.startsWith('image/'), `${file.name}: an image content type`);
        const size = measureImage(file.data, file.name);
        if (request.pipeline === 'text-to-image') {
          assert.equal(size.width, request.measures['width'], `${file.name}: width as requested`);
          assert.equal(size.height, request.measures['height'], `${file.name}: height as requested`);
        }
      }
      return;
    }
    case 'image-to-video': {
      const images = json['images'] as Json[];
      assert.ok(Array.isArray(images) && images.length === 1, 'images: one video, as go-livepeer answers');
      await checkVideo(fileNamed(result.files, images[0]!['url'], 'images[0].url', assert), request, tools, assert);
      return;
    }
    case 'audio-to-text':
      assert.equal(typeof json['text'], 'string', 'text');
      assert.ok(Array.isArray(json['chunks']), 'chunks');
      return;
    case 'segment-anything-2':
      for (const key of ['masks', 'scores', 'logits']) assert.equal(typeof json[key], 'string', key);
      return;
    case 'image-to-text':
      assert.equal(typeof json['text'], 'string', 'text');
      return;
    case 'llm': {
      const choices = json['choices'] as Json[];
      assert.ok(Array.isArray(choices) && choices.length > 0, 'choices');
      assert.equal(typeof (choices[0]!['message'] as Json | undefined)?.['content'], 'string', 'choices[0].message.content');
      return;
    }
    case 'text-to-speech': {
      const audio = json['audio'] as Json | undefined;
      const file = fileNamed(result.files, audio?.['url'], 'audio.url', assert);
      assert.ok(file.contentType.startsWith('audio/'), `${file.name}: an audio content type`);
      const measured = await measureAudio(file.data, file.name, file.contentType);
      assert.ok(measured.durationMs > 0, `${file.name}: has a duration`);
      return;
    }
  }
}
