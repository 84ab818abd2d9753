import t from 'tap';
import { errors } from '../../src/index.js';
import { checkFields, checkJsonString, decodeDataUrl, measureAudio, runeCount, runnerMessage, sseObjects, Type, utf8Bytes } from '../../src/ai/kit/index.js';
import { silentWav } from '../../src/testing/index.js';

t.test('runnerMessage: the runner\'s own words from each error shape', async (t) => {
  t.equal(runnerMessage(500, '{"detail":{"msg":"Out of memory"}}'), 'Out of memory');
  t.equal(runnerMessage(422, '{"detail":[{"loc":["body","image"],"msg":"Field required","type":"missing"},{"loc":["body","seed"],"msg":"bad int"}]}'), 'body.image: Field required; body.seed: bad int');
  t.equal(runnerMessage(404, '{"detail":"Not Found"}'), 'Not Found');
  t.equal(runnerMessage(500, '{"error":{"message":"Internal Server Error"}}'), 'Internal Server Error', 'a go-livepeer error body');
  t.equal(runnerMessage(502, '<html>bad gateway</html>'), '<html>bad gateway</html>');
  t.equal(runnerMessage(503, ''), 'HTTP 503');
});

t.test('decodeDataUrl: base64 and percent-encoded payloads; anything else is RESULT_INVALID', async (t) => {
  const png = decodeDataUrl('data:image/png;base64,iVBORw0KGgo=', 'images[0].url');
  t.equal(png.contentType, 'image/png');
  t.same([...png.data.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  t.equal(Buffer.from(decodeDataUrl('data:text/plain;charset=utf-8,h%C3%A9', 'x').data).toString(), 'hé');
  t.throws(() => decodeDataUrl('https://example.com/a.png', 'images[0].url'), { code: errors.ai.RESULT_INVALID.code, message: /images\[0\]\.url: expected a data: URL/ });
  t.throws(() => decodeDataUrl(42, 'audio.url'), { message: /audio.url: expected a data URL, got number/ });
  t.throws(() => decodeDataUrl('data:image/png;base64,', 'x'), { message: /empty/ });
});

t.test('checkFields: multipart values typed as the schema types them, Go ParseBool spellings only', async (t) => {
  const schema = Type.Object({ n: Type.Optional(Type.Integer()), x: Type.Optional(Type.Number()), b: Type.Optional(Type.Boolean()), s: Type.Optional(Type.String()) }, { additionalProperties: false });
  const form = (fields: Record<string, string>) => ({ kind: 'multipart' as const, fields, files: [] });
  t.same(checkFields(form({ n: '-3', x: '0.25', b: 'T', s: '12' }), 'multipart', schema).values, { n: -3, x: 0.25, b: true, s: '12' });
  t.same(checkFields(form({ b: 'False' }), 'multipart', schema).values, { b: false });
  t.throws(() => checkFields(form({ b: 'yes' }), 'multipart', schema), { message: /^b: Expected boolean/ });
  t.throws(() => checkFields(form({ n: '12.5' }), 'multipart', schema), { message: /^n: Expected integer/ });
  t.throws(() => checkFields(form({ x: '' }), 'multipart', schema), { message: /^x: Expected number/ });
  t.throws(() => checkFields({ kind: 'json', json: { n: 1 } }, 'multipart', schema), { message: /body: this pipeline takes multipart\/form-data/ });
  t.throws(() => checkFields(form({}), 'multipart', schema, { image: { required: true, media: 'image' } }), { message: /image: required file missing/ });
  const twice = { kind: 'multipart' as const, fields: {}, files: [{ field: 'image', data: new Uint8Array(1) }, { field: 'image', data: new Uint8Array(1) }] };
  t.throws(() => checkFields(twice, 'multipart', schema, { image: { required: true, media: 'image' } }), { message: /image: sent more than once/ });
});

t.test('checkJsonString: JSON of the right shape, empty means unset', async (t) => {
  t.doesNotThrow(() => checkJsonString('box', '', 'array'));
  t.doesNotThrow(() => checkJsonString('box', '[1,2,3,4]', 'array'));
  t.throws(() => checkJsonString('box', '{"a":1}', 'array'), { code: errors.ai.REQUEST_INVALID.code, message: 'box: expected a JSON array' });
  t.throws(() => checkJsonString('loras', 'null', 'object'), { message: 'loras: expected a JSON object' });
});

t.test('characters are runes, bytes are UTF-8', async (t) => {
  t.equal(runeCount('añ👍'), 3);
  t.equal(utf8Bytes('añ👍'), 1 + 2 + 4);
});

t.test('measureAudio: a WAV\'s exact length; a header claiming nothing is refused', async (t) => {
  t.same(await measureAudio(silentWav(1234), 'audio'), { durationMs: 1234, container: 'WAVE' });
  await t.rejects(measureAudio(silentWav(0), 'audio'), { code: errors.ai.REQUEST_INVALID.code, message: /audio: / });
});

function sseResponse(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

t.test('sseObjects: events split across reads, comments ignored, [DONE] ends', async (t) => {
  const events: unknown[] = [];
  const response = sseResponse([': keep-alive\n\ndata: {"a"', ':1}\n\nda', 'ta: {"a":2}\n\ndata: [DONE]\n\ndata: {"a":3}\n\n']);
  for await (const event of sseObjects('llm', response, new AbortController().signal)) events.push(event);
  t.same(events, [{ a: 1 }, { a: 2 }]);
  const junk = sseObjects('llm', sseResponse(['data: not json\n\n']), new AbortController().signal);
  await t.rejects(junk.next(), { code: errors.ai.RESULT_INVALID.code });
  const unterminated: unknown[] = [];
  for await (const event of sseObjects('llm', sseResponse(['data: {"last":true}']), new AbortController().signal)) unterminated.push(event);
  t.same(unterminated, [{ last: true }], 'a last event without its blank line still counts');
});
