// The pure rules of the gateway's BYOC streams (ADR 0048): go-livepeer's ticket count, its
// swap limit, the JSON it reads from clients and the channel URLs it reads from orchestrators.
import t from 'tap';
import { errors } from '@lpx/sdk';
import { channelUrl, checkStreamId, parseRequestDetails, parseStartRequest, parseStreamParameters, pipelineParams } from '../../src/network/byoc/stream-types.js';
import { Rational } from '../../src/payments/index.js';
import { MAX_TICKETS_PER_PAYMENT, ticketCountFor } from '../../src/roles/gateway/byoc-stream-payer.js';
import { QUICK_SWAP_WINDOW_MS, SwapLimit } from '../../src/roles/gateway/byoc-stream-starter.js';

t.test('ticket count: ceil(cost / EV), at most 600, timeout_seconds when EV is 0', async (t) => {
  t.equal(ticketCountFor(Rational.of(300n), Rational.of(1000n), 30), 1n);
  t.equal(ticketCountFor(Rational.of(2001n), Rational.of(1000n), 30), 3n);
  t.equal(ticketCountFor(Rational.of(2000n), Rational.of(1000n), 30), 2n, 'exact multiples are not rounded up');
  t.equal(ticketCountFor(Rational.of(10n ** 9n), Rational.of(1n), 30), MAX_TICKETS_PER_PAYMENT);
  t.equal(ticketCountFor(Rational.of(300n), Rational.ZERO, 30), 30n);
});

t.test('swap limit: more than 2 swaps with the previous one under a minute ago stops', async (t) => {
  let now = 0;
  const quick = new SwapLimit(() => now);
  const allowed = [0, 1, 2, 3, 4].map(() => quick.allowsAnother());
  t.same(allowed, [true, true, true, true, false], 'five orchestrators tried in quick succession');
  const slow = new SwapLimit(() => now);
  for (let i = 0; i < 10; i++) {
    t.ok(slow.allowsAnother(), `swap ${i} a minute after the last`);
    now += QUICK_SWAP_WINDOW_MS;
  }
});

t.test('client JSON: parameters, request details, StartRequest, params', async (t) => {
  t.same(parseStreamParameters('{"orchestrators":{"include":["https://a"]},"enable_video_ingress":true}'), { include: ['https://a'], exclude: [], enableVideoIngress: true, enableVideoEgress: false, enableDataOutput: false });
  t.same(parseStreamParameters(''), { include: [], exclude: [], enableVideoIngress: false, enableVideoEgress: false, enableDataOutput: false });
  for (const bad of ['[]', 'x', '{"enable_data_output":"yes"}', '{"orchestrators":{"include":"https://a"}}']) {
    t.throws(() => parseStreamParameters(bad), { code: errors.byoc.STREAM_START_INVALID.code }, bad);
  }
  t.same(parseRequestDetails('{"stream_id":"s1"}'), { streamId: 's1' });
  t.same(parseRequestDetails('{}'), { streamId: undefined });
  t.throws(() => parseRequestDetails('{"stream_id":1}'), { code: errors.byoc.STREAM_START_INVALID.code });
  t.same(parseStartRequest(Buffer.from('')), { stream_name: '', rtmp_output: '', stream_id: '', params: '' });
  t.throws(() => parseStartRequest(Buffer.from('{"stream_id":5}')), { code: errors.byoc.STREAM_START_INVALID.code });
  t.equal(pipelineParams(''), null);
  t.same(pipelineParams('{"prompt":"x"}'), { prompt: 'x' });
  t.throws(() => pipelineParams('[1]'), { code: errors.byoc.STREAM_START_INVALID.code });
  t.equal(checkStreamId('cam-abc_1.2~x'), 'cam-abc_1.2~x');
  for (const bad of ['', '-x', 'a/b', 'a b', 'x'.repeat(129)]) t.throws(() => checkStreamId(bad), { code: errors.byoc.STREAM_START_INVALID.code }, bad);
});

t.test('channel URLs: absolute kept, host-less ones get the orchestrator\'s (common.AppendHostname)', async (t) => {
  t.equal(channelUrl('https://o.example:8935/ai/trickle/s', 'https://other:1'), 'https://o.example:8935/ai/trickle/s');
  t.equal(channelUrl('/ai/trickle/s-out', 'https://o.example:8935'), 'https://o.example:8935/ai/trickle/s-out');
  t.equal(channelUrl('ai/trickle/s-data', 'https://o.example:8935'), 'https://o.example:8935/ai/trickle/s-data');
  t.equal(channelUrl('', 'https://o'), undefined);
  t.equal(channelUrl(undefined, 'https://o'), undefined);
});
