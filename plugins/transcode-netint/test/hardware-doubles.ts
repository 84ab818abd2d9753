/**
 * TEST DOUBLES AT THE HARDWARE BOUNDARY. This machine has no Netint VPU and
 * no Netint ffmpeg build, so the paths of the netint backend that need them
 * cannot run for real here. These generate small shell scripts standing in
 * for the two tools that touch the hardware — Netint's `ffmpeg` and its
 * resource monitor `ni_rsrc_mon` — and nothing else: the backend's own code,
 * the real ffprobe and (for transcodes) the real ffmpeg run unchanged.
 *
 * The fake ffmpeg answers -encoders/-decoders/-filters from the lists given,
 * logs every command line it receives, fails test encodes on chosen devices,
 * and otherwise rewrites the Netint command into its software twin (Netint
 * decoder → native decoder, ni_quadra_split → split, ni_quadra_scale → scale,
 * h264_ni_*_enc → libx264; -dec/-enc/-xcoder-params dropped) and `exec`s the
 * real ffmpeg: renditions are real files from the backend's own graph.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeNetintOptions {
  readonly encoders?: readonly string[];
  readonly decoders?: readonly string[];
  readonly filters?: readonly string[];
  /** Device indices whose test encode (`-enc <n>`) fails with `testEncodeStderr`. */
  readonly failTestEncodeOn?: readonly string[];
  readonly testEncodeStderr?: string;
  /** Every transcode (a command with `-dec`) exits 1 with this stderr. */
  readonly failTranscodeStderr?: string;
  /** What the fake monitor prints; undefined = two Quadra cards. */
  readonly monitorOutput?: string;
  /** The monitor exits 1 with this on stderr. */
  readonly monitorFails?: string;
}

export interface NetintDoubles {
  readonly ffmpegPath: string;
  readonly monitorPath: string;
  calls(): Promise<string[][]>;
  cleanup(): Promise<void>;
}

export const QUADRA_CODECS = { encoders: ['libx264', 'h264_ni_quadra_enc', 'h265_ni_quadra_enc'], decoders: ['h264', 'h264_ni_quadra_dec', 'h265_ni_quadra_dec'], filters: ['scale', 'split', 'ni_quadra_scale', 'ni_quadra_split'] };
export const LOGAN_CODECS = { encoders: ['libx264', 'h264_ni_logan_enc', 'h265_ni_logan_enc'], decoders: ['h264', 'h264_ni_logan_dec', 'h265_ni_logan_dec'], filters: ['scale', 'split'] };

/** Quadra's ni_rsrc_mon default text output, two cards (format from libxcoder's ni_rsrc_mon.c). */
export const TWO_QUADRA_CARDS = [
  'Num decoders: 2',
  'INDEX LOAD MODEL_LOAD INST MEM  SHARE_MEM P2P_MEM DEVICE',
  '0     0    0          0    0    0         0       /dev/nvme0n1',
  '1     0    0          0    0    0         0       /dev/nvme1n1',
  'Num encoders: 2',
  'INDEX LOAD MODEL_LOAD INST MEM  SHARE_MEM P2P_MEM DEVICE',
  '0     3    0          1    0    0         0       /dev/nvme0n1',
  '1     0    0          0    0    0         0       /dev/nvme1n1',
  'Num scalers: 2',
  'INDEX LOAD MODEL_LOAD INST MEM  SHARE_MEM P2P_MEM DEVICE',
  '0     0    0          0    0    0         0       /dev/nvme0n1',
  '1     0    0          0    0    0         0       /dev/nvme1n1',
].join('\n');

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const codecList = (title: string, names: readonly string[]): string =>
  [`${title}:`, ' V..... = Video', ' ------', ...names.map((n) => ` V....D ${n.padEnd(20)} fake ${n}`)].join('\n');

function fakeFfmpegScript(log: string, o: FakeNetintOptions): string {
  const filters = ['Filters:', ...(o.filters ?? QUADRA_CODECS.filters).map((f) => ` ... ${f.padEnd(17)} V->V       fake ${f}`)].join('\n');
  return `#!/bin/bash
# Test double at the hardware boundary: Netint's ffmpeg on a machine without a VPU (see hardware-doubles.ts).
printf '%s\\n' "$(printf '%s\\x01' "$@")" >> ${quote(log)}
case "$*" in
  "-hide_banner -encoders") printf '%s\\n' ${quote(codecList('Encoders', o.encoders ?? QUADRA_CODECS.encoders))}; exit 0 ;;
  "-hide_banner -decoders") printf '%s\\n' ${quote(codecList('Decoders', o.decoders ?? QUADRA_CODECS.decoders))}; exit 0 ;;
  "-hide_banner -filters") printf '%s\\n' ${quote(filters)}; exit 0 ;;
esac
for dev in ${(o.failTestEncodeOn ?? []).map(quote).join(' ')}; do
  case " $* " in *" -f lavfi "*" -enc $dev "*) printf '%s\\n' ${quote(o.testEncodeStderr ?? 'test encode failed')} >&2; exit 1 ;; esac
done
case " $* " in *" -dec "*)
  ${o.failTranscodeStderr === undefined ? ':' : `printf '%s\\n' ${quote(o.failTranscodeStderr)} >&2; exit 1`}
esac
args=(); skip=0
for a in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$a" in
    -dec|-enc|-xcoder-params) skip=1 ;;
    *_ni_*_dec) unset 'args[\${#args[@]}-1]' ;;
    h264_ni_*_enc) args+=(libx264 -preset ultrafast) ;;
    h265_ni_*_enc) args+=(libx265 -preset ultrafast -x265-params log-level=error) ;;
    *) a="\${a//ni_quadra_split=output0=/split=}"; args+=("\${a//ni_quadra_scale=/scale=}") ;;
  esac
done
exec /usr/bin/ffmpeg "\${args[@]}"
`;
}

function fakeMonitorScript(output: string, fail?: string): string {
  return `#!/bin/bash
# Test double at the hardware boundary: Netint's resource monitor on a machine without a VPU (see hardware-doubles.ts).
${fail === undefined ? `printf '%s\\n' ${quote(output)}` : `printf '%s\\n' ${quote(fail)} >&2; exit 1`}
`;
}

export async function netintDoubles(options: FakeNetintOptions = {}): Promise<NetintDoubles> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-netint-double-'));
  const log = join(dir, 'ffmpeg-calls.log');
  const ffmpegPath = join(dir, 'ffmpeg');
  const monitorPath = join(dir, 'ni_rsrc_mon');
  await writeFile(log, '');
  await writeFile(ffmpegPath, fakeFfmpegScript(log, options));
  await writeFile(monitorPath, fakeMonitorScript(options.monitorOutput ?? TWO_QUADRA_CARDS, options.monitorFails));
  await chmod(ffmpegPath, 0o755);
  await chmod(monitorPath, 0o755);
  return {
    ffmpegPath,
    monitorPath,
    async calls() {
      const text = await readFile(log, 'utf8');
      return text.split('\n').filter((line) => line.length > 0).map((line) => line.split('\x01').filter((arg) => arg.length > 0));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
