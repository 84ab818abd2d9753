import { spawn } from 'node:child_process';
import ffmpeg from 'fluent-ffmpeg';

/**
 * The only door to ffmpeg in this plugin. fluent-ffmpeg is unmaintained
 * upstream (archived 2025), so nothing else here imports it: replacing it is
 * one file. It also keeps binary paths and capability lists in process-wide
 * caches, which this wrapper works around (per-command paths, our own
 * capability listing) so two backends with two ffmpeg builds cannot mix.
 */

export interface FfmpegOutputSpec {
  readonly path: string;
  /** Everything between the inputs/filter graph and the output path: -map, codec, rate control, muxer. */
  readonly options: readonly string[];
}

/** One ffmpeg process: one input, one filter graph, several outputs. */
export interface FfmpegJob {
  readonly input: string;
  /** Options before `-i` (timestamp handling and the like); the runner adds its own logging flags. */
  readonly inputOptions: readonly string[];
  readonly complexFilter: string;
  readonly outputs: readonly FfmpegOutputSpec[];
}

export interface ProbedStream {
  readonly type: string;
  readonly codec: string;
  readonly width: number;
  readonly height: number;
  /** `num/den`, as ffprobe's r_frame_rate. */
  readonly frameRate: string;
  /** With `countPackets`: packets ffprobe demuxed (one per frame for H.264/HEVC in TS or MP4). */
  readonly packets: number | undefined;
}

export interface ProbeResult {
  readonly formatName: string;
  readonly streams: readonly ProbedStream[];
}

export interface ExecResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** ffmpeg ran and failed (non-zero exit or killed by someone else). */
export class FfmpegExitError extends Error {
  override readonly name = 'FfmpegExitError';
  constructor(message: string, readonly stderrTail: readonly string[]) {
    super(message);
  }
}

/** The job's signal was aborted; the process has exited by the time this is thrown. */
export class FfmpegAbortedError extends Error {
  override readonly name = 'FfmpegAbortedError';
}

export interface FfmpegRunResult {
  /** ffmpeg's log at verbose level, each line tagged with its level (`[verbose]`, `[error]`...): final stats are in it. */
  readonly log: readonly string[];
}

export interface FfmpegRunner {
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  /** Runs the job to completion; settles only after the process has exited. */
  run(job: FfmpegJob, signal: AbortSignal): Promise<FfmpegRunResult>;
  /** ffprobe's view of a file; rejects when ffprobe cannot read it. */
  probe(path: string, options?: { readonly countPackets?: boolean }): Promise<ProbeResult>;
  /** Runs ffmpeg or ffprobe with raw arguments (capability listing, test encodes); rejects only when it cannot start. */
  exec(tool: 'ffmpeg' | 'ffprobe', args: readonly string[], signal: AbortSignal): Promise<ExecResult>;
}

export interface FfmpegRunnerOptions {
  readonly ffmpegPath: string;
  readonly ffprobePath: string;
  /** After an abort: SIGTERM first (ffmpeg closes its outputs), SIGKILL if it is still there after this. */
  readonly killGraceMs: number;
}

const STDERR_LINES = 20;
const LOG_LINES = 2000;

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trimEnd()).filter((l) => l.length > 0);
}

/** The last lines worth showing an operator: warnings and worse when the log is level-tagged, else the raw tail. */
function tail(text: string): string[] {
  const all = lines(text);
  const serious = all.filter((l) => /\[(warning|error|fatal|panic)\]/.test(l));
  return (serious.length > 0 ? serious : all).slice(-STDERR_LINES);
}

/** fluent-ffmpeg resolves binary paths through a process-wide cache; give each command its own. */
function command(options: FfmpegRunnerOptions): ffmpeg.FfmpegCommand {
  // A ring of the last lines: the final stats come last, and a flood of per-packet warnings stays bounded.
  const cmd = ffmpeg({ stdoutLines: LOG_LINES });
  const internals = cmd as unknown as { _getFfmpegPath(cb: (e: null, p: string) => void): void; _getFfprobePath(cb: (e: null, p: string) => void): void };
  internals._getFfmpegPath = (cb) => cb(null, options.ffmpegPath);
  internals._getFfprobePath = (cb) => cb(null, options.ffprobePath);
  return cmd;
}

