/**
 * go-livepeer's local pixel check, with ffprobe: decode the rendition and sum
 * width × height over its video frames. Used only when the gateway asks for
 * it (gateway.verifyPixels) — it decodes every rendition, which costs CPU.
 */
import { spawn } from 'node:child_process';

export function ffprobePixelCounter(ffprobe = 'ffprobe', timeoutMs = 30_000): (data: Buffer) => Promise<bigint> {
  return (data) =>
    new Promise((resolve, reject) => {
      const child = spawn(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'frame=width,height', '-of', 'csv=p=0', '-i', 'pipe:0'], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.on('error', reject);
      // ffprobe may stop reading early on garbage; the exit code says what happened.
      child.stdin.on('error', () => undefined);
      child.stdin.end(data);
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(`ffprobe exited ${code}: ${err.trim().slice(0, 300)}`));
        let pixels = 0n;
        for (const line of out.split('\n')) {
          const [w, h] = line.split(',');
          if (w !== undefined && h !== undefined && /^\d+$/.test(w) && /^\d+$/.test(h.trim())) pixels += BigInt(w) * BigInt(h.trim());
        }
        resolve(pixels);
      });
    });
}
