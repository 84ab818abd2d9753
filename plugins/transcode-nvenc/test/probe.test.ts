import t, { type Test } from 'tap';
import { NvencBackend, nvencOptions, parseGpuList, type NvencConfig } from '../src/index.js';
import { descendantProcesses } from '@lpx/sdk/testing';
import { hardwareDoubles, type HardwareDoubles } from './hardware-doubles.js';

const signal = (): AbortSignal => new AbortController().signal;
const probe = (config: NvencConfig) => new NvencBackend(nvencOptions(config)).probe(signal());

async function doubles(t: Test, options: Parameters<typeof hardwareDoubles>[0] = {}): Promise<HardwareDoubles> {
  const d = await hardwareDoubles(options);
  t.teardown(() => d.cleanup());
  return d;
}

// ---- The real ffmpeg on this machine: no GPU, no driver. ----

t.test('REAL ffmpeg here: h264_nvenc is listed, so the probe reaches the test encode, which fails for want of the CUDA driver', async (t) => {
  const status = await probe({});
  t.equal(status.available, false);
  t.equal(status.capacity, 0);
  t.match(status.reason, /^test encode with h264_nvenc on GPU 0 failed: .*(libcuda|CUDA|cuda)/, status.reason ?? '');
  t.notMatch(status.reason, /Conversion failed/, 'the cause, not ffmpeg’s generic last line');
});

t.test('REAL ffmpeg here with devices "1": the test encode runs on GPU 1', async (t) => {
  const status = await probe({ devices: '1' });
  t.match(status.reason, /^test encode with h264_nvenc on GPU 1 failed: /);
});

t.test('a missing ffmpeg is the first thing named', async (t) => {
  const status = await probe({ ffmpegPath: '/nonexistent/ffmpeg' });
  t.same({ available: status.available, reason: status.reason, capacity: status.capacity }, { available: false, reason: 'ffmpeg not found at /nonexistent/ffmpeg', capacity: 0 });
});

t.test('an aborted probe still resolves, unavailable', async (t) => {
  const controller = new AbortController();
  controller.abort();
  const status = await new NvencBackend(nvencOptions({})).probe(controller.signal);
  t.equal(status.available, false);
  t.match(status.reason, /aborted/);
});

// ---- Paths this machine cannot reach, through the test doubles at the hardware boundary (hardware-doubles.ts). ----

t.test('DOUBLE: an ffmpeg without NVENC → "h264_nvenc not listed"', async (t) => {
  const d = await doubles(t, { encoders: ['libx264'] });
  const status = await probe({ ffmpegPath: d.ffmpegPath, nvidiaSmiPath: d.nvidiaSmiPath });
  t.match(status.reason, /^h264_nvenc not listed by .* -encoders/);
  t.same((await d.calls()).map((c) => c.join(' ')), ['-hide_banner -encoders'], 'nothing else was tried');
});

t.test('DOUBLE: no cuda hwaccel or no scale_cuda → named', async (t) => {
  const noCuda = await doubles(t, { hwaccels: ['vaapi'] });
  t.match((await probe({ ffmpegPath: noCuda.ffmpegPath })).reason, /^cuda not listed by .* -hwaccels/);
  const noScaler = await doubles(t, { filters: ['scale'] });
  t.match((await probe({ ffmpegPath: noScaler.ffmpegPath })).reason, /^scale_cuda not listed by .* -filters/);
});

t.test('DOUBLE: encoder listed, test encode fails → the encoder’s own line, not "Conversion failed!"', async (t) => {
  const d = await doubles(t, {
    failTestEncodeOn: ['0'],
    testEncodeStderr: '[h264_nvenc @ 0x5601] OpenEncodeSessionEx failed: incompatible client key (21): (no details)\nError initializing output stream 0:0 -- Error while opening encoder\nConversion failed!',
  });
  const status = await probe({ ffmpegPath: d.ffmpegPath, nvidiaSmiPath: d.nvidiaSmiPath });
  t.equal(status.reason, 'test encode with h264_nvenc on GPU 0 failed: OpenEncodeSessionEx failed: incompatible client key (21): (no details)');
});

t.test('DOUBLE: nvidia-smi lists 2 GPUs → available, capacity 2 × sessionsPerGpu, each GPU test-encoded', async (t) => {
  const d = await doubles(t);
  const status = await probe({ ffmpegPath: d.ffmpegPath, nvidiaSmiPath: d.nvidiaSmiPath, sessionsPerGpu: 3 });
  t.equal(status.available, true, status.reason ?? '');
  t.equal(status.capacity, 6);
  t.same(status.devices, [
    { id: '0', name: 'NVIDIA GeForce RTX 3090', capacity: 3, load: 0 },
    { id: '1', name: 'NVIDIA RTX A4000', capacity: 3, load: 0 },
  ]);
  t.same(status.encode, ['H264', 'HEVC'], 'hevc_nvenc listed and its test encode passed');
  t.same(status.formats, ['mpegts', 'mp4']);
  const tested = (await d.calls()).map((c) => c[c.indexOf('-init_hw_device') + 1]).filter((v) => v?.startsWith('cuda='));
  t.same(tested, ['cuda=gpu:0', 'cuda=gpu:1', 'cuda=gpu:0'], 'GPU 0 (driver check), GPU 1, then HEVC on GPU 0');
});

