import type { TranscodeBackendStatus, VideoCodec } from '@lpx/sdk';
import type { NvencOptions } from './config.js';
import { ffmpegList, testEncodeFailure, type Device } from '@lpx/sdk/transcode-kit';
import { NVENC_ENCODERS, nvencTestEncodeArgs } from './nvenc-args.js';
import { listGpus, type GpuInfo } from './nvidia-smi.js';

export interface NvencProbe {
  readonly status: TranscodeBackendStatus;
  /** The GPUs that passed their test encode, in the order configured. */
  readonly devices: readonly Device[];
}

/** NVDEC decodes both on every GPU generation that current drivers support. */
const DECODE: readonly VideoCodec[] = ['H264', 'HEVC'];

function unavailable(reason: string): NvencProbe {
  return { status: { available: false, reason, capacity: 0, decode: [], encode: [], formats: [] }, devices: [] };
}

/** One synthetic frame on one GPU; undefined when it encoded, else the reason. */
function testEncode(options: NvencOptions, gpu: string, encoder: string, signal: AbortSignal): Promise<string | undefined> {
  return testEncodeFailure(options.ffmpegPath, nvencTestEncodeArgs(gpu, encoder), { label: `test encode with ${encoder} on GPU ${gpu}`, signal, timeoutMs: options.probeTimeoutMs });
}

/**
 * The probing rule (ADR 0025): the encoder is listed AND a one-frame test
 * encode on the device works; the reason names the first step that failed.
 * Order: ffmpeg → h264_nvenc, cuda, scale_cuda listed → a test encode on the
 * first GPU (it proves the driver stack: libcuda, NVENC) → GPU enumeration
 * (nvidia-smi, needed for `all`) → a test encode on every other GPU, in parallel.
 * The driver check comes before nvidia-smi because containers can get NVENC
 * without the driver's utilities: nvidia-smi's absence alone is not the cause.
 */
export async function probeNvenc(options: NvencOptions, signal: AbortSignal): Promise<NvencProbe> {
  const timeout = options.probeTimeoutMs;
  const encoders = await ffmpegList(options.ffmpegPath, 'encoders', signal, timeout);
  if ('reason' in encoders) return unavailable(encoders.reason);
  if (!encoders.names.has('h264_nvenc')) return unavailable(`h264_nvenc not listed by ${options.ffmpegPath} -encoders: this ffmpeg is built without NVENC`);
  const hwaccels = await ffmpegList(options.ffmpegPath, 'hwaccels', signal, timeout);
  if ('reason' in hwaccels) return unavailable(hwaccels.reason);
  if (!hwaccels.names.has('cuda')) return unavailable(`cuda not listed by ${options.ffmpegPath} -hwaccels: this ffmpeg cannot decode on the GPU`);
  const filters = await ffmpegList(options.ffmpegPath, 'filters', signal, timeout);
  if ('reason' in filters) return unavailable(filters.reason);
  if (!filters.names.has('scale_cuda')) return unavailable(`scale_cuda not listed by ${options.ffmpegPath} -filters: this ffmpeg cannot scale on the GPU`);

  const first = options.devices === 'all' ? 0 : options.devices[0]!;
  const driverFailure = await testEncode(options, String(first), 'h264_nvenc', signal);
  if (driverFailure !== undefined) return unavailable(driverFailure);

  const listing = await listGpus(options.nvidiaSmiPath, signal, timeout);
  let gpus: GpuInfo[];
  const notes: string[] = [];
  if (options.devices === 'all') {
    if ('reason' in listing) return unavailable(`${listing.reason} (with devices "all" the GPUs come from nvidia-smi; list their indices in "devices" instead)`);
    gpus = [...listing.gpus];
  } else {
    const known = 'gpus' in listing ? new Map(listing.gpus.map((g) => [g.index, g])) : undefined;
    gpus = [];
    for (const index of options.devices) {
      const gpu = known?.get(index);
      if (known !== undefined && gpu === undefined) notes.push(`GPU ${index} excluded: not listed by ${options.nvidiaSmiPath}`);
      else gpus.push(gpu ?? { index, name: `GPU ${index}`, memory: '' });
    }
  }

  // In parallel: one short encode per GPU, so an 8-GPU box probes in about the time of one.
  const failures = await Promise.all(gpus.map((gpu) => (gpu.index === first ? undefined : testEncode(options, String(gpu.index), 'h264_nvenc', signal))));
  const devices: Device[] = [];
  for (const [i, gpu] of gpus.entries()) {
    const failure = failures[i];
    if (failure === undefined) devices.push({ id: String(gpu.index), name: gpu.name });
    else notes.push(`GPU ${gpu.index} excluded: ${failure}`);
  }
  if (devices.length === 0) return unavailable(notes.join('; ') || 'no GPU passed its test encode');

  const encode: VideoCodec[] = ['H264'];
  if (encoders.names.has(NVENC_ENCODERS.HEVC!)) {
    const hevc = await testEncode(options, devices[0]!.id, NVENC_ENCODERS.HEVC!, signal);
    if (hevc === undefined) encode.push('HEVC');
    else notes.push(`HEVC off: ${hevc}`);
  }
  const status: TranscodeBackendStatus = {
    available: true,
    ...(notes.length > 0 ? { reason: notes.join('; ') } : {}),
    capacity: devices.length * options.sessionsPerGpu,
    decode: DECODE,
    encode,
    formats: ['mpegts', 'mp4'],
    devices: devices.map((d) => ({ id: d.id, name: d.name, capacity: options.sessionsPerGpu, load: 0 })),
  };
  return { status, devices };
}
