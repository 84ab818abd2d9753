// A go-livepeer-style remote transcoder that really transcodes, run as its
// own process: the go-transcoder-double protocol side, with real ffmpeg
// (libx264, one process per task writing every rendition, like lpms) and
// ffprobe counting the frames it reports as Pixels. Standing in for
// `livepeer -transcoder` on another machine. It exits when its registration
// stream ends (the orchestrator went away) or on SIGTERM, killing its ffmpeg.
// argv: <orchAddr> <secret> <capacity>
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GoTranscoderDouble, type CustomOutcome, type DoubleTask } from '../../../../core/test/network/helpers/go-transcoder-double.js';

const [orchAddr, secret, capacity] = process.argv.slice(2);
const running = new Set<ChildProcess>();

async function frames(path: string): Promise<number> {
  const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames,width,height', '-of', 'csv=p=0', path]);
  // MPEG-TS lists the stream under its program too: the first line is enough.
  const [width, height, count] = (stdout.trim().split('\n')[0] ?? '').split(',').map(Number);
  return (width ?? 0) * (height ?? 0) * (count ?? 0);
}

async function transcode(input: Buffer, task: DoubleTask): Promise<CustomOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-ffmpeg-transcoder-'));
  try {
    const source = join(dir, 'in.ts');
    await writeFile(source, input);
    const args = ['-hide_banner', '-loglevel', 'error', '-y', '-threads', '1', '-i', source];
    const outputs = task.profiles.map((p, i) => join(dir, `${i}.ts`));
    task.profiles.forEach((p, i) => {
      const filters = [`scale=${p.width}:${p.height}`, ...(p.fps > 0 ? [`fps=${p.fps}`] : [])].join(',');
      args.push('-map', '0:v:0', '-vf', filters, '-c:v', 'libx264', '-preset', 'medium', '-threads', '1', '-an', '-f', 'mpegts', outputs[i]!);
    });
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    running.delete(child);
    if (code !== 0) return { error: stderr.trim() || `ffmpeg exited with ${code}` };
    const renditions = [];
    for (const path of outputs) renditions.push({ data: await readFile(path), pixels: BigInt(await frames(path)) });
    return { renditions, decodedPixels: BigInt(await frames(source)) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const double = new GoTranscoderDouble({ orchAddr: orchAddr!, secret: secret!, capacity: Number(capacity), behavior: () => ({ kind: 'custom', run: transcode }) });
const stop = (): void => {
  for (const child of running) child.kill('SIGKILL');
  void double.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
void double.ended.then(stop);
