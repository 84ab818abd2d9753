// A small transcode backend plugin for the kernel's tests, written here so
// the kernel's dispatch is proven independently of the real backend plugins.
// It is not a double: it spawns /usr/bin/ffmpeg to make every rendition and
// ffprobe to count the frames it charges for. Switches inject the failures a
// real backend meets (crash mid-segment, a hang, a short result, a bad probe).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  definePlugin,
  errors,
  HOST_API_VERSION,
  transcodeBackendsExtensionPoint,
  type PluginDefinition,
  type TranscodeBackend,
  type TranscodeBackendStatus,
  type TranscodeOutput,
  type TranscodeTask,
} from '@lpx/sdk';
import { probeMedia } from '@lpx/sdk/testing';

export const FFMPEG = '/usr/bin/ffmpeg';

export type Behavior = 'ok' | 'crash' | 'hang' | 'short' | 'tiny';

export interface TestBackendOptions {
  readonly name?: string;
  readonly capacity?: number;
  /** Replaces the real probe (ffmpeg -version + a one-frame encode). */
  readonly probe?: (signal: AbortSignal) => Promise<TranscodeBackendStatus>;
  behavior?: Behavior;
}

export interface TestBackend extends TranscodeBackend {
  readonly tasks: TranscodeTask[];
  readonly ended: string[];
  readonly options: TestBackendOptions;
  closed: boolean;
}

function run(args: readonly string[], signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(FFMPEG, args, { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`ffmpeg exited ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`))));
  });
}

async function realProbe(capacity: number, signal: AbortSignal): Promise<TranscodeBackendStatus> {
  try {
    await run(['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=1:duration=1', '-frames:v', '1', '-c:v', 'libx264', '-preset', 'ultrafast', '-f', 'null', '-'], signal);
  } catch (error) {
    return { available: false, reason: `test encode failed: ${(error as Error).message}`, capacity: 0, decode: [], encode: [], formats: [] };
  }
  return { available: true, capacity, decode: ['H264', 'VP8'], encode: ['H264'], formats: ['mpegts', 'mp4'] };
}

export function testBackend(options: TestBackendOptions = {}): TestBackend {
  const tasks: TranscodeTask[] = [];
  const ended: string[] = [];
  const capacity = options.capacity ?? 2;
  const backend: TestBackend = {
    name: options.name ?? 'test-ffmpeg',
    tasks,
    ended,
    options,
    closed: false,
    probe: (signal) => (options.probe ?? ((s) => realProbe(capacity, s)))(signal),
    async transcode(task): Promise<TranscodeOutput> {
      tasks.push(task);
      const behavior = options.behavior ?? 'ok';
      if (behavior === 'hang') {
        await new Promise((_, reject) => task.signal.addEventListener('abort', () => reject(errors.transcode.CANCELLED.create('aborted')), { once: true }));
      }
      const args = ['-hide_banner', '-loglevel', 'error', '-y', '-i', task.input.path];
      const outputs = task.profiles.map((p, i) => join(task.outputDir, `${i}-${p.name}.ts`));
      for (const [i, p] of task.profiles.entries()) {
        args.push('-map', '0:v:0', '-vf', `scale=${p.width}:${p.height}`, '-r', String(p.fps || 30), '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', String(p.bitrate), '-an', '-f', 'mpegts', outputs[i]!);
      }
      if (behavior === 'crash') {
        // Mid-segment: the encoder dies (here: killed) after starting.
        const controller = new AbortController();
        const running = run(args, AbortSignal.any([task.signal, controller.signal]));
        setImmediate(() => controller.abort());
        await running.catch(() => undefined);
        throw errors.transcode.FAILED.create('ffmpeg crashed mid-segment (killed)');
      }
      try {
        await run(args, task.signal);
      } catch (error) {
        if (task.signal.aborted) throw errors.transcode.CANCELLED.create('aborted');
        const message = (error as Error).message;
        if (/Invalid data|could not find codec|does not contain any stream|Output file #0 does not contain/i.test(message)) throw errors.transcode.INPUT_INVALID.create(message);
        throw errors.transcode.FAILED.create(message);
      }
      const renditions = [];
      for (const [i, p] of task.profiles.entries()) {
        const probed = await probeMedia(outputs[i]!);
        const frames = probed.video?.frames ?? 0;
        const width = probed.video?.width ?? 0;
        const height = probed.video?.height ?? 0;
        renditions.push({ profile: p.name, path: outputs[i]!, width, height, frames, pixels: BigInt(width) * BigInt(height) * BigInt(frames) });
      }
      if (behavior === 'short') return { renditions: renditions.slice(0, -1) };
      if (behavior === 'tiny') {
        const { writeFile } = await import('node:fs/promises');
        await writeFile(renditions[0]!.path, Buffer.alloc(10));
      }
      return { renditions };
    },
    endSession(sessionId) {
      ended.push(sessionId);
    },
    async close() {
      backend.closed = true;
    },
  };
  return backend;
}

/** The plugin that adds `backends` through the kernel's extension point, as a real backend plugin does. */
export function testBackendPlugin(id: string, ...backends: TranscodeBackend[]): PluginDefinition {
  return definePlugin({
    manifest: { id, version: '1.0.0', host: `^${HOST_API_VERSION}`, requires: { extensionPoints: [transcodeBackendsExtensionPoint.id] } },
    register(reg) {
      reg.registerInit({
        deps: { backends: transcodeBackendsExtensionPoint },
        init: ({ backends: point }) => {
          for (const backend of backends) point.addBackend(backend);
        },
      });
    },
  });
}
