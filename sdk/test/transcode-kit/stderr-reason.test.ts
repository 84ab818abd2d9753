import t from 'tap';
import { stderrReason } from '@lpx/sdk/transcode-kit';

t.test('stderr reasons: the component line first, else the last specific line', async (t) => {
  t.equal(stderrReason('[AVHWDeviceContext @ 0x55ac] Cannot load libcuda.so.1\n[AVHWDeviceContext @ 0x55ac] Could not dynamically load CUDA\nDevice creation failed: -1.'), 'Cannot load libcuda.so.1');
  t.equal(stderrReason('[h264_ni_quadra_enc @ 0x7f] ERROR: xcoder_send_frame(): failed\nConversion failed!'), 'ERROR: xcoder_send_frame(): failed');
  t.equal(stderrReason('in.ts: Invalid data found when processing input\n'), 'in.ts: Invalid data found when processing input');
  t.equal(stderrReason('Something specific\nConversion failed!'), 'Something specific');
  t.equal(stderrReason('Conversion failed!\n'), 'Conversion failed!', 'only generic lines: the last one rather than nothing');
  t.equal(stderrReason(''), 'no output on stderr');
});
