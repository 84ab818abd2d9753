// The /segment client's edges against plain HTTP servers that misbehave the
// ways orchestrators do: no headers in time, headers but no body, refusals
// with go-livepeer's texts, bodies that are not a TranscodeResult, results
// with neither data nor error; and renditions that cannot be downloaded.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { errors } from '@lpx/sdk';
import { downloadRenditions, encodeTranscodeResult, submitSegment, type SegmentTimeouts } from '../../src/network/segment/index.js';

async function server(t: Test, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ uri: string; requests: IncomingMessage[] }> {
  const requests: IncomingMessage[] = [];
  const s = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        s.closeAllConnections();
        s.close(() => resolve());
      }),
  );
  return { uri: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, requests };
}

const body = Buffer.from('not really a segment');

async function submit(uri: string, timeouts: SegmentTimeouts = { uploadMs: 5_000, callMs: 10_000 }) {
  let sent = false;
  const result = submitSegment({ transcoder: uri, segmentHeader: 'c2Vn', paymentHeader: 'cGF5', data: body, timeouts, onSent: () => (sent = true) });
  return { result, sent: () => sent };
}

t.test('the request is go-livepeer’s: POST {transcoder}/segment, both headers, video/MP2T, the raw bytes', async (t) => {
  let seen: { method?: string; url?: string; headers?: IncomingMessage['headers']; body?: Buffer } = {};
  const o = await server(t, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) };
      res.writeHead(200).end(Buffer.from(encodeTranscodeResult({ seq: 3n, data: { segments: [{ url: 'x', pixels: 1n }], sig: new Uint8Array(65) } })));
    });
  });
  const { result, sent } = await submit(`${o.uri}/`);
  const out = await result;
  t.equal(out.seq, 3n);
  t.ok(sent(), 'the payment counts as spent once headers came back');
  t.equal(seen.method, 'POST');
  t.equal(seen.url, '/segment', 'a trailing slash on the service URI does not double');
  t.equal(seen.headers?.['livepeer-segment'], 'c2Vn');
  t.equal(seen.headers?.['livepeer-payment'], 'cGF5');
  t.equal(seen.headers?.['content-type'], 'video/MP2T');
  t.same(seen.body, body);
});

t.test('no response headers within the upload budget: a header timeout, and the payment never counted as sent', async (t) => {
  const o = await server(t, () => undefined);
  const { result, sent } = await submit(o.uri, { uploadMs: 100, callMs: 5_000 });
  await t.rejects(result, { code: errors.gateway.SEGMENT_TIMEOUT.code, message: /^header timeout/, details: { phase: 'header' } });
  t.notOk(sent());
});

t.test('headers but no result within the call budget: a body timeout, after the payment was spent', async (t) => {
  const o = await server(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.flushHeaders();
  });
  const { result, sent } = await submit(o.uri, { uploadMs: 5_000, callMs: 200 });
  await t.rejects(result, { code: errors.gateway.SEGMENT_TIMEOUT.code, message: /^body timeout/, details: { phase: 'body' } });
  t.ok(sent());
});

t.test('a refusal keeps go-livepeer’s status and text for the router', async (t) => {
  const o = await server(t, (_req, res) => res.writeHead(400).end('Insufficient balance\n'));
  const { result } = await submit(o.uri);
  await t.rejects(result, { code: errors.gateway.SEGMENT_REFUSED.code, details: { status: 400, remoteMessage: 'Insufficient balance' } });
});

t.test('an unreachable orchestrator is a refusal with status 0', async (t) => {
  const { result } = await submit('http://127.0.0.1:1');
  await t.rejects(result, { code: errors.gateway.SEGMENT_REFUSED.code, details: { status: 0 } });
});

t.test('a 200 whose body is not a TranscodeResult, and one with neither data nor error (UnknownResponse)', async (t) => {
  const garbage = await server(t, (_req, res) => res.writeHead(200).end(Buffer.from([0xff, 0xff, 0xff, 0xff])));
  await t.rejects((await submit(garbage.uri)).result, { code: errors.gateway.SEGMENT_TRANSCODE_FAILED.code, message: /not a TranscodeResult/ });
  const empty = await server(t, (_req, res) => res.writeHead(200).end(Buffer.from(encodeTranscodeResult({ seq: 1n, data: { segments: [], sig: new Uint8Array(0) } }))));
  await t.rejects((await submit(empty.uri)).result, { code: errors.gateway.SEGMENT_TRANSCODE_FAILED.code, details: { remoteMessage: 'UnknownResponse' } });
  const failed = await server(t, (_req, res) => res.writeHead(200).end(Buffer.from(encodeTranscodeResult({ seq: 1n, error: 'ErrTranscoderUnavailable' }))));
  await t.rejects((await submit(failed.uri)).result, { code: errors.gateway.SEGMENT_TRANSCODE_FAILED.code, details: { remoteMessage: 'ErrTranscoderUnavailable' } });
});

t.test('renditions: relative URLs resolve against the service URI; a 404 or a missed deadline is RENDITION_DOWNLOAD_FAILED', async (t) => {
  const o = await server(t, (req, res) => {
    if (req.url === '/r/a.ts') return res.writeHead(200).end('AAA');
    if (req.url === '/r/slow.ts') return; // never answers
    res.writeHead(404).end('nope');
  });
  const data = (urls: string[]) => ({ segments: urls.map((url) => ({ url, pixels: 1n })), sig: new Uint8Array(0) });
  const got = await downloadRenditions(data(['/r/a.ts', `${o.uri}/r/a.ts`]), { transcoder: o.uri, deadline: Date.now() + 5_000 });
  t.same(got.map((r) => r.data.toString()), ['AAA', 'AAA']);
  await t.rejects(downloadRenditions(data(['/r/a.ts', '/r/missing.ts']), { transcoder: o.uri, deadline: Date.now() + 5_000 }), { code: errors.gateway.RENDITION_DOWNLOAD_FAILED.code, message: /answered 404/ });
  await t.rejects(downloadRenditions(data(['/r/slow.ts']), { transcoder: o.uri, deadline: Date.now() + 150 }), { code: errors.gateway.RENDITION_DOWNLOAD_FAILED.code, message: /budget/ });
});
