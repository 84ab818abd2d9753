import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TranscodeInput } from '../../extension-points/transcode-backends.js';
import { generateTestMedia } from './generate-media.js';
import type { MediaTools } from './run-tool.js';

/** `long-source` is the same picture for 10 s: the cancellation case needs a transcode that is surely still running. */
export type ConformanceInputKind = 'source' | 'long-source' | 'zero-bytes' | 'random-bytes' | 'audio-only';

/** The source every conformance transcode reads: 640x360, 30 fps, 2 s, H.264 + AAC in MPEG-TS. */
export const CONFORMANCE_SOURCE = Object.freeze({ width: 640, height: 360, fps: 30, durationMs: 2000 });

const LONG_SOURCE_MS = 10_000;

export interface ConformanceMedia {
  /** The input of one kind, generated on first use and reused afterwards. */
  input(kind: ConformanceInputKind): Promise<TranscodeInput>;
  /** A fresh empty directory (an outputDir, as the kernel gives each task). */
  freshDir(prefix: string): Promise<string>;
}

/**
 * Inputs for the transcode conformance suite, made lazily under one temp
 * directory per suite (or `workDir` when the caller owns one). Without a
 * workDir the directory is removed when the process exits: suites have no
 * teardown hook, and the media is reused by every case.
 */
export function conformanceMedia(tools: MediaTools & { readonly workDir?: string } = {}): ConformanceMedia {
  let root: Promise<string> | undefined;
  const inputs = new Map<ConformanceInputKind, Promise<TranscodeInput>>();
  let dirs = 0;

  const workDir = (): Promise<string> => {
    root ??= tools.workDir !== undefined
      ? Promise.resolve(tools.workDir)
      : mkdtemp(join(tmpdir(), 'lpx-transcode-conformance-')).then((dir) => {
          process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
          return dir;
        });
    return root;
  };

  const make = async (kind: ConformanceInputKind): Promise<TranscodeInput> => {
    const path = join(await workDir(), `${kind}.ts`);
    if (kind === 'source') await generateTestMedia(path, { ...tools, ...CONFORMANCE_SOURCE });
    else if (kind === 'long-source') await generateTestMedia(path, { ...tools, ...CONFORMANCE_SOURCE, durationMs: LONG_SOURCE_MS });
    else if (kind === 'audio-only') await generateTestMedia(path, { ...tools, durationMs: CONFORMANCE_SOURCE.durationMs, video: false });
    else if (kind === 'zero-bytes') await writeFile(path, Buffer.alloc(0));
    // Not a multiple of 188 and no 0x47 sync pattern: nothing a demuxer could lock onto by luck.
    else await writeFile(path, Buffer.concat([Buffer.from('not a transport stream'), randomBytes(64 * 1024)]));
    const { size } = await stat(path);
    const durationMs = kind === 'long-source' ? LONG_SOURCE_MS : kind === 'source' || kind === 'audio-only' ? CONFORMANCE_SOURCE.durationMs : 0;
    return { path, format: 'mpegts', sizeBytes: size, durationMs };
  };

  return {
    input(kind) {
      let input = inputs.get(kind);
      if (input === undefined) {
        input = make(kind);
        inputs.set(kind, input);
      }
      return input;
    },
    async freshDir(prefix) {
      dirs += 1;
      return mkdtemp(join(await workDir(), `${prefix}-${dirs}-`));
    },
  };
}
