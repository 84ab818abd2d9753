import { execFile } from 'node:child_process';

/** Where the suite finds ffmpeg and ffprobe; both default to PATH. */
export interface MediaTools {
  readonly ffmpegPath?: string;
  readonly ffprobePath?: string;
}

/** Runs a media tool to completion and returns stdout; a failure carries the tool's last stderr lines. */
export function runTool(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const tail = stderr.trim().split('\n').slice(-5).join('\n');
        reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}${tail ? `\n${tail}` : ''}`, { cause: error }));
        return;
      }
      resolve(stdout);
    });
  });
}
