import { execFileSync } from 'node:child_process';
import { startReferenceRunner, type RunningRunner } from '../../reference-runner/src/runner.js';

export interface Teardown {
  teardown(fn: () => unknown): void;
}

/** A runner in this process on an ephemeral port, closed at the end of the test. */
export async function startRunner(t: Teardown, env: Record<string, string>, lines: string[] = []): Promise<RunningRunner> {
  const runner = await startReferenceRunner({ HOST: '127.0.0.1', PORT: '0', ...env }, (line) => lines.push(line));
  t.teardown(() => runner.close());
  return runner;
}

/** Waits until /health leaves LOADING. */
export async function ready(runner: RunningRunner): Promise<string> {
  await runner.loaded;
  return ((await (await fetch(`${runner.url}/health`)).json()) as { status: string }).status;
}

export function postJson(runner: RunningRunner, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${runner.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

export function postForm(runner: RunningRunner, path: string, fields: Record<string, string | Blob>): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value, ...(typeof value === 'string' ? [] : ['upload.bin']));
  return fetch(`${runner.url}${path}`, { method: 'POST', body: form });
}

/** A test picture of the given size (ffmpeg's testsrc2) as PNG bytes. */
export function testPng(width: number, height: number): Blob {
  const png = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:d=1`, '-frames:v', '1', '-c:v', 'png', '-f', 'image2pipe', '-']);
  return new Blob([png], { type: 'image/png' });
}

/** Width and height from a PNG's IHDR. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export function fromDataUrl(url: string): { mime: string; data: Buffer } {
  const match = /^data:([^;]+);base64,(.*)$/s.exec(url);
  if (!match) throw new Error(`not a data URL: ${url.slice(0, 40)}`);
  return { mime: match[1]!, data: Buffer.from(match[2]!, 'base64') };
}