t.test('DOUBLE: a GPU whose test encode fails is left out and said so; the others serve', async (t) => {
  const d = await doubles(t, { failTestEncodeOn: ['1'], testEncodeStderr: '[h264_nvenc @ 0x1] OpenEncodeSessionEx failed: out of memory (10)' });
  const status = await probe({ ffmpegPath: d.ffmpegPath, nvidiaSmiPath: d.nvidiaSmiPath, sessionsPerGpu: 2 });
  t.equal(status.available, true);
  t.equal(status.capacity, 2);
  t.same(status.devices?.map((g) => g.id), ['0']);
  t.match(status.reason, /GPU 1 excluded: test encode with h264_nvenc on GPU 1 failed: OpenEncodeSessionEx failed: out of memory/);
});

t.test('DOUBLE: hevc_nvenc not listed → H.264 only', async (t) => {
  const d = await doubles(t, { encoders: ['h264_nvenc'] });
  const status = await probe({ ffmpegPath: d.ffmpegPath, nvidiaSmiPath: d.nvidiaSmiPath });
  t.same(status.encode, ['H264']);
});

t.test('DOUBLE: driver works but nvidia-smi is absent → with "all", unavailable and the reason says what to do', async (t) => {
  const d = await doubles(t);
  const status = await probe({ ffmpegPath: d.ffmpegPath, nvidiaSmiPath: '/nonexistent/nvidia-smi' });
  t.equal(status.available, false);
  t.match(status.reason, /^\/nonexistent\/nvidia-smi not found: no NVIDIA driver .*list their indices in "devices"/);
});

t.test('DOUBLE: nvidia-smi absent, explicit devices → the test encodes decide', async (t) => {
  const d = await doubles(t);
  const status = await probe({ ffmpegPath: d.ffmpegPath, nvidiaSmiPath: '/nonexistent/nvidia-smi', devices: [0, 1], sessionsPerGpu: 1 });
  t.equal(status.available, true);
  t.same(status.devices?.map((g) => `${g.id}:${g.name}`), ['0:GPU 0', '1:GPU 1']);
});

t.test('DOUBLE: an explicit index nvidia-smi does not list is left out', async (t) => {
  const d = await doubles(t);
  const status = await probe({ ffmpegPath: d.ffmpegPath, nvidiaSmiPath: d.nvidiaSmiPath, devices: '0,3' });
  t.same(status.devices?.map((g) => g.id), ['0']);
  t.match(status.reason, /GPU 3 excluded: not listed by/);
});

t.test('DOUBLE: nvidia-smi failing (driver/library mismatch) → its own message', async (t) => {
  const d = await doubles(t, { nvidiaSmiFails: "Failed to initialize NVML: Driver/library version mismatch" });
  const status = await probe({ ffmpegPath: d.ffmpegPath, nvidiaSmiPath: d.nvidiaSmiPath });
  t.match(status.reason, /nvidia-smi failed: Failed to initialize NVML: Driver\/library version mismatch/);
});

t.test('DOUBLE: a wedged nvidia-smi is bounded by probeTimeoutMs and killed', async (t) => {
  const d = await doubles(t, { nvidiaSmiHangs: true, instantTestEncode: true });
  const before = new Set((await descendantProcesses())?.map((p) => p.pid));
  const status = await probe({ ffmpegPath: d.ffmpegPath, nvidiaSmiPath: d.nvidiaSmiPath, probeTimeoutMs: 2000 });
  t.equal(status.available, false);
  t.match(status.reason, /nvidia-smi did not answer within 2000 ms/);
  t.same(((await descendantProcesses()) ?? []).filter((p) => !before.has(p.pid)), [], 'the hung tool (and its sleep) were killed');
});

t.test('nvidia-smi CSV parsing', async (t) => {
  t.same(parseGpuList('0, Tesla T4, 15360 MiB\n1, NVIDIA A10, Inc, 23028 MiB\n\nNo devices were found\n'), [
    { index: 0, name: 'Tesla T4', memory: '15360 MiB' },
    { index: 1, name: 'NVIDIA A10, Inc', memory: '23028 MiB' },
  ]);
});

t.test('config: go-livepeer’s -nvidia spellings, and refusals', async (t) => {
  t.equal(nvencOptions({}).devices, 'all');
  t.same(nvencOptions({ devices: '0, 2,4' }).devices, [0, 2, 4]);
  t.same(nvencOptions({ devices: [1] }).devices, [1]);
  t.throws(() => nvencOptions({ devices: 'gpu0' }), { code: 'LPX_ERR_CONFIG_INVALID' });
  t.throws(() => nvencOptions({ devices: '0,0' }), { code: 'LPX_ERR_CONFIG_INVALID' });
  t.throws(() => nvencOptions({ sessionsPerGpu: 0 }), { code: 'LPX_ERR_CONFIG_INVALID' });
});
