// /segment on the orchestrator's paid routes with a signed, paid request,
// transcoded by a worker Host with real ffmpeg: the debit is exactly the
// session price × Σ output pixels, the signature recovers to the orchestrator
// key; a failing backend, bad input or a short result cost the gateway nothing.
import t from 'tap';
import { request } from 'undici';
import { recoverMessageAddress } from 'viem';
import { decodeTranscodeResult, renditionSignatureMessage } from '../../src/network/segment/index.js';
import { Rational } from '../../src/payments/index.js';
import { PRICE, startPaidOrchestrator } from './helpers/paid-orchestrator.js';
import { sourceSegment, until } from './helpers/media.js';

t.test('a paid segment: renditions, signature, debit = Σ pixels × price; failures are coded results with no debit', async (t) => {
  const node = await startPaidOrchestrator(t, { capacity: 2 });
  const source = await sourceSegment();

  let total = Rational.ZERO;
  const ok = await node.postPaid(source);
  total = total.add(ok.credit);
  t.equal(ok.status, 200);
  const result = decodeTranscodeResult(ok.body);
  if (!('data' in result) || result.data === undefined) throw new Error(`expected renditions, got ${JSON.stringify(result)}`);
  const pixels = result.data.segments.reduce((sum, s) => sum + s.pixels, 0n);
  t.ok(pixels > 0n, `${pixels} output pixels reported`);
  const afterOk = total.sub(PRICE.mulInt(pixels));
  t.ok((await node.balance())?.eq(afterOk), `balance = credit − ${PRICE} × ${pixels}`);
  const renditions: Uint8Array[] = [];
  for (const segment of result.data.segments) {
    const res = await request(segment.url);
    t.equal(res.statusCode, 200, 'rendition link on the door');
    renditions.push(new Uint8Array(await res.body.arrayBuffer()));
  }
  const signer = await recoverMessageAddress({ message: { raw: renditionSignatureMessage(renditions) }, signature: `0x${Buffer.from(result.data.sig).toString('hex')}` });
  t.equal(signer, node.account.address);

  const failures: [string, () => void, Uint8Array, RegExp][] = [
    ['backend crash mid-segment', () => (node.backend.options.behavior = 'crash'), source, /^LPX_ERR_TRANSCODE_FAILED: /],
    ['a short result (one rendition missing)', () => (node.backend.options.behavior = 'short'), source, /^LPX_ERR_TRANSCODE_RESULT_INVALID: .*1 renditions for 2 profiles/],
    ['a rendition under 25 bytes', () => (node.backend.options.behavior = 'tiny'), source, /^LPX_ERR_TRANSCODE_RESULT_INVALID: .*10 bytes/],
    ['a zero-byte segment', () => (node.backend.options.behavior = 'ok'), new Uint8Array(0), /^LPX_ERR_TRANSCODE_INPUT_INVALID: the segment is empty/],
    ['a corrupt segment', () => (node.backend.options.behavior = 'ok'), Buffer.from('this is not MPEG-TS at all, just text'.repeat(50)), /^LPX_ERR_TRANSCODE_INPUT_INVALID: /],
  ];
  for (const [name, arrange, body, expected] of failures) {
    arrange();
    const before = await node.balance();
    const res = await node.postPaid(body);
    t.equal(res.status, 200, `${name}: 200 flushed, the error travels in the result`);
    const failed = decodeTranscodeResult(res.body);
    t.match('error' in failed ? failed.error : 'renditions', expected, `${name}: coded error result`);
    t.ok((await node.balance())?.eq(before!.add(res.credit)), `${name}: credited, nothing debited`);
  }
  t.equal(node.registry.get('video/transcode')?.capacity, 2, 'failures do not change the advertised capacity');

  const segments = await node.worker.metrics.getSingleMetric('lpx_transcode_segments_total')!.get();
  const count = (outcome: string) => segments.values.filter((v) => v.labels.outcome === outcome && v.labels.backend === 'test-ffmpeg').reduce((sum, v) => sum + v.value, 0);
  t.same([count('ok'), count('error'), count('invalid')], [1, 3, 2], 'lpx_transcode_segments_total by backend and outcome (crash, empty, corrupt = error; short, tiny = invalid)');
  const seconds = await node.worker.metrics.getSingleMetric('lpx_transcode_seconds')!.get();
  t.ok(seconds.values.some((v) => (v as { metricName?: string }).metricName === 'lpx_transcode_seconds_count' && v.value === 6), 'lpx_transcode_seconds observed every segment');
  const capacity = await node.worker.metrics.getSingleMetric('lpx_transcode_backend_capacity')!.get();
  t.same(capacity.values.map((v) => [v.labels.backend, v.value]), [['test-ffmpeg', 2]]);

  node.sessions.end(node.authToken.sessionId);
  await until(() => node.backend.ended.includes(node.authToken.sessionId), "the backend's endSession on the worker");
  t.pass('EndTranscodingSession reaches the backend through Redis');
});
