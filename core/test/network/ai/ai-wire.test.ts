// The gateway's go-livepeer AI client parts on their own: the SSE reader
// (go-livepeer's handleSSEStream rules on eventsource-parser's grammar), the
// media fetcher's refusals and limits, the multipart body as a form, and
// the Livepeer-Segment header an orchestrator verifies.
import t from 'tap';
import { errors } from '@lpx/sdk';
import { privateKeyToAccount } from 'viem/accounts';
import { randomBytes } from 'node:crypto';
import { aiJobCapabilities, aiManifestId, aiSegmentHeader, encodeAIBody, fetchMedia, parseAIEventStream } from '../../../src/network/ai/index.js';
import { parseMultipart } from '../../../src/network/multipart/index.js';
import { decodeSegDataHeader, segmentSignatureMessage } from '../../../src/network/segment/index.js';
import { livepeerCompatibleWith } from '../../../src/capabilities/index.js';
import { keccak256, toHex } from '../../../src/payments/index.js';
import { recoverMessageAddress } from 'viem';

async function* chunks(...parts: string[]) {
  for (const part of parts) yield new TextEncoder().encode(part);
}

async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const event of events) out.push(event);
  return out;
}

t.test('SSE: events split across chunks and CRLF lines; non-JSON data skipped; over after the first finish_reason', async (t) => {
  const events = await collect(
    parseAIEventStream(chunks('data: {"choices":[{"delta":{"content":"a"},"finish_reason":""}]}\r\n\r\nda', 'ta: [DONE]\n\n: a comment\n\ndata: {"choices":[{"delta":{"content":"b"},', '"finish_reason":"stop"}]}\n\ndata: {"after":"the end"}\n\n')),
  );
  t.same(
    events.map((e) => (e.choices as { delta: { content: string } }[] | undefined)?.[0]?.delta.content),
    ['a', 'b'],
  );
});

t.test('SSE: the body ending ends the stream, a trailing event without a blank line still counts', async (t) => {
  const events = await collect(parseAIEventStream(chunks('data: {"n":1}\n\ndata: {"n":2}')));
  t.same(events, [{ n: 1 }, { n: 2 }]);
});

t.test('media: data URLs are decoded; other schemes and oversized files are refused, coded', async (t) => {
  const png = Buffer.from('89504e470d0a1a0a', 'hex');
  const media = await fetchMedia(`data:image/png;base64,${png.toString('base64')}`, { baseUri: 'http://o', timeoutMs: 1000 });
  t.same([media.contentType, media.data], ['image/png', png]);
  await t.rejects(fetchMedia('file:///etc/passwd', { baseUri: 'http://o', timeoutMs: 1000 }), { code: errors.ai.MEDIA_UNAVAILABLE.code, message: /file: scheme/ });
  await t.rejects(fetchMedia(`data:image/png;base64,${Buffer.alloc(100).toString('base64')}`, { baseUri: 'http://o', timeoutMs: 1000, maxBytes: 10 }), { code: errors.ai.MEDIA_UNAVAILABLE.code });
  await t.rejects(fetchMedia('http://127.0.0.1:1/x.png', { baseUri: 'http://o', timeoutMs: 1000 }), { code: errors.ai.MEDIA_UNAVAILABLE.code });
});

t.test('a multipart body goes out as a form: files with their filename and type, fields as text', async (t) => {
  const encoded = encodeAIBody({ kind: 'multipart', fields: { prompt: 'sharper', model_id: 'm' }, files: [{ field: 'image', filename: 'in.png', contentType: 'image/png', data: new Uint8Array([1, 2, 3]) }] });
  t.match(encoded.contentType, /^multipart\/form-data; boundary=/);
  const parts = parseMultipart(encoded.body, encoded.contentType);
  t.same(parts.map((p) => p.headers['content-disposition']), ['form-data; name="image"; filename="in.png"', 'form-data; name="prompt"', 'form-data; name="model_id"']);
  t.same([...parts[0]!.body], [1, 2, 3]);
  t.equal(parts[0]!.headers['content-type'], 'image/png');
});

t.test('Livepeer-Segment for an AI request: <cap>_<model>, seq 0, keccak of nothing, "invalid" profiles, signed by the gateway, compatible with an O offering the model', async (t) => {
  const key = randomBytes(32);
  const account = privateKeyToAccount(toHex(key));
  const header = await aiSegmentHeader({ livepeerCapability: 27, modelId: 'stabilityai/sdxl-turbo', authToken: { token: new Uint8Array([9]), sessionId: 's', expiration: 1n }, signer: account });
  const seg = decodeSegDataHeader(header);
  t.equal(seg.manifestId, aiManifestId(27, 'stabilityai/sdxl-turbo'));
  t.equal(seg.manifestId, '27_stabilityai/sdxl-turbo');
  t.equal(seg.seq, 0n);
  t.same([...seg.hash], [...keccak256(new Uint8Array(0))]);
  t.equal(Buffer.from(seg.profiles).toString(), 'invalid');
  t.equal(seg.authToken?.sessionId, 's');
  const signer = await recoverMessageAddress({ message: { raw: segmentSignatureMessage({ manifestId: seg.manifestIdBytes, seq: 0n, hash: seg.hash, profileNames: [] }) }, signature: toHex(seg.sig) });
  t.equal(signer, account.address);
  const orch = aiJobCapabilities(27, 'stabilityai/sdxl-turbo');
  orch.constraints.perCapability[27]!.models['stabilityai/sdxl-turbo']!.warm = true;
  t.ok(livepeerCompatibleWith(seg.capabilities, orch), 'an orchestrator with the model (warm) accepts the job');
  t.notOk(livepeerCompatibleWith(seg.capabilities, aiJobCapabilities(27, 'other/model')), 'one without it does not');
});
