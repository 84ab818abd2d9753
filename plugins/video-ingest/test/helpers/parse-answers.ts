/**
 * Reading what the ingest answers with third-party parsers, as a client
 * would: multipart/mixed with Remix's multipart parser, playlists with
 * hls-parser in strict mode (it throws on spec violations), renditions with
 * ffprobe.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMultipart } from '@remix-run/multipart-parser';
import HLS from 'hls-parser';
import { probeMedia, type ProbedMedia } from '@lpx/sdk/testing';

HLS.setOptions({ strictMode: true });

export interface ParsedPart {
  readonly headers: Record<string, string>;
  readonly data: Buffer;
}

export function parseMultipartMixed(contentType: string, body: Buffer): ParsedPart[] {
  const match = /^multipart\/mixed;\s*boundary=(.+)$/.exec(contentType);
  if (match === null) throw new Error(`not multipart/mixed: ${contentType}`);
  return [...parseMultipart(new Uint8Array(body), { boundary: match[1]! })].map((part) => ({ headers: { ...part.headers } as Record<string, string>, data: Buffer.from(part.bytes) }));
}

export function parseMaster(text: string) {
  const playlist = HLS.parse(text);
  if (!playlist.isMasterPlaylist) throw new Error('expected a master playlist');
  return playlist;
}

export function parseMedia(text: string) {
  const playlist = HLS.parse(text);
  if (playlist.isMasterPlaylist) throw new Error('expected a media playlist');
  return playlist;
}

export async function probeBytes(data: Buffer, extension = 'ts'): Promise<ProbedMedia> {
  const dir = await mkdtemp(join(tmpdir(), 'lpx-ingest-probe-'));
  try {
    const path = join(dir, `r.${extension}`);
    await writeFile(path, data);
    return await probeMedia(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
