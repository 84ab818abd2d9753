/**
 * TEST DOUBLES AT THE HARDWARE BOUNDARY. This machine has no NVIDIA GPU and
 * no CUDA driver, so the paths of the nvenc backend that need one cannot run
 * for real here. These generate small shell scripts standing in for the two
 * tools that touch the hardware — an NVENC-capable `ffmpeg` and `nvidia-smi` —
 * and nothing else: the backend's own code, the real ffprobe and (for
 * transcodes) the real ffmpeg run unchanged.
 *
 * The fake ffmpeg answers -encoders/-hwaccels/-filters from the lists given,
 * logs every command line it receives, fails test encodes on chosen GPUs with
 * the stderr given, and otherwise rewrites the hardware command into its
 * software twin (CUDA decode → CPU decode, scale_cuda → scale, h264_nvenc →
 * libx264) and `exec`s the real ffmpeg: renditions are real files, produced
 * from the exact filter graph and output layout the backend built.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeFfmpegOptions {
  readonly encoders?: readonly string[];
  readonly hwaccels?: readonly string[];
  readonly filters?: readonly string[];
  /** GPU indices whose test encode (`-init_hw_device cuda=gpu:<n>`) fails with `testEncodeStderr`. */
  readonly failTestEncodeOn?: readonly string[];
  readonly testEncodeStderr?: string;
  /** Test encodes that do not fail succeed at once instead of running the software twin. */
  readonly instantTestEncode?: boolean;
  /** Every transcode (a `-hwaccel cuda` command) exits 1 with this stderr, as an encoder crash would. */
  readonly failTranscodeStderr?: string;
}

export interface HardwareDoubles {
  readonly dir: string;
  readonly ffmpegPath: string;
  readonly nvidiaSmiPath: string;
  /** Command lines the fake ffmpeg received, one array of arguments per call. */
  calls(): Promise<string[][]>;
  cleanup(): Promise<void>;
}

const ENCODER_HEADER = ['Encoders:', ' V..... = Video', ' ------'];
const DEFAULT_ENCODERS = ['libx264', 'h264_nvenc', 'hevc_nvenc'];

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function fakeFfmpegScript(log: string, o: FakeFfmpegOptions): string {
  const encoders = [...ENCODER_HEADER, ...(o.encoders ?? DEFAULT_ENCODERS).map((e) => ` V....D ${e.padEnd(20)} fake ${e}`)].join('\n');
  const hwaccels = ['Hardware acceleration methods:', ...(o.hwaccels ?? ['cuda'])].join('\n');
  const filters = ['Filters:', ...(o.filters ?? ['scale', 'split', 'scale_cuda', 'hwupload_cuda']).map((f) => ` ... ${f.padEnd(17)} V->V       fake ${f}`)].join('\n');
  return `#!/bin/bash
# Test double at the hardware boundary: an NVENC ffmpeg on a machine without a GPU (see hardware-doubles.ts).
printf '%s\\n' "$(printf '%s\\x01' "$@")" >> ${quote(log)}
case "$*" in
  "-hide_banner -encoders") printf '%s\\n' ${quote(encoders)}; exit 0 ;;
  "-hide_banner -hwaccels") printf '%s\\n' ${quote(hwaccels)}; exit 0 ;;
  "-hide_banner -filters") printf '%s\\n' ${quote(filters)}; exit 0 ;;
esac
for gpu in ${(o.failTestEncodeOn ?? []).map(quote).join(' ')}; do
  case " $* " in *" cuda=gpu:$gpu "*) printf '%s\\n' ${quote(o.testEncodeStderr ?? 'test encode failed')} >&2; exit 1 ;; esac
done
${o.instantTestEncode === true ? `case " $* " in *" -f lavfi "*) exit 0 ;; esac` : ''}
case " $* " in *" -hwaccel cuda "*)
  ${o.failTranscodeStderr === undefined ? ':' : `printf '%s\\n' ${quote(o.failTranscodeStderr)} >&2; exit 1`}
esac
args=(); skip=0
for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$a" in
    -hwaccel|-hwaccel_output_format|-hwaccel_device|-init_hw_device|-filter_hw_device|-rc|-cq|-forced-idr) skip=1 ;;
    h264_nvenc) args+=(libx264 -preset ultrafast) ;;
    hevc_nvenc) args+=(libx265 -preset ultrafast -x265-params log-level=error) ;;
    *) a="\${a//hwupload_cuda,/}"; args+=("\${a//scale_cuda=/scale=}") ;;
  esac
done
exec /usr/bin/ffmpeg "\${args[@]}"
`;
}

/** nvidia-smi's CSV answer for the GPUs given, its failure when `fail` is set, or a wedged driver that never answers. */
function fakeNvidiaSmiScript(gpus: readonly string[], fail?: string, hang?: boolean): string {
  const body = hang === true ? 'sleep 600' : fail === undefined ? `printf '%s\\n' ${gpus.map(quote).join(' ')}` : `printf '%s\\n' ${quote(fail)}; exit 9`;
  return `#!/bin/bash
# Test double at the hardware boundary: nvidia-smi on a machine without a GPU (see hardware-doubles.ts).
${body}
`;
}

export async function hardwareDoubles(options: FakeFfmpegOptions & { readonly gpus?: readonly string[]; readonly nvidiaSmiFails?: string; readonly nvidiaSmiHangs?: boolean } = {}): Promise<HardwareDoubles> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-nvenc-double-'));
  const log = join(dir, 'ffmpeg-calls.log');
  const ffmpegPath = join(dir, 'ffmpeg');
  const nvidiaSmiPath = join(dir, 'nvidia-smi');
  await writeFile(log, '');
  await writeFile(ffmpegPath, fakeFfmpegScript(log, options));
  await writeFile(nvidiaSmiPath, fakeNvidiaSmiScript(options.gpus ?? ['0, NVIDIA GeForce RTX 3090, 24576 MiB', '1, NVIDIA RTX A4000, 16376 MiB'], options.nvidiaSmiFails, options.nvidiaSmiHangs));
  await chmod(ffmpegPath, 0o755);
  await chmod(nvidiaSmiPath, 0o755);
  return {
    dir,
    ffmpegPath,
    nvidiaSmiPath,
    async calls() {
      const text = await readFile(log, 'utf8');
      return text.split('\n').filter((line) => line.length > 0).map((line) => line.split('\x01').filter((arg) => arg.length > 0));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
