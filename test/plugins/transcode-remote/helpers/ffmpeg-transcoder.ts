// Starts ffmpeg-transcoder-main.ts detached from this process tree, as a
// remote transcoder runs on another machine: the backend under test must
// not own (or be blamed for) the transcoder's ffmpeg processes, which is
// what the conformance suite's child-process check looks at.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./ffmpeg-transcoder-main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface ExternalTranscoder {
  readonly pid: number;
  stop(): void;
}

export async function startFfmpegTranscoder(orchAddr: string, secret: string, capacity: number): Promise<ExternalTranscoder> {
  // `sh -c '... &'` exits at once, so the transcoder is re-parented away from us.
  const sh = spawn('sh', ['-c', 'node --import tsx "$0" "$1" "$2" "$3" </dev/null >/dev/null 2>&1 & echo $!', MAIN, orchAddr, secret, String(capacity)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  sh.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => sh.on('close', resolve));
  const pid = Number(out.trim());
  return {
    pid,
    stop: () => {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone (its orchestrator closed).
      }
    },
  };
}
