import t from 'tap';
import { ffmpegList, parseFfmpegList } from '@lpx/sdk/transcode-kit';

const signal = (): AbortSignal => new AbortController().signal;

t.test('codec and filter listings: names under the rule, flags and descriptions ignored', async (t) => {
  const encoders = ['Encoders:', ' V..... = Video', ' A..... = Audio', ' ------', ' V....D libx264              libx264 H.264', ' V....D h264_nvenc           NVIDIA NVENC H.264 encoder', ' A....D aac                  AAC'].join('\n');
  t.same([...parseFfmpegList('encoders', encoders)], ['libx264', 'h264_nvenc', 'aac'], 'the legend above the rule is not a codec');
  t.same([...parseFfmpegList('decoders', encoders.replace('Encoders', 'Decoders'))], ['libx264', 'h264_nvenc', 'aac']);
  const filters = ['Filters:', '  T.. = Timeline support', ' ... scale             V->V       Scale the input video size', ' ... scale_cuda        V->V       GPU accelerated video resizer'].join('\n');
  t.ok(parseFfmpegList('filters', filters).has('scale_cuda'), 'filters have no rule: every line counts');
});

t.test('-hwaccels: one name per line under a heading', async (t) => {
  t.same([...parseFfmpegList('hwaccels', 'Hardware acceleration methods:\nvdpau\ncuda\nvaapi\n\n')], ['vdpau', 'cuda', 'vaapi']);
});

t.test('REAL ffmpeg here: the list runs, a missing binary is named', async (t) => {
  const listed = await ffmpegList('ffmpeg', 'encoders', signal(), 20_000);
  t.ok('names' in listed && listed.names.has('libx264'), 'this machine’s ffmpeg lists libx264');
  t.same(await ffmpegList('/nonexistent/ffmpeg', 'encoders', signal(), 20_000), { reason: 'ffmpeg not found at /nonexistent/ffmpeg' });
  const aborted = new AbortController();
  aborted.abort();
  t.same(await ffmpegList('ffmpeg', 'filters', aborted.signal, 20_000), { reason: 'probe aborted' });
});