export function fluentFfmpegRunner(options: FfmpegRunnerOptions): FfmpegRunner {
  return {
    ffmpegPath: options.ffmpegPath,
    ffprobePath: options.ffprobePath,

    run(job, signal) {
      return new Promise<FfmpegRunResult>((resolve, reject) => {
        if (signal.aborted) {
          reject(new FfmpegAbortedError('aborted before ffmpeg started'));
          return;
        }
        const cmd = command(options)
          .input(job.input)
          .inputOptions(['-hide_banner', '-nostdin', '-loglevel', 'level+verbose', ...job.inputOptions])
          .complexFilter(job.complexFilter);
        for (const output of job.outputs) cmd.output(output.path).outputOptions([...output.options]);

        let started = false;
        let killTimer: NodeJS.Timeout | undefined;
        const kill = (): void => {
          cmd.kill('SIGTERM');
          killTimer = setTimeout(() => cmd.kill('SIGKILL'), options.killGraceMs);
          killTimer.unref();
        };
        // fluent-ffmpeg spawns after async preparation: an abort before 'start' kills on start.
        const onAbort = (): void => {
          if (started) kill();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        const finish = (error: Error | undefined, stderr: string | null): void => {
          clearTimeout(killTimer);
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) reject(new FfmpegAbortedError('ffmpeg was stopped: the task was aborted'));
          else if (error) reject(error);
          else resolve({ log: lines(stderr ?? '') });
        };
        cmd.on('start', () => {
          started = true;
          if (signal.aborted) kill();
        });
        cmd.on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
          // fluent-ffmpeg appends its own stderr extract (empty with level-tagged lines): keep the first line only.
          const message = (error.message.split('\n')[0] ?? 'ffmpeg failed').replace(/:\s*$/, '');
          finish(new FfmpegExitError(message, tail(stderr ?? '')), stderr);
        });
        cmd.on('end', (_stdout: string | null, stderr: string | null) => finish(undefined, stderr));
        cmd.run();
      });
    },

    probe(path, probeOptions = {}) {
      return new Promise((resolve, reject) => {
        command(options).input(path).ffprobe(probeOptions.countPackets ? ['-count_packets'] : [], (error, data) => {
          if (error) {
            reject(new FfmpegExitError(String((error as Error).message ?? error).split('\n')[0] ?? 'ffprobe failed', tail(String((error as Error).message ?? ''))));
            return;
          }
          resolve({
            formatName: data.format?.format_name ?? '',
            streams: (data.streams ?? []).map((s) => {
              const packets = Number((s as { nb_read_packets?: string | number }).nb_read_packets);
              return {
                type: s.codec_type ?? '',
                codec: s.codec_name ?? '',
                width: s.width ?? 0,
                height: s.height ?? 0,
                frameRate: s.r_frame_rate ?? '0/0',
                packets: Number.isFinite(packets) ? packets : undefined,
              };
            }),
          });
        });
      });
    },

    // Plain spawn, not fluent-ffmpeg: its capability lists are cached process-wide, whatever the binary.
    exec(tool, args, signal) {
      return new Promise((resolve, reject) => {
        const child = spawn(tool === 'ffmpeg' ? options.ffmpegPath : options.ffprobePath, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        const onAbort = (): void => void child.kill('SIGKILL');
        signal.addEventListener('abort', onAbort, { once: true });
        child.once('error', (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        });
        // 'close', not 'exit': the streams are drained and the process is gone.
        child.once('close', (code, sig) => {
          signal.removeEventListener('abort', onAbort);
          resolve({ code, signal: sig, stdout, stderr });
        });
      });
    },
  };
}
