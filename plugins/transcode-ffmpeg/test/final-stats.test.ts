import t from 'tap';
import { parseFinalStats } from '../src/final-stats.js';

t.test('reads video packets per output and decoded frames from ffmpeg 5.1 verbose stats', async (t) => {
  const log = [
    '[verbose] Input file #0 (src.ts):',
    '[verbose]   Input stream #0:0 (video): 60 packets read (3896627 bytes); 60 frames decoded; ',
    '[verbose]   Input stream #0:1 (audio): 88 packets read (18236 bytes); ',
    '[verbose] Output file #0 (o0.ts):',
    '[verbose]   Output stream #0:0 (video): 60 frames encoded; 60 packets muxed (151690 bytes); ',
    '[verbose]   Output stream #0:1 (audio): 88 packets muxed (18236 bytes); ',
    '[verbose] Output file #1 (o1.ts):',
    '[verbose]   Output stream #1:0 (video): 30 frames encoded; 30 packets muxed (50503 bytes); ',
  ];
  t.same(parseFinalStats(log, 2), { outputVideoPackets: [60, 30], decodedFrames: 60 });
});

t.test('tolerates the per-output prefix of newer ffmpeg and reports what is missing as undefined', async (t) => {
  const log = [
    '[out#1/mpegts @ 0x55] [verbose]   Output stream #1:0 (video): 31 frames encoded; 31 packets muxed (1 bytes);',
    '[in#0/mpegts @ 0x55] [verbose]   Input stream #0:0 (video): 61 packets read (2 bytes); 61 frames decoded; 0 decode errors;',
  ];
  t.same(parseFinalStats(log, 3), { outputVideoPackets: [undefined, 31, undefined], decodedFrames: 61 });
  t.same(parseFinalStats([], 1), { outputVideoPackets: [undefined], decodedFrames: undefined });
});
