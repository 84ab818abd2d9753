import t from 'tap';
import { errors } from '@lpx/sdk';
import { billedSeconds, covers, negative, parseBalance, priced, wholeWei } from '../src/money.js';
import { parseStartBody, parseStreamId, parseStreamParameters } from '../src/stream-request.js';

t.test('balances and prices: exact fractions', async (t) => {
  const price = { pricePerUnit: 7n, pixelsPerUnit: 3n }; // 7/3 wei per second
  t.ok(covers(parseBalance('140'), price, 60n), '140 = 60 × 7/3');
  t.notOk(covers(parseBalance('419/3'), price, 60n), 'one third of a wei short');
  t.ok(covers(parseBalance('421/3'), price, 60n));
  t.notOk(covers(parseBalance(undefined), price, 60n), 'no balance covers nothing');
  t.same(parseBalance(undefined), { num: 0n, den: 1n });
  t.equal(wholeWei(parseBalance('-7/2')), '-3', 'truncated toward zero');
  t.equal(wholeWei(parseBalance('7/2')), '3');
  t.ok(negative(parseBalance('-1/5')));
  t.notOk(negative(parseBalance('0')));
  t.notOk(priced(undefined));
  t.notOk(priced({ pricePerUnit: 0n, pixelsPerUnit: 1n }), 'a zero price is free');
  t.equal(billedSeconds(0), 1n, 'a call is at least a second');
  t.equal(billedSeconds(1000), 1n);
  t.equal(billedSeconds(1001), 2n);
});

t.test('JobParameters, stream ids and start bodies', async (t) => {
  t.same(parseStreamParameters(''), { videoIngress: false, videoEgress: false, dataOutput: false }, 'empty: no optional channels');
  t.same(parseStreamParameters('{"enable_video_ingress":true,"enable_data_output":true,"orchestrators":{"include":[]}}'), { videoIngress: true, videoEgress: false, dataOutput: true });
  t.same(parseStreamParameters('null'), { videoIngress: false, videoEgress: false, dataOutput: false });
  t.throws(() => parseStreamParameters('{"enable_video_egress":1}'), { code: errors.byoc.STREAM_PARAMETERS_INVALID.code });
  t.throws(() => parseStreamParameters('[1]'), { code: errors.byoc.STREAM_PARAMETERS_INVALID.code });
  t.throws(() => parseStreamParameters('{'), { code: errors.byoc.STREAM_PARAMETERS_INVALID.code });
  t.equal(parseStreamId('{"stream_id":"abc"}'), 'abc');
  t.throws(() => parseStreamId('{}'), { code: errors.byoc.STREAM_PARAMETERS_INVALID.code }, 'stop and update need the stream id');
  t.throws(() => parseStreamId('{"stream_id":5}'), { code: errors.byoc.STREAM_PARAMETERS_INVALID.code });
  t.same(parseStartBody(Buffer.alloc(0)), {});
  t.same(parseStartBody(Buffer.from('{"params":"{}"}')), { params: '{}' });
  t.throws(() => parseStartBody(Buffer.from('not json')), { message: 'Invalid JSON body' }, "go-livepeer's text");
  t.throws(() => parseStartBody(Buffer.from('"a string"')), { message: 'Invalid JSON body' });
});
